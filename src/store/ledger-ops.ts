// What a ledger import writes, as the planner (src/ledger) hands it to the writer (./ledger-write.ts): the desired
// state of each record in "key space" (unit codes, chain names, person keys), so that a row may point at a record
// that only exists further down the same file; the writer turns keys into ids as it inserts, in dependency order.

import type { Channel, ProjectType } from '../domain/classification.js';
import type { Chain, ChatGroup, Person, Unit } from './directory.js';
import type { schema } from './db.js';

export type Project = typeof schema.projects.$inferSelect;
export type FundEntry = typeof schema.fundEntries.$inferSelect;
export type Target = typeof schema.targets.$inferSelect;
export type ExternalOrgRow = typeof schema.externalOrgs.$inferSelect;
export type Evaluation = typeof schema.projectEvaluations.$inferSelect;
export type ProblemRecord = typeof schema.problems.$inferSelect;

export interface UnitState {
  name: string;
  kind: Unit['kind'];
  parentCode: string | null;
}
export interface PersonState {
  name: string;
  unitCode: string;
  roles: Person['roles'];
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
  /** For a city chain: the key (chainKeyOf) of the province chain it works under (000: one province–city system). */
  parent: string | null;
}
/** A project's columns in the ledger that the import plans and the export writes alike (its units aside). */
export interface ProjectColumns {
  name: string;
  investor: string | null;
  investorRegion: string | null;
  /** The investor's region code (GB/T 2260, src/domain/regions.ts), read from the code column or the free text. */
  investorRegionCode: string | null;
  originOffice: string | null;
  /** 工业, 生产性服务业, … (domain/classification). */
  projectType: ProjectType;
  /** Source channels (domain/classification), in the list's order. */
  channels: Channel[];
  /** The chain: its name in the export; its key (chainKeyOf) in an import plan. */
  chain: string | null;
  stage: Project['stage'];
  owner: string | null;
  plannedFen: number | null;
  contractFen: number | null;
  signedOn: string | null;
  startedOn: string | null;
  landedOn: string | null;
  lastProgressOn: string | null;
  transferredTo: string | null;
  note: string | null;
  /** The contract's agreed terms (001 三.四 履约提醒函 rest on them), new columns at the end of the sheet. */
  agreedStartOn: string | null;
  agreedInvestmentFen: number | null;
  agreedInvestmentBy: string | null;
  agreedOutputFen: number | null;
  agreedTaxFen: number | null;
  agreedResultsBy: string | null;
  /** The service team lead (包保专班负责人): their name in the export; their person key in an import plan. */
  teamLead: string | null;
}
export interface ProjectState extends ProjectColumns {
  firstTalkUnitCode: string | null;
  hostUnitCode: string | null;
}
export interface FundState {
  evidenceKind: string;
  status: FundEntry['status'];
}
export interface GroupState {
  name: string;
  bindingKind: ChatGroup['bindingKind'];
  unitCode: string | null;
  /** The bound chain's key (chainKeyOf). */
  chainName: string | null;
}
export interface TargetState {
  trips: number;
  signedBig: number;
  landed: number;
}

export interface OrgState {
  kind: string;
  contactName: string | null;
  contactOpenId: string | null;
}
export interface EvaluationState {
  conclusion: string;
  note: string | null;
}
export interface ProblemState {
  category: ProblemRecord['category'];
  /** '' for a new problem without a day: the day of the import. */
  raisedOn: string;
  dueOn: string | null;
  mustActUnitCode: string | null;
  /** The external organisation's key (orgKeyOf). */
  mustActOrg: string | null;
  open: boolean;
  resolvedOn: string | null;
  resolution: string | null;
}

/** An external organisation's key in a plan: its government's unit code and its name (two cities' 市供电公司 differ). */
export const orgKeyOf = (governmentCode: string, name: string): string => `${governmentCode}/${name}`;

export interface Op<S, E> {
  op: 'add' | 'change';
  state: S;
  existing?: E;
}

export interface LedgerOps {
  units: (Op<UnitState, Unit> & { code: string })[];
  people: (Op<PersonState, Person> & { pkey: string })[];
  /** `key` is chainKeyOf(government code, name): chains are per government (the province's 新能源 is not a city's). */
  chains: (Op<ChainState, Chain> & { key: string; name: string; governmentCode: string | null })[];
  projects: (Op<ProjectState, Project> & { code: string })[];
  funds: (Op<FundState, FundEntry> & { projectCode: string; date: string; fen: number })[];
  groups: (Op<GroupState, ChatGroup> & { chatId: string })[];
  targets: (Op<TargetState, Target> & { unitCode: string; year: number })[];
  orgs: (Op<OrgState, ExternalOrgRow> & { name: string; governmentCode: string })[];
  evaluations: (Op<EvaluationState, Evaluation> & { projectCode: string; date: string })[];
  /** `dueDays`: for a new problem without a due date or a day raised, its category's days from the rules. */
  problems: (Op<ProblemState, ProblemRecord> & { projectCode: string; description: string; dueDays?: number })[];
}

export function emptyOps(): LedgerOps {
  return { units: [], people: [], chains: [], projects: [], funds: [], groups: [], targets: [], orgs: [], evaluations: [], problems: [] };
}

/**
 * A chain's key in a plan: its government's unit code and its name (链长制 is per government: the province's 新能源
 * and each city's are different chains with the same name). A chain not yet placed has an empty government part.
 */
export const chainKeyOf = (governmentCode: string | null, name: string): string => `${governmentCode ?? ''}/${name}`;

/** The key of a person already in the database (people of the file that are new get keys of their own). */
export const dbPersonKey = (id: number): string => `#${id}`;

/** Whether a field's value differs, as the planner counts changes and the writer audits them (arrays by element). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}
