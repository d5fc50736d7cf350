CREATE TABLE "project_transfers" (
	"id" serial PRIMARY KEY NOT NULL,
	"project_id" integer NOT NULL,
	"from_unit_id" integer NOT NULL,
	"from_host_unit_id" integer,
	"from_owner_id" integer,
	"to_unit_id" integer NOT NULL,
	"reason" text NOT NULL,
	"offered_by_id" integer NOT NULL,
	"offered_on" date NOT NULL,
	"status" text DEFAULT 'offered' NOT NULL,
	"decided_by_id" integer,
	"decided_on" date,
	"decline_reason" text
);
--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "agreed_results_by" date;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "reported_output_fen" bigint;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "reported_tax_fen" bigint;--> statement-breakpoint
ALTER TABLE "project_transfers" ADD CONSTRAINT "project_transfers_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_transfers" ADD CONSTRAINT "project_transfers_from_unit_id_units_id_fk" FOREIGN KEY ("from_unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_transfers" ADD CONSTRAINT "project_transfers_from_host_unit_id_units_id_fk" FOREIGN KEY ("from_host_unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_transfers" ADD CONSTRAINT "project_transfers_from_owner_id_people_id_fk" FOREIGN KEY ("from_owner_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_transfers" ADD CONSTRAINT "project_transfers_to_unit_id_units_id_fk" FOREIGN KEY ("to_unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_transfers" ADD CONSTRAINT "project_transfers_offered_by_id_people_id_fk" FOREIGN KEY ("offered_by_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_transfers" ADD CONSTRAINT "project_transfers_decided_by_id_people_id_fk" FOREIGN KEY ("decided_by_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "project_transfers_project_idx" ON "project_transfers" USING btree ("project_id");--> statement-breakpoint
CREATE UNIQUE INDEX "project_transfers_open_uq" ON "project_transfers" USING btree ("project_id") WHERE "project_transfers"."status" = 'offered';