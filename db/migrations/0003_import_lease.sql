ALTER TABLE "import_sessions" ADD COLUMN "card_message_id" text;--> statement-breakpoint
ALTER TABLE "import_sessions" ADD COLUMN "lease_until" timestamp with time zone;