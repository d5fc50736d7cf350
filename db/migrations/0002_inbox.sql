ALTER TABLE "processed_events" ADD COLUMN "kind" text;--> statement-breakpoint
ALTER TABLE "processed_events" ADD COLUMN "payload" jsonb;--> statement-breakpoint
ALTER TABLE "processed_events" ADD COLUMN "done_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "processed_events" ADD COLUMN "lease_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "processed_events" ADD COLUMN "attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "processed_events" ADD COLUMN "response" jsonb;--> statement-breakpoint
CREATE INDEX "processed_events_unfinished_idx" ON "processed_events" USING btree ("lease_until") WHERE "processed_events"."done_at" is null and "processed_events"."payload" is not null;