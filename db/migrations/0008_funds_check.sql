ALTER TYPE "public"."role" ADD VALUE 'checker';--> statement-breakpoint
ALTER TABLE "fund_entries" ADD COLUMN "evidence_key" text;--> statement-breakpoint
ALTER TABLE "fund_entries" ADD COLUMN "evidence_type" text;--> statement-breakpoint
ALTER TABLE "fund_entries" ADD COLUMN "evidence_name" text;--> statement-breakpoint
ALTER TABLE "fund_entries" ADD COLUMN "evidence_message_id" text;--> statement-breakpoint
ALTER TABLE "fund_entries" ADD COLUMN "rejected_by_id" integer;--> statement-breakpoint
ALTER TABLE "fund_entries" ADD COLUMN "rejected_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "fund_entries" ADD COLUMN "reject_reason" text;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "investor_region_code" text;--> statement-breakpoint
ALTER TABLE "fund_entries" ADD CONSTRAINT "fund_entries_rejected_by_id_people_id_fk" FOREIGN KEY ("rejected_by_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "fund_entries_status_idx" ON "fund_entries" USING btree ("status");