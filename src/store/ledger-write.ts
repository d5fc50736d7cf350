// Writes a planned ledger import (./ledger-ops.ts) inside the caller's transaction: units parents first, then
// people, chains, projects (in bulk, with their stage history), fund entries, chat groups and targets; every create
// and every changed column is recorded in audit_log. Keys (unit codes, chain names, person keys) become ids as the
// records they name are written.

import { eq, sql } from 'drizzle-orm';
import type { Tx } from './db.js';
import {
  auditLog,
  chains,
  chatGroups,
  externalOrgs,
  fundEntries,
  people,
  problems,
  projectEvaluations,
  projects,
  stageHistory,
  targets,
} from '../../db/schema.js';
import { addDays } from '../domain/calendar.js';
import type { AuditEntry } from './audit.js';
import { upsertUnit } from './directory.js';
import { dbPersonKey, orgKeyOf, sameValue, type FundEntry, type LedgerOps, type ProjectState } from './ledger-ops.js';
import type { LedgerSnapshot } from './ledger-snapshot.js';
import { bulkInsert, bulkUpdateById, rowsOf, type Fields } from './ledger-sql.js';

export interface LedgerWriteOptions {
  /** The person importing (audit_log.actor_id, stage_history.by_person_id, verified/bound by), if known. */
  actorId: number | null;
  /** Calendar day for the stage dates of projects created or moved when the file gives none ('YYYY-MM-DD'). */
  today: string;
  /** The time written to updated, verified and bound columns. */
  now: Date;
  /** stage_history.reason of the stage moves the import makes (worded by the caller). */
  historyReason: string;
}

/** Any constant: it only has to be the same for every instance, so two confirmed imports run one after the other. */
const IMPORT_LOCK_KEY = 7_310_042_006;

/** Holds the import lock until the transaction ends. */
export async function lockLedgerImport(tx: Tx): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${IMPORT_LOCK_KEY})`);
}

/**
 * A big first import leaves the planner's statistics saying the tables are empty; the next query by code would
 * scan. ANALYZE is allowed in a transaction and takes a sample, so it is cheap next to the import itself.
 */
export async function refreshLedgerStatistics(tx: Tx): Promise<void> {
  await tx.execute(sql`analyze projects, fund_entries, audit_log, stage_history`);
}

/** The time of the transaction, for callers that were given no clock: one "now" for every row of the import. */
export async function transactionTime(tx: Tx): Promise<Date> {
  const [row] = rowsOf(await tx.execute(sql`select (extract(epoch from now()) * 1000)::bigint::text as ms`));
  return new Date(Number(row!.ms));
}

/** The project fields an import writes (code only on insert; stage_entered_on only when the stage moved). */
const PROJECT_FIELDS = [
  'name',
  'investor',
  'investorRegion',
  'investorRegionCode',
  'originOffice',
  'projectType',
  'channels',
  'chainId',
  'stage',
  'firstTalkUnitId',
  'hostUnitId',
  'ownerId',
  'plannedInvestmentFen',
  'contractAmountFen',
  'stageEnteredOn',
  'signedOn',
  'startedOn',
  'landedOn',
  'lastProgressOn',
  'transferredTo',
  'note',
  'startPlannedOn',
  'agreedInvestmentFen',
  'agreedInvestmentBy',
  'agreedOutputFen',
  'agreedTaxFen',
  'agreedResultsBy',
  'teamLeadId',
] as const satisfies Fields<typeof projects>;

const HISTORY_FIELDS = ['projectId', 'fromStage', 'toStage', 'reason', 'changedOn', 'byPersonId'] as const satisfies Fields<
  typeof stageHistory
>;

const FUND_FIELDS = [
  'projectId',
  'entryDate',
  'amountFen',
  'evidenceKind',
  'status',
  'reportedById',
  'verifiedById',
  'verifiedAt',
] as const satisfies Fields<typeof fundEntries>;

const AUDIT_FIELDS = ['actorId', 'action', 'entity', 'entityId', 'before', 'after'] as const satisfies Fields<typeof auditLog>;

function changedColumns<T extends Record<string, unknown>>(before: T, after: Partial<T>): { before: Partial<T>; after: Partial<T> } | null {
  const b: Partial<T> = {};
  const a: Partial<T> = {};
  let any = false;
  for (const k of Object.keys(after) as (keyof T)[]) {
    if (!sameValue(before[k], after[k])) {
      b[k] = before[k];
      a[k] = after[k];
      any = true;
    }
  }
  return any ? { before: b, after: a } : null;
}

export async function writeLedger(tx: Tx, snapshot: LedgerSnapshot, ops: LedgerOps, opts: LedgerWriteOptions): Promise<void> {
  const { actorId, today, now } = opts;
  const audit: AuditEntry[] = [];
  const log = (action: 'create' | 'update', entity: string, id: number, before: unknown, after: unknown) =>
    audit.push({ actorId, action: `ledger.import.${action}`, entity, entityId: String(id), before: before ?? null, after });

  // Units, parents first.
  const unitIds = new Map<string, number>([...snapshot.unitsByCode].map(([code, u]) => [code, u.id]));
  const unitId = (code: string | null): number | null => (code === null ? null : unitIds.get(code)!);
  for (const op of ops.units) {
    const values = { code: op.code, name: op.state.name, kind: op.state.kind, parentId: unitId(op.state.parentCode) };
    const row = await upsertUnit(tx, values);
    unitIds.set(op.code, row.id);
    if (op.existing) {
      const diff = changedColumns(
        { name: op.existing.name, kind: op.existing.kind, parentId: op.existing.parentId } as Record<string, unknown>,
        { name: values.name, kind: values.kind, parentId: values.parentId },
      );
      if (diff) log('update', 'unit', row.id, diff.before, diff.after);
    } else log('create', 'unit', row.id, null, values);
  }

  // People.
  const personIds = new Map<string, number>(snapshot.people.map((p) => [dbPersonKey(p.id), p.id]));
  const personId = (pkey: string | null): number | null => (pkey === null ? null : personIds.get(pkey)!);
  for (const op of ops.people) {
    const s = op.state;
    const values = {
      name: s.name,
      unitId: unitId(s.unitCode),
      roles: s.roles,
      title: s.title,
      mobile: s.mobile,
      email: s.email,
      openId: s.openId,
    };
    if (op.existing) {
      const e = op.existing;
      await tx
        .update(people)
        .set({ ...values, updatedAt: now })
        .where(eq(people.id, e.id));
      const diff = changedColumns({ ...e, roles: [...e.roles].sort() } as Record<string, unknown>, values);
      if (diff) log('update', 'person', e.id, diff.before, diff.after);
    } else {
      const [row] = await tx.insert(people).values(values).returning({ id: people.id });
      personIds.set(op.pkey, row!.id);
      log('create', 'person', row!.id, null, values);
    }
  }

  // Chains.
  const chainIds = new Map<string, number>([...snapshot.chainsByKey].map(([key, c]) => [key, c.id]));
  const chainId = (key: string | null): number | null => (key === null ? null : chainIds.get(key)!);
  for (const op of ops.chains) {
    const s = op.state;
    const values = {
      aliases: s.aliases,
      leaderId: personId(s.leader),
      secretaryId: personId(s.secretary),
      leadUnitId: unitId(s.leadUnitCode),
      // The planner orders chains by government, higher first, so a parent is written before its city chains.
      parentChainId: chainId(s.parent),
    };
    if (op.existing) {
      await tx.update(chains).set(values).where(eq(chains.id, op.existing.id));
      const diff = changedColumns(op.existing as Record<string, unknown>, values);
      if (diff) log('update', 'chain', op.existing.id, diff.before, diff.after);
    } else {
      const governmentUnitId = unitId(op.governmentCode);
      const [row] = await tx
        .insert(chains)
        .values({ name: op.name, governmentUnitId, ...values })
        .returning({ id: chains.id });
      chainIds.set(op.key, row!.id);
      log('create', 'chain', row!.id, null, { name: op.name, governmentUnitId, ...values });
    }
  }

  // External organisations (外部单位), per government.
  const orgIds = new Map<string, number>([...snapshot.orgsByKey].map(([key, o]) => [key, o.id]));
  for (const op of ops.orgs) {
    const values = { kind: op.state.kind, contactName: op.state.contactName, contactOpenId: op.state.contactOpenId };
    if (op.existing) {
      await tx.update(externalOrgs).set(values).where(eq(externalOrgs.id, op.existing.id));
      const diff = changedColumns(op.existing as Record<string, unknown>, values);
      if (diff) log('update', 'external_org', op.existing.id, diff.before, diff.after);
    } else {
      const row = { name: op.name, governmentUnitId: unitId(op.governmentCode)!, ...values };
      const [ins] = await tx.insert(externalOrgs).values(row).returning({ id: externalOrgs.id });
      orgIds.set(orgKeyOf(op.governmentCode, op.name), ins!.id);
      log('create', 'external_org', ins!.id, null, row);
    }
  }

  // Projects, the big sheet: inserted and updated in bulk; stage moves recorded in stage_history.
  const projectIds = new Map<string, number>([...snapshot.projects].map(([code, p]) => [code, p.id]));
  const reason = opts.historyReason;
  const projectValues = (s: ProjectState) => ({
    name: s.name,
    investor: s.investor,
    investorRegion: s.investorRegion,
    investorRegionCode: s.investorRegionCode,
    originOffice: s.originOffice,
    projectType: s.projectType,
    channels: s.channels,
    chainId: chainId(s.chain),
    stage: s.stage,
    firstTalkUnitId: unitId(s.firstTalkUnitCode),
    hostUnitId: unitId(s.hostUnitCode),
    ownerId: personId(s.owner),
    plannedInvestmentFen: s.plannedFen,
    contractAmountFen: s.contractFen,
    signedOn: s.signedOn,
    startedOn: s.startedOn,
    landedOn: s.landedOn,
    lastProgressOn: s.lastProgressOn,
    transferredTo: s.transferredTo,
    note: s.note,
    startPlannedOn: s.agreedStartOn,
    agreedInvestmentFen: s.agreedInvestmentFen,
    agreedInvestmentBy: s.agreedInvestmentBy,
    agreedOutputFen: s.agreedOutputFen,
    agreedTaxFen: s.agreedTaxFen,
    agreedResultsBy: s.agreedResultsBy,
    teamLeadId: personId(s.teamLead),
  });
  /** The day a project entered its stage, when the file says it: signed on the signing day, landed on the landing day. */
  const enteredOn = (s: ProjectState) => (s.stage === 'signed' ? s.signedOn : s.stage === 'landed' ? s.landedOn : null) ?? today;
  const history: (typeof stageHistory.$inferInsert)[] = [];

  const added = ops.projects
    .filter((o) => o.op === 'add')
    .map((op) => ({ code: op.code, ...projectValues(op.state), stageEnteredOn: enteredOn(op.state) }));
  const byCode = new Map(added.map((r) => [r.code, r]));
  const inserted = await bulkInsert(tx, projects, ['code', ...PROJECT_FIELDS], added, 'id, code');
  for (const r of inserted) {
    const id = Number(r.id);
    const values = byCode.get(String(r.code))!;
    projectIds.set(values.code, id);
    log('create', 'project', id, null, values);
    history.push({ projectId: id, fromStage: null, toStage: values.stage, reason, changedOn: values.stageEnteredOn, byPersonId: actorId });
  }
  const updated: (ReturnType<typeof projectValues> & { id: number; stageEnteredOn?: string })[] = [];
  for (const op of ops.projects) {
    if (op.op !== 'change') continue;
    const e = op.existing!;
    const values: ReturnType<typeof projectValues> & { stageEnteredOn?: string } = projectValues(op.state);
    if (values.stage !== e.stage) {
      values.stageEnteredOn = enteredOn(op.state);
      history.push({
        projectId: e.id,
        fromStage: e.stage,
        toStage: values.stage,
        reason,
        changedOn: values.stageEnteredOn,
        byPersonId: actorId,
      });
    }
    updated.push({ id: e.id, ...values });
    const diff = changedColumns(e as Record<string, unknown>, values);
    if (diff) log('update', 'project', e.id, diff.before, diff.after);
  }
  await bulkUpdateById(tx, projects, PROJECT_FIELDS, updated, {
    keepWhenNull: ['stageEnteredOn'],
    extra: sql`updated_at = ${now.toISOString()}::timestamptz`,
  });
  await bulkInsert(tx, stageHistory, HISTORY_FIELDS, history);

  // Fund entries.
  const verified = (status: FundEntry['status']) =>
    status === 'verified' ? { verifiedById: actorId, verifiedAt: now } : { verifiedById: null, verifiedAt: null };
  const newFunds = ops.funds
    .filter((o) => o.op === 'add')
    .map((op) => ({
      projectId: projectIds.get(op.projectCode)!,
      entryDate: op.date,
      amountFen: op.fen,
      evidenceKind: op.state.evidenceKind,
      status: op.state.status,
      reportedById: actorId,
      ...verified(op.state.status),
    }));
  const fundKey = (projectId: unknown, date: unknown, fen: unknown) => `${projectId}|${date}|${fen}`;
  const fundsByKey = new Map(newFunds.map((f) => [fundKey(f.projectId, f.entryDate, f.amountFen), f]));
  const insertedFunds = await bulkInsert(
    tx,
    fundEntries,
    FUND_FIELDS,
    newFunds,
    // Formatted so that a returned row finds its entry by value: the date and the amount as the entry holds them.
    "id, project_id, to_char(entry_date, 'YYYY-MM-DD') as entry_date, amount_fen::text as amount_fen",
  );
  for (const r of insertedFunds) {
    const { verifiedAt: _at, ...values } = fundsByKey.get(fundKey(r.project_id, r.entry_date, r.amount_fen))!;
    log('create', 'fund_entry', Number(r.id), null, values);
  }
  for (const op of ops.funds) {
    if (op.op !== 'change') continue;
    const e = op.existing!;
    const values = { evidenceKind: op.state.evidenceKind, status: op.state.status };
    const statusMoved = values.status !== e.status;
    await tx
      .update(fundEntries)
      .set({ ...values, ...(statusMoved ? verified(values.status) : {}) })
      .where(eq(fundEntries.id, e.id));
    const diff = changedColumns(e as Record<string, unknown>, values);
    if (diff) log('update', 'fund_entry', e.id, diff.before, diff.after);
  }

  // Evaluations before signing (事前综合评估).
  for (const op of ops.evaluations) {
    const values = { conclusion: op.state.conclusion, note: op.state.note };
    if (op.existing) {
      await tx.update(projectEvaluations).set(values).where(eq(projectEvaluations.id, op.existing.id));
      const diff = changedColumns(op.existing as Record<string, unknown>, values);
      if (diff) log('update', 'project_evaluation', op.existing.id, diff.before, diff.after);
    } else {
      const row = { projectId: projectIds.get(op.projectCode)!, evaluatedOn: op.date, ...values, byPersonId: actorId };
      const [ins] = await tx.insert(projectEvaluations).values(row).returning({ id: projectEvaluations.id });
      log('create', 'project_evaluation', ins!.id, null, row);
    }
  }

  // Problems, with who must act and by when (001 三.六 限时推进).
  for (const op of ops.problems) {
    const s = op.state;
    const raisedOn = s.raisedOn || today;
    const values = {
      category: s.category,
      raisedOn,
      dueOn: s.dueOn ?? (op.dueDays !== undefined ? addDays(raisedOn, op.dueDays) : null),
      mustActUnitId: unitId(s.mustActUnitCode),
      mustActOrgId: s.mustActOrg === null ? null : orgIds.get(s.mustActOrg)!,
      open: s.open,
      resolvedOn: s.resolvedOn,
      resolution: s.resolution,
    };
    if (op.existing) {
      const closedNow = op.existing.open && !s.open;
      await tx
        .update(problems)
        .set({ ...values, ...(closedNow ? { resolvedById: actorId } : s.open ? { resolvedById: null } : {}) })
        .where(eq(problems.id, op.existing.id));
      const diff = changedColumns(op.existing as Record<string, unknown>, values);
      if (diff) log('update', 'problem', op.existing.id, diff.before, diff.after);
    } else {
      const row = {
        projectId: projectIds.get(op.projectCode)!,
        description: op.description,
        ...values,
        resolvedById: s.open ? null : actorId,
      };
      const [ins] = await tx.insert(problems).values(row).returning({ id: problems.id });
      log('create', 'problem', ins!.id, null, row);
    }
  }

  // Group chats.
  for (const op of ops.groups) {
    const s = op.state;
    const values = { name: s.name, bindingKind: s.bindingKind, unitId: unitId(s.unitCode), chainId: chainId(s.chainName) };
    const e = op.existing;
    const rebound = !e || e.bindingKind !== values.bindingKind || e.unitId !== values.unitId || e.chainId !== values.chainId;
    const bound = rebound && values.bindingKind !== null ? { boundBy: actorId, boundAt: now } : {};
    if (e) {
      await tx
        .update(chatGroups)
        .set({ ...values, ...bound })
        .where(eq(chatGroups.id, e.id));
      const diff = changedColumns(e as Record<string, unknown>, values);
      if (diff) log('update', 'chat_group', e.id, diff.before, diff.after);
    } else {
      const [row] = await tx
        .insert(chatGroups)
        .values({ chatId: op.chatId, ...values, ...bound })
        .returning({ id: chatGroups.id });
      log('create', 'chat_group', row!.id, null, { chatId: op.chatId, ...values });
    }
  }

  // Targets.
  for (const op of ops.targets) {
    const values = { trips: op.state.trips, signedBig: op.state.signedBig, landed: op.state.landed };
    if (op.existing) {
      await tx.update(targets).set(values).where(eq(targets.id, op.existing.id));
      const diff = changedColumns(op.existing as Record<string, unknown>, values);
      if (diff) log('update', 'target', op.existing.id, diff.before, diff.after);
    } else {
      const row = { unitId: unitId(op.unitCode)!, year: op.year, ...values };
      const [ins] = await tx.insert(targets).values(row).returning({ id: targets.id });
      log('create', 'target', ins!.id, null, row);
    }
  }

  // In bulk rather than through audit(): an import of thousands of projects audits as many rows (see ledger-sql.ts).
  await bulkInsert(
    tx,
    auditLog,
    AUDIT_FIELDS,
    audit.map((e) => ({ ...e, entityId: String(e.entityId), before: e.before ?? null, after: e.after ?? null })),
  );
}
