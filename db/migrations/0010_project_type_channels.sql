CREATE TYPE "public"."project_type" AS ENUM('industry', 'producer_services', 'agriculture', 'tourism', 'infrastructure', 'other');--> statement-breakpoint
CREATE TYPE "public"."source_channel" AS ENUM('outside_office', 'chamber', 'commissioned', 'business_referral', 'paired_cooperation', 'other');--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "project_type" "project_type" DEFAULT 'other' NOT NULL;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "channels" "source_channel"[] DEFAULT '{}'::source_channel[] NOT NULL;
--> statement-breakpoint
-- hand-written: the old flag could not be set (always true), so every existing project counted as industrial;
-- it keeps counting (工业) until an officer sets its type. A project brought in by an outside office already
-- names that office: its channel is 驻外办事处/招商驻点.
UPDATE "projects" SET "project_type" = CASE WHEN "industrial" THEN 'industry'::project_type ELSE 'other'::project_type END;--> statement-breakpoint
UPDATE "projects" SET "channels" = ARRAY['outside_office']::source_channel[] WHERE "origin_office" IS NOT NULL AND "origin_office" <> '' AND "channels" = '{}'::source_channel[];
