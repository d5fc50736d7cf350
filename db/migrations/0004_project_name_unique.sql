-- ---------------------------------------------------------------------------------------------------------------
-- HAND-WRITTEN (issue 14): the whole of this file. Before the unique index on (host unit, lower(name)) can be
-- built, existing duplicates are told apart: in each group of projects sharing a host unit and a name (case
-- folded), the oldest (lowest id) keeps its name and every later one gets its code appended, as
-- "名称（LY2026-001）" (codes are unique, so the new names are too). Nothing is deleted or merged: which of
-- the duplicates is the real one is for the office to decide. drizzle-kit generated only the CREATE INDEX.
-- ---------------------------------------------------------------------------------------------------------------
UPDATE "projects" AS p
SET "name" = p."name" || '（' || p."code" || '）'
FROM (
  SELECT "id", row_number() OVER (PARTITION BY "host_unit_id", lower("name") ORDER BY "id") AS n
  FROM "projects"
  WHERE "host_unit_id" IS NOT NULL
) AS d
WHERE d."id" = p."id" AND d.n > 1;--> statement-breakpoint
CREATE UNIQUE INDEX "projects_host_name_uq" ON "projects" USING btree ("host_unit_id",lower("name"));
