DROP INDEX "chains_name_uq";--> statement-breakpoint
ALTER TABLE "chains" ADD COLUMN "government_unit_id" integer;--> statement-breakpoint
ALTER TABLE "chains" ADD COLUMN "parent_chain_id" integer;--> statement-breakpoint
-- Existing chains belong to the government of their lead unit: the nearest government on the lead unit's path
-- (a department stands for the government it hangs under).
UPDATE "chains" AS c SET "government_unit_id" = (
  SELECT g."id" FROM "units" AS lu JOIN "units" AS g ON lu."path" LIKE g."path" || '%'
  WHERE lu."id" = c."lead_unit_id" AND g."kind" IN ('province', 'city', 'county', 'district', 'zone')
  ORDER BY length(g."path") DESC LIMIT 1
);--> statement-breakpoint
ALTER TABLE "chains" ADD CONSTRAINT "chains_government_unit_id_units_id_fk" FOREIGN KEY ("government_unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "chains_government_name_uq" ON "chains" USING btree ("government_unit_id","name");--> statement-breakpoint
CREATE INDEX "chains_parent_idx" ON "chains" USING btree ("parent_chain_id");