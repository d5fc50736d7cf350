import { and, desc, eq, sql } from 'drizzle-orm';
import type { Tx, Db } from './db.js';
import { first, intArray } from './db-core.js';
import { rowsOf } from './status-sql.js';
import { fundEntries, problems, projects, reportRevisions, reports, stageHistory, units } from '../../db/schema.js';
import type { Project } from './projects.js';
import { transitionKind, type StageId } from '../domain/stages.js';
import { movesAgeingClock, type ProgressKind } from '../domain/progress.js';
import type { EvidenceKind, ProblemCategory } from '../domain/reporting.js';
import type { Channel, ProjectType } from '../domain/classification.js';
import { audit } from './audit.js';
import { sealIf, type InboxSeal } from './dedupe.js';
import { loadRules } from './rules.js';
import { problemDueOn } from '../domain/problems.js';

export type Report = typeof reports.$inferSelect;

/** A monthly report as validated by the handler: everything the form or the one-click button said. */
export interface ReportInput {
  projectId: number;
  period: string;
  reporterId: number;
  noChange: boolean;
  progress?: string | null;
  substantive: ProgressKind[];
  substantiveNote?: string | null;
  nextStep?: string | null;
  nextStepDue?: string | null;
  stage?: {
    /** The stage the move started from (kept in the revision, so an edit can show and keep the move). */
    from?: StageId | null;
    to: StageId;
    reason?: string | null;
    contractFen?: number | null;
    signedOn?: string | null;
    landedOn?: string | null;
    transferTo?: string | null;
  } | null;
  /** The contract's agreed terms (001 三.四), for a project signed by this report or before. */
  agreed?: {
    startOn?: string;
    investmentFen?: number;
    investmentBy?: string;
    /** Agreed yearly output and tax (约定达效), and the date they are due by. */
    outputFen?: number;
    taxFen?: number;
    resultsBy?: string;
  } | null;
  /** The yearly output and tax the owner reports the project reached (held against the agreed ones). */
  results?: { outputFen?: number; taxFen?: number } | null;
  /** The project's type and source channels as the form changed them (null: unchanged). */
  classification?: { type: ProjectType; channels: Channel[] } | null;
  /** A new contract amount of a signed or landed project, without a stage move. */
  contractFen?: number | null;
  fund?: { amountFen: number; date: string; evidenceKind: EvidenceKind } | null;
  problem?: {
    category: ProblemCategory;
    description: string;
    mustActUnitId: number | null;
    /** The external organisation that must act, when it is outside government (instead of a unit). */
    mustActOrgId?: number | null;
    /** 限时推进 (001 三.六): typed when raised; else the category's default from the rules. */
    dueOn?: string | null;
  } | null;
  /** Calendar day of the submission, in the bot's zone. */
  today: string;
  /** The instant of the submission (the injected clock's), stamped on the rows it updates. */
  at: Date;
  /** Submitted after the period's deadline. */
  late: boolean;
  /** A digest of the raw form values, when the report came from a form. */
  fingerprint?: string;
}

export type ReportOutcome =
  | { status: 'created' | 'updated'; report: Report; project: Project; stageChanged: { from: StageId; to: StageId } | null }
  | { status: 'unchanged'; report: Report; project: Project; stageChanged: null }
  /** An edit after the deadline: the period's report stands as it was. */
  | { status: 'closed'; report: Report; project: Project; stageChanged: null };

/** The part of a report that an edit compares and the revision history keeps. */
function contentOf(input: ReportInput) {
  return {
    noChange: input.noChange,
    progress: input.progress ?? null,
    substantive: input.substantive,
    substantiveNote: input.substantiveNote ?? null,
    nextStep: input.nextStep ?? null,
    nextStepDue: input.nextStepDue ?? null,
    stage: input.stage ?? null,
    ...(input.contractFen ? { contractFen: input.contractFen } : {}),
    ...(input.agreed ? { agreed: input.agreed } : {}),
    ...(input.results ? { results: input.results } : {}),
    ...(input.classification ? { classification: input.classification } : {}),
    fund: input.fund ?? null,
    problem: input.problem ?? null,
    fingerprint: input.fingerprint ?? null,
  };
}

/** JSON with sorted keys: jsonb does not keep key order, so content is compared in this form. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

export async function reportFor(q: Db | Tx, projectId: number, period: string): Promise<Report | undefined> {
  return first(
    q
      .select()
      .from(reports)
      .where(and(eq(reports.projectId, projectId), eq(reports.period, period))),
  );
}

export async function lastReports(q: Db | Tx, projectId: number, limit = 3): Promise<Report[]> {
  return q.select().from(reports).where(eq(reports.projectId, projectId)).orderBy(desc(reports.period)).limit(limit);
}

/** The content of the latest revision of a period's report (what the form last said); none for "no change". */
export async function latestReportContent(q: Db | Tx, projectId: number, period: string): Promise<unknown> {
  const r = await reportFor(q, projectId, period);
  if (!r || r.noChange) return undefined;
  const rev = (
    await q.select().from(reportRevisions).where(eq(reportRevisions.reportId, r.id)).orderBy(desc(reportRevisions.revision)).limit(1)
  )[0];
  return rev?.content ?? {};
}

/**
 * What an edit starts from (issue 17): the period's report, its latest revision's content, and the name of the
 * unit its problem asked to act (the form names units by name). Undefined when the period has no report.
 */
export async function reportForEdit(
  q: Db | Tx,
  projectId: number,
  period: string,
): Promise<{ report: Report; content: unknown; problemUnitName: string | null } | undefined> {
  const r = await reportFor(q, projectId, period);
  if (!r) return undefined;
  const rev = (
    await q.select().from(reportRevisions).where(eq(reportRevisions.reportId, r.id)).orderBy(desc(reportRevisions.revision)).limit(1)
  )[0];
  const content = rev?.content ?? {};
  return { report: r, content, problemUnitName: await problemUnitNameOf(q, content) };
}

/** The name of the unit a stored report content asks to act on its problem (none: null, and no query). */
export async function problemUnitNameOf(q: Db | Tx, content: unknown): Promise<string | null> {
  const unitId = (content as { problem?: { mustActUnitId?: number | null } | null } | null)?.problem?.mustActUnitId ?? null;
  if (unitId === null) return null;
  const unit = (await q.select({ name: units.name }).from(units).where(eq(units.id, unitId)))[0];
  return unit?.name ?? null;
}

/** A listed project with its host unit's name and the period's report, if any. */
export interface ProjectReport {
  project: Project;
  hostName: string;
  report: Report | null;
}

/** The listed projects, in the order given (unknown ids dropped), each with the period's report. */
export async function projectsWithReport(q: Db | Tx, ids: readonly number[], period: string): Promise<ProjectReport[]> {
  if (ids.length === 0) return [];
  const rows = await q
    .select({ p: projects, r: reports, hostName: units.name })
    .from(projects)
    .leftJoin(reports, and(eq(reports.projectId, projects.id), eq(reports.period, period)))
    .leftJoin(units, eq(units.id, projects.hostUnitId))
    .where(sql`${projects.id} = any(${intArray(ids)}::int[])`);
  const byId = new Map(rows.map((r) => [r.p.id, r]));
  return ids
    .map((id) => byId.get(id))
    .filter((r): r is NonNullable<typeof r> => !!r)
    .map((r) => ({ project: r.p, hostName: r.hostName ?? '', report: r.r }));
}

/**
 * Writes one report and everything it implies, inside the caller's transaction: the report (or a new revision
 * of it, the previous kept in report_revisions), the stage change with its history, the fund entry (reported,
 * unverified), the problem, the project's last-progress date when substantive, and the audit entries.
 * Submitting the same content twice (a double click, a redelivered callback) changes nothing.
 */
export async function writeReport(tx: Tx, input: ReportInput): Promise<ReportOutcome> {
  // Lock the project row: two submissions for one project serialise here.
  const project = (await tx.select().from(projects).where(eq(projects.id, input.projectId)).for('update'))[0];
  if (!project) throw new Error(`project ${input.projectId} not found`);
  const content = contentOf(input);
  const existing = await reportFor(tx, input.projectId, input.period);

  // What a report row says, the same for a first report and an edit.
  const fields = {
    reporterId: input.reporterId,
    noChange: input.noChange,
    progress: content.progress,
    substantive: input.substantive,
    substantiveNote: content.substantiveNote,
    nextStep: content.nextStep,
    nextStepDue: content.nextStepDue,
  };
  let report: Report;
  let status: 'created' | 'updated';
  if (!existing) {
    [report] = (await tx
      .insert(reports)
      .values({ projectId: input.projectId, period: input.period, late: input.late, ...fields })
      .returning()) as [Report];
    await tx.insert(reportRevisions).values({ reportId: report.id, revision: 1, content, byPersonId: input.reporterId });
    status = 'created';
  } else {
    const previous = (
      await tx
        .select()
        .from(reportRevisions)
        .where(and(eq(reportRevisions.reportId, existing.id), eq(reportRevisions.revision, existing.revision)))
    )[0];
    // A one-click "no change" never overwrites a report of the same period. The same form submitted again (a
    // double click, a redelivered callback) has the same fingerprint even though its stage move already
    // happened; the same content twice is also the same report.
    const prev = (previous?.content ?? null) as { fingerprint?: string } | null;
    // An edit resubmitted unchanged (the form prefilled from this content) is the same report too: the raw
    // values' fingerprint differs in how amounts are written, the content does not (issue 17).
    const sameAgain =
      !!prev &&
      ((!!input.fingerprint && prev.fingerprint === input.fingerprint) ||
        canonical({ ...prev, fingerprint: null }) === canonical({ ...content, fingerprint: null }));
    if (input.noChange || sameAgain) {
      return { status: 'unchanged', report: existing, project, stageChanged: null };
    }
    // A late report is accepted, but a report is edited only until the deadline.
    if (input.late) return { status: 'closed', report: existing, project, stageChanged: null };
    const revision = existing.revision + 1;
    [report] = (await tx
      .update(reports)
      .set({ ...fields, revision, updatedAt: input.at })
      .where(eq(reports.id, existing.id))
      .returning()) as [Report];
    await tx.insert(reportRevisions).values({ reportId: report.id, revision, content, byPersonId: input.reporterId });
    // An edit replaces what the earlier revision reported and nobody has acted on yet.
    await tx.delete(fundEntries).where(and(eq(fundEntries.reportId, report.id), eq(fundEntries.status, 'reported')));
    await tx.delete(problems).where(and(eq(problems.reportId, report.id), eq(problems.open, true)));
    status = 'updated';
  }

  const stageChanged = input.stage
    ? await applyStage(tx, project, input.stage, { byPersonId: input.reporterId, today: input.today, at: input.at })
    : null;
  const projectPatch: Partial<typeof projects.$inferInsert> = { updatedAt: input.at };
  // Reported funds wait for 核查: only a verified entry restarts the ageing clock (store/funds.ts decideFundEntry).
  if (movesAgeingClock(input.substantive) && !input.noChange) projectPatch.lastProgressOn = input.today;
  // A move kept from an earlier revision (applyStage found the project already there) does not stop a corrected amount.
  if (input.contractFen && !stageChanged) projectPatch.contractAmountFen = input.contractFen;
  if (input.agreed?.startOn) projectPatch.startPlannedOn = input.agreed.startOn;
  if (input.agreed?.investmentFen) projectPatch.agreedInvestmentFen = input.agreed.investmentFen;
  if (input.agreed?.investmentBy) projectPatch.agreedInvestmentBy = input.agreed.investmentBy;
  if (input.agreed?.outputFen) projectPatch.agreedOutputFen = input.agreed.outputFen;
  if (input.agreed?.taxFen) projectPatch.agreedTaxFen = input.agreed.taxFen;
  if (input.agreed?.resultsBy) projectPatch.agreedResultsBy = input.agreed.resultsBy;
  if (input.results?.outputFen !== undefined) projectPatch.reportedOutputFen = input.results.outputFen;
  if (input.results?.taxFen !== undefined) projectPatch.reportedTaxFen = input.results.taxFen;
  if (input.classification) {
    projectPatch.projectType = input.classification.type;
    projectPatch.channels = input.classification.channels;
  }
  const [updated] = await tx.update(projects).set(projectPatch).where(eq(projects.id, project.id)).returning();

  if (input.fund) {
    await tx.insert(fundEntries).values({
      projectId: project.id,
      entryDate: input.fund.date,
      amountFen: input.fund.amountFen,
      evidenceKind: input.fund.evidenceKind,
      status: 'reported',
      reportId: report.id,
      reportedById: input.reporterId,
    });
  }
  if (input.problem) {
    const dueOn = input.problem.dueOn ?? problemDueOn(input.problem.category, input.today, await loadRules(tx));
    await tx.insert(problems).values({
      projectId: project.id,
      category: input.problem.category,
      description: input.problem.description,
      mustActUnitId: input.problem.mustActUnitId,
      mustActOrgId: input.problem.mustActOrgId ?? null,
      dueOn,
      reportId: report.id,
      raisedOn: input.today,
    });
  }
  await audit(tx, {
    actorId: input.reporterId,
    action: status === 'created' ? 'report.create' : 'report.update',
    entity: 'report',
    entityId: report.id,
    before: existing ? { revision: existing.revision } : null,
    after: { period: input.period, revision: report.revision, ...content },
  });
  return { status, report, project: updated!, stageChanged };
}

export type StageChange = NonNullable<ReportInput['stage']>;

/**
 * Moves a project to another stage (the caller has checked the move with domain/stages): the project's fields,
 * the stage history and the audit entry. The project is read again under a row lock (FOR UPDATE) first, so of
 * parallel moves one writes and the others wait and then see it: nothing is written, and null returned, when
 * the project is already at the target, or when its stage changed since the caller checked the move (the
 * check was made against a stage it no longer has).
 */
export async function applyStage(
  tx: Tx,
  project: Project,
  s: StageChange,
  { byPersonId, today, at }: { byPersonId: number; today: string; at: Date },
): Promise<{ from: StageId; to: StageId } | null> {
  const [current] = await tx.select({ stage: projects.stage }).from(projects).where(eq(projects.id, project.id)).for('update');
  if (!current || s.to === current.stage || current.stage !== project.stage) return null;
  const patch: Partial<typeof projects.$inferInsert> = { stage: s.to, stageEnteredOn: today, updatedAt: at };
  if (s.contractFen) patch.contractAmountFen = s.contractFen;
  if (s.signedOn) patch.signedOn = s.signedOn;
  if (s.landedOn) patch.landedOn = s.landedOn;
  if (s.transferTo) patch.transferredTo = s.transferTo;
  // Moving forward is substantive progress (DOMAIN.md); the ageing clock restarts.
  if (transitionKind(project.stage, s.to) === 'forward') patch.lastProgressOn = today;
  await tx.update(projects).set(patch).where(eq(projects.id, project.id));
  await tx.insert(stageHistory).values({
    projectId: project.id,
    fromStage: project.stage,
    toStage: s.to,
    reason: s.reason ?? null,
    changedOn: today,
    byPersonId,
  });
  await audit(tx, {
    actorId: byPersonId,
    action: 'project.stage',
    entity: 'project',
    entityId: project.id,
    before: { stage: project.stage },
    after: { ...s },
  });
  return { from: project.stage, to: s.to };
}

/**
 * Whether `input` can be written by `writeFirstReport`: a report that moves no stage and changes no contract
 * amount or agreed terms (progress, substantive kinds, next step, a fund entry, a problem, or "no change"). The rest
 * go through `writeReport` in a transaction.
 */
// Only progress, its kinds, funds and the next step go the short way: a stage move, an amount, agreed terms or
// reported results change the project, and a problem decides its due date, its must-act party and the notices it
// raises (to the host unit, the service team) — all of that is `writeReport`'s, once. A field added to ReportInput
// goes the long way until this list says otherwise.
const FIRST_REPORT_FIELDS = new Set([
  'projectId',
  'period',
  'reporterId',
  'noChange',
  'progress',
  'substantive',
  'substantiveNote',
  'nextStep',
  'nextStepDue',
  'fund',
  'today',
  'at',
  'late',
  'fingerprint',
]);
export const firstReportFits = (input: ReportInput): boolean =>
  Object.entries(input).every(([k, v]) => FIRST_REPORT_FIELDS.has(k) || v === undefined || v === null);

/**
 * The first report of a period for a project (issue 18: the hot path in one round trip): one statement that locks
 * the project row (the order `writeReport` takes its locks in, so the two serialise and never deadlock), inserts
 * the report and its first revision, the fund entry (reported, unverified) and the problem it carries, stamps the
 * project, writes the audit entry and, when `seal` is given, marks
 * the card callback done with its answer — all or nothing, as a single statement is. Only for inputs that
 * `firstReportFits`. Returns undefined, having written nothing, when the period already has a report (a
 * concurrent submission got there first): the caller then goes the long way, `writeReport`, which sees it.
 */
export async function writeFirstReport(q: Db | Tx, input: ReportInput, seal?: InboxSeal): Promise<Report | undefined> {
  if (!firstReportFits(input)) throw new Error('writeFirstReport: this report needs writeReport');
  const content = contentOf(input);
  const after = { period: input.period, revision: 1, ...content };
  const progressed = movesAgeingClock(input.substantive) && !input.noChange;
  const substantive = sql`(select coalesce(array_agg(x), '{}') from jsonb_array_elements_text(${JSON.stringify(input.substantive)}::jsonb) x)::text[]`;
  const at = input.at.toISOString();
  const res = await q.execute(sql`
    with lk as (
      select id from projects where id = ${input.projectId}::int for update
    ), r as (
      insert into reports (project_id, period, reporter_id, no_change, progress, substantive, substantive_note, next_step, next_step_due, late)
      select lk.id, ${input.period}::text, ${input.reporterId}::int, ${input.noChange}::boolean, ${content.progress}::text, ${substantive},
             ${content.substantiveNote}::text, ${content.nextStep}::text, ${content.nextStepDue}::date, ${input.late}::boolean
        from lk
      on conflict (project_id, period) do nothing
      returning id
    ), rv as (
      insert into report_revisions (report_id, revision, content, by_person_id)
      select r.id, 1, ${JSON.stringify(content)}::jsonb, ${input.reporterId}::int from r
    ), p as (
      update projects set updated_at = ${at}::timestamptz
        ${progressed ? sql`, last_progress_on = ${input.today}::date` : sql``}
       where id = ${input.projectId}::int and exists (select 1 from r)
    )${
      input.fund
        ? sql`, f as (
      insert into fund_entries (project_id, entry_date, amount_fen, evidence_kind, status, report_id, reported_by_id)
      select ${input.projectId}::int, ${input.fund.date}::date, ${input.fund.amountFen}::bigint, ${input.fund.evidenceKind}::text, 'reported', r.id,
             ${input.reporterId}::int
        from r
    )`
        : sql``
    }${
      input.problem
        ? sql`, pr as (
      insert into problems (project_id, category, description, must_act_unit_id, report_id, raised_on)
      select ${input.projectId}::int, ${input.problem.category}::problem_category, ${input.problem.description}::text,
             ${input.problem.mustActUnitId}::int, r.id, ${input.today}::date
        from r
    )`
        : sql``
    }, a as (
      insert into audit_log (actor_id, action, entity, entity_id, before, after)
      select ${input.reporterId}::int, 'report.create', 'report', r.id::text, null, ${JSON.stringify(after)}::jsonb from r
    )${
      seal
        ? sql`, d as (
      ${sealIf(seal, 'r')}
    )`
        : sql``
    }
    select id from r`);
  const row = rowsOf<{ id: number }>(res)[0];
  return row ? firstReportRow(input, Number(row.id)) : undefined;
}

/** The row `writeFirstReport` writes for `input` (a receipt is drawn from it before the write, with id 0). */
export function firstReportRow(input: ReportInput, id: number): Report {
  const content = contentOf(input);
  return {
    id,
    projectId: input.projectId,
    period: input.period,
    reporterId: input.reporterId,
    noChange: input.noChange,
    progress: content.progress,
    substantive: input.substantive,
    substantiveNote: content.substantiveNote,
    nextStep: content.nextStep,
    nextStepDue: content.nextStepDue,
    late: input.late,
    revision: 1,
    submittedAt: input.at,
    updatedAt: input.at,
  };
}
