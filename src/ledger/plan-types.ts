// The shapes an import plan and its result take, shared by the planner (import.ts) and what words them
// (preview.ts), so that neither depends on the other.

import type { StageId } from '../domain/stages.js';
import type { BindingKind, FundStatus, Role, SheetId, UnitKind } from './columns.js';
import type { LedgerError, LedgerWarning, LedgerWorkbook } from './read.js';
import type { schema } from '../store/db.js';

type Unit = typeof schema.units.$inferSelect;
type Person = typeof schema.people.$inferSelect;
type Chain = typeof schema.chains.$inferSelect;
type ChatGroup = typeof schema.chatGroups.$inferSelect;
type Target = typeof schema.targets.$inferSelect;
type Project = typeof schema.projects.$inferSelect;
type FundEntry = typeof schema.fundEntries.$inferSelect;

export interface SheetCounts {
  add: number;
  change: number;
  same: number;
}

export interface ImportPlan {
  fileName: string;
  workbook: LedgerWorkbook;
  /** Every problem; when not empty, applyImport refuses and nothing is written. */
  errors: LedgerError[];
  warnings: LedgerWarning[];
  /** Per sheet present in the file: records to add, to change, already the same. */
  counts: Partial<Record<SheetId, SheetCounts>>;
  /** The writes, in key space (internal to this module; recomputed by applyImport inside its transaction). */
  ops: Ops;
}

export interface ApplyOptions {
  /** Calendar day used for stage dates of projects created or moved ('YYYY-MM-DD'); default today in Asia/Shanghai. */
  today?: string;
  /** The person importing (audit_log.actor_id, stage_history.by_person_id, chat_groups.bound_by). */
  actorId?: number | null;
}

export interface ApplyResult {
  counts: Partial<Record<SheetId, SheetCounts>>;
  added: number;
  changed: number;
  same: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Desired state of each record, in key space

export interface UnitState {
  name: string;
  kind: UnitKind;
  parentCode: string | null;
}
export interface PersonState {
  name: string;
  unitCode: string;
  roles: Role[];
  title: string | null;
  mobile: string | null;
  email: string | null;
  openId: string | null;
}
export interface ChainState {
  aliases: string[];
  leader: string | null;
  secretary: string | null;
  leadUnitCode: string | null;
}
export interface ProjectState {
  name: string;
  investor: string | null;
  investorRegion: string | null;
  originOffice: string | null;
  chain: string | null;
  stage: StageId;
  firstTalkUnitCode: string | null;
  hostUnitCode: string | null;
  owner: string | null;
  plannedFen: number | null;
  contractFen: number | null;
  signedOn: string | null;
  startedOn: string | null;
  landedOn: string | null;
  lastProgressOn: string | null;
  transferredTo: string | null;
  note: string | null;
}
export interface FundState {
  evidenceKind: string;
  status: FundStatus;
}
export interface GroupState {
  name: string;
  bindingKind: BindingKind | null;
  unitCode: string | null;
  chainName: string | null;
}
export interface TargetState {
  trips: number;
  signedBig: number;
  landed: number;
}

export interface Op<S, E> {
  op: 'add' | 'change';
  state: S;
  existing?: E;
}

export interface Ops {
  units: (Op<UnitState, Unit> & { code: string })[];
  people: (Op<PersonState, Person> & { pkey: string })[];
  chains: (Op<ChainState, Chain> & { name: string })[];
  projects: (Op<ProjectState, Project> & { code: string })[];
  funds: (Op<FundState, FundEntry> & { projectCode: string; date: string; fen: number })[];
  groups: (Op<GroupState, ChatGroup> & { chatId: string })[];
  targets: (Op<TargetState, Target> & { unitCode: string; year: number })[];
}

export function emptyOps(): Ops {
  return { units: [], people: [], chains: [], projects: [], funds: [], groups: [], targets: [] };
}
