import { sql } from 'drizzle-orm';
import { ROLES } from '../src/domain/permissions.js';
import { STAGES } from '../src/domain/stages.js';
import { PROBLEM_CATEGORIES } from '../src/domain/reporting.js';
import { CHANNELS, PROJECT_TYPES } from '../src/domain/classification.js';
import {
  bigint,
  bigserial,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/*
 * The whole domain of DOMAIN.md. Conventions:
 * - amounts are integer 分 (fen) in bigint columns, read as JS numbers that stay safe integers (see domain/amount);
 * - calendar days are `date` read as 'YYYY-MM-DD' strings; instants are timestamptz;
 * - a reporting period is 'YYYY-MM' text;
 * - units form a tree with a materialised `path` ('/1/4/9/') so a subtree is one indexed LIKE 'prefix%'.
 */

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const fen = (name: string) => bigint(name, { mode: 'number' });
const day = (name: string) => date(name, { mode: 'string' });

export const unitKind = pgEnum('unit_kind', ['province', 'city', 'county', 'district', 'zone', 'department', 'centre']);
export const stage = pgEnum('stage', STAGES);
export const role = pgEnum('role', ROLES);
export const bindingKind = pgEnum('binding_kind', ['unit', 'chain', 'centre', 'convenor']);
export const problemCategory = pgEnum('problem_category', PROBLEM_CATEGORIES);
export const fundStatus = pgEnum('fund_status', ['reported', 'verified', 'rejected']);
export const projectType = pgEnum('project_type', PROJECT_TYPES);
export const sourceChannel = pgEnum('source_channel', CHANNELS);
export const outboxStatus = pgEnum('outbox_status', ['pending', 'sent', 'failed']);

export const units = pgTable(
  'units',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    kind: unitKind('kind').notNull(),
    parentId: integer('parent_id'),
    /** '/<root id>/…/<own id>/' — maintained by the store when a unit is created or moved. */
    path: text('path').notNull().default(''),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('units_code_uq').on(t.code),
    index('units_parent_idx').on(t.parentId),
    index('units_path_idx').on(t.path.op('text_pattern_ops')),
    index('units_name_idx').on(t.name),
  ],
);

export const people = pgTable(
  'people',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    unitId: integer('unit_id').references(() => units.id),
    roles: role('roles')
      .array()
      .notNull()
      .default(sql`'{}'::role[]`),
    title: text('title'),
    mobile: text('mobile'),
    email: text('email'),
    openId: text('open_id'),
    userId: text('user_id'),
    active: boolean('active').notNull().default(true),
    /** While away (until `awayUntil`), reminders go to the delegate. */
    delegateId: integer('delegate_id'),
    awayUntil: day('away_until'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('people_open_id_uq').on(t.openId),
    uniqueIndex('people_mobile_uq').on(t.mobile),
    index('people_unit_idx').on(t.unitId),
    index('people_name_idx').on(t.name),
    // Every card action reads whom the actor stands in for (remit: people whose delegate is the actor); without
    // it that is a scan of all the people per click (issue 18). Few people have a delegate: a partial index.
    index('people_delegate_idx')
      .on(t.delegateId)
      .where(sql`${t.delegateId} is not null`),
  ],
);

export const chains = pgTable(
  'chains',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    /** Other names people use: '新能源链', '新能源产业链'. */
    aliases: text('aliases')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    leaderId: integer('leader_id').references(() => people.id),
    secretaryId: integer('secretary_id').references(() => people.id),
    leadUnitId: integer('lead_unit_id').references(() => units.id),
    /**
     * The government the chain belongs to (链长制 is per government: the province's 新能源 and each city's are
     * different chains with the same name). Null only for a chain not yet placed, which no one's remit reaches.
     */
    governmentUnitId: integer('government_unit_id').references(() => units.id),
    /** For a city chain: the province chain it works under (000: one province–city working system per chain). */
    parentChainId: integer('parent_chain_id'),
  },
  (t) => [uniqueIndex('chains_government_name_uq').on(t.governmentUnitId, t.name), index('chains_parent_idx').on(t.parentChainId)],
);

/** A Lark group chat the bot is in, and the scope it is bound to. */
export const chatGroups = pgTable(
  'chat_groups',
  {
    id: serial('id').primaryKey(),
    chatId: text('chat_id').notNull(),
    name: text('name').notNull().default(''),
    bindingKind: bindingKind('binding_kind'),
    unitId: integer('unit_id').references(() => units.id),
    chainId: integer('chain_id').references(() => chains.id),
    boundBy: integer('bound_by').references(() => people.id),
    boundAt: ts('bound_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('chat_groups_chat_uq').on(t.chatId),
    index('chat_groups_unit_idx').on(t.unitId),
    index('chat_groups_chain_idx').on(t.chainId),
  ],
);

export const projects = pgTable(
  'projects',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    investor: text('investor'),
    investorRegion: text('investor_region'),
    /**
     * The investor's region as a GB/T 2260 code from the list in src/domain/regions.ts (province or city): 市外 and
     * 省外 are derived from it against the host's city and province (seed 002: "市外1000万元以上有资金到位的项目").
     */
    investorRegionCode: text('investor_region_code'),
    /** 驻外办事处 or investment station that brought it in, for roll-ups. */
    originOffice: text('origin_office'),
    chainId: integer('chain_id').references(() => chains.id),
    stage: stage('stage').notNull().default('planning'),
    firstTalkUnitId: integer('first_talk_unit_id').references(() => units.id),
    hostUnitId: integer('host_unit_id').references(() => units.id),
    ownerId: integer('owner_id').references(() => people.id),
    teamLeadId: integer('team_lead_id').references(() => people.id),
    plannedInvestmentFen: fen('planned_investment_fen'),
    contractAmountFen: fen('contract_amount_fen'),
    /**
     * Deprecated: always true (it could not be set). Replaced by `projectType`; the migration that added
     * project_type mapped it (true → 工业). Nothing reads it; drop it in a later migration.
     */
    industrial: boolean('industrial').notNull().default(true),
    /** 工业, 生产性服务业, 农业, 文旅, 基础设施, 其他 (domain/classification); which count as 产业项目 is a rule. */
    projectType: projectType('project_type').notNull().default('other'),
    /** The way(s) the project came in (domain/classification CHANNELS), for the monthly and annual roll-ups. */
    channels: sourceChannel('channels')
      .array()
      .notNull()
      .default(sql`'{}'::source_channel[]`),
    stageEnteredOn: day('stage_entered_on'),
    signedOn: day('signed_on'),
    /** Agreed start date (合同约定开工日期), recorded at signing: missed → 履约提醒函 (001 三.四). */
    startPlannedOn: day('start_planned_on'),
    /** Agreed investment by a date (约定投资额及期限): funds arrived (verified) below it after the date → a letter. */
    agreedInvestmentFen: fen('agreed_investment_fen'),
    agreedInvestmentBy: day('agreed_investment_by'),
    /** Agreed yearly output and tax (约定产值、税收), when the contract states them (未按约定达效, 001 三.四). */
    agreedOutputFen: fen('agreed_output_fen'),
    agreedTaxFen: fen('agreed_tax_fen'),
    /** The date by which the agreed output and tax are due (约定达效期限); with them, a miss raises a letter. */
    agreedResultsBy: day('agreed_results_by'),
    /** The yearly output and tax as last reported by the owner, held against the agreed ones after that date. */
    reportedOutputFen: fen('reported_output_fen'),
    reportedTaxFen: fen('reported_tax_fen'),
    startedOn: day('started_on'),
    landedOn: day('landed_on'),
    lastProgressOn: day('last_progress_on'),
    transferredTo: text('transferred_to'),
    /**
     * 提级管理 (001 三.三: 对新签约合同引资额5亿元以上的重大招商引资项目，实施提级管理): the day the escalated filing
     * (提级报备) was made, once per project, and the unit whose mechanism it was filed to (the level).
     */
    escalatedOn: day('escalated_on'),
    escalatedToUnitId: integer('escalated_to_unit_id').references(() => units.id),
    note: text('note'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('projects_code_uq').on(t.code),
    // A project's name is unique within its host unit (case folded): a double-submitted form creates one.
    uniqueIndex('projects_host_name_uq').on(t.hostUnitId, sql`lower(${t.name})`),
    index('projects_owner_idx').on(t.ownerId),
    index('projects_host_idx').on(t.hostUnitId),
    index('projects_first_talk_idx').on(t.firstTalkUnitId),
    index('projects_chain_idx').on(t.chainId),
    index('projects_stage_idx').on(t.stage),
  ],
);

export const stageHistory = pgTable(
  'stage_history',
  {
    id: serial('id').primaryKey(),
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    fromStage: stage('from_stage'),
    toStage: stage('to_stage').notNull(),
    reason: text('reason'),
    changedOn: day('changed_on').notNull(),
    byPersonId: integer('by_person_id').references(() => people.id),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [index('stage_history_project_idx').on(t.projectId, t.changedOn)],
);

/** One report per project and period; edits bump `revision` and keep the previous content in report_revisions. */
export const reports = pgTable(
  'reports',
  {
    id: serial('id').primaryKey(),
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    period: text('period').notNull(),
    reporterId: integer('reporter_id').references(() => people.id),
    noChange: boolean('no_change').notNull().default(false),
    progress: text('progress'),
    /** Kinds of substantive progress (domain/progress), empty when none. */
    substantive: text('substantive')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    substantiveNote: text('substantive_note'),
    nextStep: text('next_step'),
    nextStepDue: day('next_step_due'),
    late: boolean('late').notNull().default(false),
    revision: integer('revision').notNull().default(1),
    submittedAt: ts('submitted_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('reports_project_period_uq').on(t.projectId, t.period), index('reports_period_idx').on(t.period)],
);

export const reportRevisions = pgTable(
  'report_revisions',
  {
    id: serial('id').primaryKey(),
    reportId: integer('report_id')
      .notNull()
      .references(() => reports.id, { onDelete: 'cascade' }),
    revision: integer('revision').notNull(),
    content: jsonb('content').notNull(),
    byPersonId: integer('by_person_id').references(() => people.id),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [index('report_revisions_report_idx').on(t.reportId)],
);

export const fundEntries = pgTable(
  'fund_entries',
  {
    id: serial('id').primaryKey(),
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    entryDate: day('entry_date').notNull(),
    amountFen: fen('amount_fen').notNull(),
    evidenceKind: text('evidence_kind').notNull().default('other'),
    status: fundStatus('status').notNull().default('reported'),
    reportId: integer('report_id').references(() => reports.id, { onDelete: 'set null' }),
    reportedById: integer('reported_by_id').references(() => people.id),
    verifiedById: integer('verified_by_id').references(() => people.id),
    verifiedAt: ts('verified_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    /** The evidence (进账单, 验资报告) the owner sent to the bot: Lark's key of the image or file, never the bytes. */
    evidenceKey: text('evidence_key'),
    /** 'image' or 'file': which Lark resource type the key is (GET …/resources/:key?type=…). */
    evidenceType: text('evidence_type'),
    evidenceName: text('evidence_name'),
    /** The message that carried it (a resource is read through its message). */
    evidenceMessageId: text('evidence_message_id'),
    /** 退回: who returned it, when, and why (the reason goes to the owner). */
    rejectedById: integer('rejected_by_id').references(() => people.id),
    rejectedAt: ts('rejected_at'),
    rejectReason: text('reject_reason'),
  },
  (t) => [
    index('fund_entries_project_idx').on(t.projectId),
    index('fund_entries_date_idx').on(t.entryDate),
    index('fund_entries_status_idx').on(t.status),
  ],
);

/**
 * A party outside government that may have to act on a problem (a power or water company, a bank, a state-owned
 * firm: 市供电公司), kept per government so that two cities' 市供电公司 never cross. Added by an admin.
 */
export const externalOrgs = pgTable(
  'external_orgs',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    /** domain/problems EXTERNAL_ORG_KINDS: power, water, gas, bank, soe, other. */
    kind: text('kind').notNull().default('other'),
    contactName: text('contact_name'),
    /** The contact's Lark open_id, when they have one: escalations reach them too. */
    contactOpenId: text('contact_open_id'),
    governmentUnitId: integer('government_unit_id')
      .notNull()
      .references(() => units.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('external_orgs_government_name_uq').on(t.governmentUnitId, t.name)],
);

export const problems = pgTable(
  'problems',
  {
    id: serial('id').primaryKey(),
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    category: problemCategory('category').notNull(),
    description: text('description').notNull(),
    mustActUnitId: integer('must_act_unit_id').references(() => units.id),
    open: boolean('open').notNull().default(true),
    reportId: integer('report_id').references(() => reports.id, { onDelete: 'set null' }),
    raisedOn: day('raised_on').notNull(),
    resolvedOn: day('resolved_on'),
    resolution: text('resolution'),
    /** 限时推进 (001 三.六): solved by this day, default by category from the rules; escalates one level after it. */
    dueOn: day('due_on'),
    /** The party that must act when it is outside government (instead of a unit). */
    mustActOrgId: integer('must_act_org_id').references(() => externalOrgs.id),
    /** The escalation levels done (0: none; 1: the must-act unit's parent government), and the day of the last. */
    escalatedLevel: integer('escalated_level').notNull().default(0),
    escalatedOn: day('escalated_on'),
    resolvedById: integer('resolved_by_id').references(() => people.id),
  },
  (t) => [
    index('problems_project_idx').on(t.projectId),
    index('problems_unit_open_idx').on(t.mustActUnitId, t.open),
    index('problems_due_open_idx').on(t.open, t.dueOn),
  ],
);

/** 事前综合评估 (001 三.四): a project's evaluation before signing (date, conclusion, attached note). */
export const projectEvaluations = pgTable(
  'project_evaluations',
  {
    id: serial('id').primaryKey(),
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    evaluatedOn: day('evaluated_on').notNull(),
    conclusion: text('conclusion').notNull(),
    note: text('note'),
    byPersonId: integer('by_person_id').references(() => people.id),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('project_evaluations_project_idx').on(t.projectId)],
);

/** 外出招商: outbound investment-promotion trips by a unit's leaders, counted against targets. */
export const trips = pgTable(
  'trips',
  {
    id: serial('id').primaryKey(),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id),
    leaderId: integer('leader_id').references(() => people.id),
    destination: text('destination').notNull(),
    startedOn: day('started_on').notNull(),
    endedOn: day('ended_on'),
    note: text('note'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('trips_unit_idx').on(t.unitId, t.startedOn)],
);

export const targets = pgTable(
  'targets',
  {
    id: serial('id').primaryKey(),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id),
    year: integer('year').notNull(),
    trips: integer('trips').notNull(),
    signedBig: integer('signed_big').notNull(),
    landed: integer('landed').notNull(),
  },
  (t) => [uniqueIndex('targets_unit_year_uq').on(t.unitId, t.year)],
);

/** 履约提醒函: one letter per project and reason, tracked open → closed. */
export const performanceLetters = pgTable(
  'performance_letters',
  {
    id: serial('id').primaryKey(),
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    reason: text('reason').notNull(),
    body: text('body').notNull(),
    issuedOn: day('issued_on').notNull(),
    open: boolean('open').notNull().default(true),
    closedOn: day('closed_on'),
    closure: text('closure'),
    /** The owner's answer (what was done), before the unit lead closes the letter. */
    answer: text('answer'),
    answeredOn: day('answered_on'),
  },
  (t) => [uniqueIndex('performance_letters_project_reason_uq').on(t.projectId, t.reason)],
);

/**
 * 转移 (000 三(一): 对洽谈半年以上无实质性进展的项目，经首谈地同意后，可由其他地区重新洽谈，实现利益共享；省商务厅牵头协调):
 * an offer made by a mechanism office whose remit covers both regions, after the stall period; the first-talk unit's
 * lead consents or declines (with a reason). On consent the project moves to `toUnitId` and `fromUnitId` is recorded
 * as sharing it (利益共享). At most one open offer per project.
 */
export const projectTransfers = pgTable(
  'project_transfers',
  {
    id: serial('id').primaryKey(),
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    /** The first-talk unit when offered: whose consent is asked, and who shares the project after consent. */
    fromUnitId: integer('from_unit_id')
      .notNull()
      .references(() => units.id),
    /** The host unit when offered (kept for the record: the project leaves it). */
    fromHostUnitId: integer('from_host_unit_id').references(() => units.id),
    fromOwnerId: integer('from_owner_id').references(() => people.id),
    /** The receiving region's unit. */
    toUnitId: integer('to_unit_id')
      .notNull()
      .references(() => units.id),
    reason: text('reason').notNull(),
    offeredById: integer('offered_by_id')
      .notNull()
      .references(() => people.id),
    offeredOn: day('offered_on').notNull(),
    /** 'offered' → 'accepted' | 'declined'. */
    status: text('status').notNull().default('offered'),
    decidedById: integer('decided_by_id').references(() => people.id),
    decidedOn: day('decided_on'),
    declineReason: text('decline_reason'),
  },
  (t) => [
    index('project_transfers_project_idx').on(t.projectId),
    uniqueIndex('project_transfers_open_uq')
      .on(t.projectId)
      .where(sql`${t.status} = 'offered'`),
  ],
);

/**
 * Every message the bot sends is first a row here, written in the transaction that caused it.
 * `idemKey` makes the cause idempotent; it is also the Lark `uuid` so Lark de-duplicates a resend.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    idemKey: text('idem_key').notNull(),
    /** create | reply | patch | file */
    op: text('op').notNull(),
    receiveIdType: text('receive_id_type'),
    receiveId: text('receive_id'),
    /** For reply and patch: the Lark message id acted on. */
    targetMessageId: text('target_message_id'),
    msgType: text('msg_type').notNull(),
    content: jsonb('content').notNull(),
    status: outboxStatus('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at').notNull().defaultNow(),
    leaseUntil: ts('lease_until'),
    lastError: text('last_error'),
    larkMessageId: text('lark_message_id'),
    createdAt: ts('created_at').notNull().defaultNow(),
    sentAt: ts('sent_at'),
  },
  (t) => [uniqueIndex('outbox_idem_uq').on(t.idemKey), index('outbox_due_idx').on(t.status, t.nextAttemptAt)],
);

/**
 * The inbox: durable de-duplication of Lark deliveries ('event:<event_id>' and 'message:<message_id>') and, for
 * an event whose work runs after the answer, the event itself (kind, payload) until that work is committed
 * (`done_at`). A row with a payload and no `done_at` whose lease has lapsed is resumed by the sweep or by
 * Lark's redelivery. A card callback's answer is kept in `response`, so a duplicate callback gets it again.
 * Rows from before the inbox have no payload: seen and never resumed.
 */
export const processedEvents = pgTable(
  'processed_events',
  {
    key: text('key').primaryKey(),
    receivedAt: ts('received_at').notNull().defaultNow(),
    /** Lark's event_type, for an event stored to be resumed. */
    kind: text('kind'),
    /** The validated envelope as received, for an event stored to be resumed. */
    payload: jsonb('payload'),
    /** When the event's work (and its replies' outbox rows) was committed; null while unfinished. */
    doneAt: ts('done_at'),
    /** The handling process holds the event until then (the database's clock); renewed while it works. */
    leaseUntil: ts('lease_until'),
    /** How many times handling was started (the first delivery included). */
    attempts: integer('attempts').notNull().default(0),
    /** A card callback's answer, replayed to a duplicate delivery. */
    response: jsonb('response'),
  },
  (t) => [
    index('processed_events_received_idx').on(t.receivedAt),
    index('processed_events_unfinished_idx')
      .on(t.leaseUntil)
      .where(sql`${t.doneAt} is null and ${t.payload} is not null`),
  ],
);

/** One row per (job, period key): what makes a scheduled job idempotent across re-runs and instances. */
export const jobRuns = pgTable(
  'job_runs',
  {
    id: serial('id').primaryKey(),
    job: text('job').notNull(),
    periodKey: text('period_key').notNull(),
    status: text('status').notNull(),
    startedAt: ts('started_at').notNull().defaultNow(),
    finishedAt: ts('finished_at'),
    detail: jsonb('detail'),
    /**
     * While 'running': the run is held until then, stamped with the database's clock (`job --at` fixes the
     * injected one) and renewed by the running process; a dead run's lease lapses and the run is taken over.
     */
    leaseUntil: ts('lease_until'),
  },
  (t) => [uniqueIndex('job_runs_job_period_uq').on(t.job, t.periodKey)],
);

/** What a job already did for one recipient in one period, so a crashed run resumes without repeating. */
export const jobDeliveries = pgTable(
  'job_deliveries',
  {
    job: text('job').notNull(),
    periodKey: text('period_key').notNull(),
    recipient: text('recipient').notNull(),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.job, t.periodKey, t.recipient] })],
);

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: ts('at').notNull().defaultNow(),
    actorId: integer('actor_id').references(() => people.id),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
  },
  (t) => [index('audit_log_entity_idx').on(t.entity, t.entityId)],
);

/** Admin-extensible calendar: wins over the chinese-days package (for years it does not know yet). */
export const calendarOverrides = pgTable('calendar_overrides', {
  day: day('day').primaryKey(),
  kind: text('kind').notNull(),
  note: text('note'),
});

/** Configurable rule numbers (deadline day, ageing days, thresholds), key → JSON value. */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** A ledger file sent in chat, waiting for the admin to confirm the preview. */
export const importSessions = pgTable('import_sessions', {
  id: serial('id').primaryKey(),
  personId: integer('person_id').references(() => people.id),
  fileName: text('file_name').notNull(),
  fileKey: text('file_key'),
  messageId: text('message_id'),
  status: text('status').notNull().default('preview'),
  summary: jsonb('summary'),
  createdAt: ts('created_at').notNull().defaultNow(),
  /** The preview card the result replaces (set on 确认导入). */
  cardMessageId: text('card_message_id'),
  /** While 'applying': the process applying it holds it until then (the database's clock), renewing it. */
  leaseUntil: ts('lease_until'),
});
