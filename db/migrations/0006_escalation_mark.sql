ALTER TABLE "projects" ADD COLUMN "escalated_on" date;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "escalated_to_unit_id" integer;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_escalated_to_unit_id_units_id_fk" FOREIGN KEY ("escalated_to_unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Hand-written backfill (keep when regenerating): projects already signed or landed at or above the 提级报备
-- threshold (settings 'rules'.escalateSignedFen, else 5亿元 = 50000000000 fen) are marked as under escalated
-- management as of their signing day, so the new "any path" check does not announce old signings again.
-- The level is not known for them (escalated_to_unit_id stays null).
UPDATE "projects" SET "escalated_on" = coalesce("signed_on", "stage_entered_on", "created_at"::date)
WHERE "stage" IN ('signed', 'landed') AND "escalated_on" IS NULL
  AND "contract_amount_fen" >= coalesce((SELECT ("value"->>'escalateSignedFen')::bigint FROM "settings" WHERE "key" = 'rules'), 50000000000);
