CREATE TABLE "external_orgs" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text DEFAULT 'other' NOT NULL,
	"contact_name" text,
	"contact_open_id" text,
	"government_unit_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "project_evaluations" (
	"id" serial PRIMARY KEY NOT NULL,
	"project_id" integer NOT NULL,
	"evaluated_on" date NOT NULL,
	"conclusion" text NOT NULL,
	"note" text,
	"by_person_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "problems" ADD COLUMN "due_on" date;--> statement-breakpoint
ALTER TABLE "problems" ADD COLUMN "must_act_org_id" integer;--> statement-breakpoint
ALTER TABLE "problems" ADD COLUMN "escalated_level" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "problems" ADD COLUMN "escalated_on" date;--> statement-breakpoint
ALTER TABLE "problems" ADD COLUMN "resolved_by_id" integer;--> statement-breakpoint
ALTER TABLE "external_orgs" ADD CONSTRAINT "external_orgs_government_unit_id_units_id_fk" FOREIGN KEY ("government_unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_evaluations" ADD CONSTRAINT "project_evaluations_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_evaluations" ADD CONSTRAINT "project_evaluations_by_person_id_people_id_fk" FOREIGN KEY ("by_person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "external_orgs_government_name_uq" ON "external_orgs" USING btree ("government_unit_id","name");--> statement-breakpoint
CREATE INDEX "project_evaluations_project_idx" ON "project_evaluations" USING btree ("project_id");--> statement-breakpoint
ALTER TABLE "problems" ADD CONSTRAINT "problems_must_act_org_id_external_orgs_id_fk" FOREIGN KEY ("must_act_org_id") REFERENCES "public"."external_orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problems" ADD CONSTRAINT "problems_resolved_by_id_people_id_fk" FOREIGN KEY ("resolved_by_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "problems_due_open_idx" ON "problems" USING btree ("open","due_on");
--> statement-breakpoint
-- hand-written: open problems raised before due dates existed get the default by category (src/domain/rules.ts problemDueDays)
UPDATE "problems" SET "due_on" = "raised_on" + (CASE "category" WHEN 'land' THEN 60 WHEN 'energy' THEN 15 WHEN 'approval' THEN 15 ELSE 30 END) WHERE "due_on" IS NULL;
