// What each sheet's row must hold: a zod schema per sheet, built from field schemas that turn cells into values
// (amounts in fen through domain/amount, days through domain/calendar, enumeration words into ids) and word every
// bad cell's reason. Whether a referenced unit, person, chain or project exists is not known here: the planners
// (plan-directory.ts, plan-projects.ts) check that against the same file and the database.

import { z } from 'zod';
import { t } from '../text.js';
import { parseAmount } from '../domain/amount.js';
import { parseDate } from '../domain/calendar.js';
import { parseStage, STAGES, type StageId } from '../domain/stages.js';
import {
  bindingKinds,
  channels as channelWords,
  evidenceKinds,
  fundStatuses,
  orgKinds,
  problemCategories,
  problemStatuses,
  projectTypes,
  roles as roleWords,
  unitKinds,
  type SheetId,
  type Vocabulary,
} from './columns.js';
import { normaliseChannels } from '../domain/classification.js';
import { cellText, excelDateToDay, normalizeCode, normalizeMobile, numberText, serialToDay, type CellValue } from './cells.js';
import { amountErrorText, dateErrorText, stageLabel } from '../words.js';

type Ctx = z.core.$RefinementCtx<unknown>;
const fail = (ctx: Ctx, message: string): never => {
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
};

const MAX_TEXT = 1000;

function textOf(v: unknown): string | null {
  const s = cellText(v as CellValue)
    .replace(/\u3000/g, ' ')
    .trim();
  return s === '' ? null : s;
}

const field = <T>(fn: (v: CellValue, ctx: Ctx) => T) => z.unknown().transform((v, ctx) => fn((v ?? null) as CellValue, ctx));

const text = (max = MAX_TEXT) =>
  field((v, ctx) => {
    const s = textOf(v);
    if (s !== null && [...s].length > max) return fail(ctx, t('ledger.err.too_long', { max }));
    return s;
  });

const code = () =>
  field((v, ctx) => {
    const s = textOf(v);
    if (s === null) return null;
    const c = normalizeCode(s);
    if (c.length > 64) return fail(ctx, t('ledger.err.too_long', { max: 64 }));
    return c;
  });

function required<T>(inner: z.ZodType<T | null, unknown>) {
  return inner.transform((v, ctx) => (v === null ? fail(ctx, t('ledger.err.required')) : v));
}

export type AmountUnit = 'yuan' | 'wan' | 'yi';

const amount = (unit: AmountUnit, positive = false) =>
  field((v, ctx) => {
    let s = typeof v === 'number' ? numberText(v) : textOf(v);
    if (s === null) return null;
    // A bare number in a column headed (亿元): the parser knows 元 and 万元 defaults, so spell the unit out.
    if (unit === 'yi' && /^[\d,.\s]+$/.test(s)) s = `${s}亿`;
    const r = parseAmount(s, { defaultUnit: unit === 'yuan' ? 'yuan' : 'wan' });
    if (!r.ok) return fail(ctx, amountErrorText(r));
    if (positive && r.fen <= 0) return fail(ctx, t('ledger.err.not_positive'));
    return r.fen;
  });

const date = () =>
  field((v, ctx) => {
    if (v instanceof Date) return excelDateToDay(v) ?? fail(ctx, dateErrorText({ code: 'invalid', input: String(v) }));
    // A day serial in a cell not formatted as a date (or a formula's result): 10000 is 1927, 2958465 is 9999-12-31.
    if (typeof v === 'number' && v >= 10_000 && v <= 2_958_465) return serialToDay(v)!;
    const s = textOf(v);
    if (s === null) return null;
    const r = parseDate(s);
    return r.ok ? r.date : fail(ctx, dateErrorText(r));
  });

const int = () =>
  field((v, ctx) => {
    if (typeof v === 'number')
      return Number.isInteger(v) && v >= 0 && v <= 1_000_000 ? v : fail(ctx, t('ledger.err.bad_int', { value: numberText(v) }));
    const s = textOf(v);
    if (s === null) return null;
    const m = /^(\d{1,7})(?:次|个|项)?$/.exec(normalizeCode(s));
    return m ? Number(m[1]) : fail(ctx, t('ledger.err.bad_int', { value: s }));
  });

const year = () =>
  field((v, ctx) => {
    const s = typeof v === 'number' ? numberText(v) : textOf(v);
    if (s === null) return null;
    const m = /^(\d{4})(?:年|年度)?$/.exec(normalizeCode(s));
    const y = m ? Number(m[1]) : NaN;
    return y >= 2000 && y <= 2100 ? y : fail(ctx, t('ledger.err.bad_year', { value: s }));
  });

const word = <T extends string>(vocab: Vocabulary<T>) =>
  field((v, ctx) => {
    const s = textOf(v);
    if (s === null) return null;
    return vocab.parse(s) ?? fail(ctx, t('ledger.err.unknown_value', { value: s, options: vocab.options() }));
  });

const stage = () =>
  field((v, ctx): StageId | null => {
    const s = textOf(v);
    if (s === null) return null;
    return (
      parseStage(s) ??
      fail(ctx, t('ledger.err.unknown_stage', { value: s, options: STAGES.map(stageLabel).join(t('ledger.list_separator')) }))
    );
  });

const LIST_SEPARATORS = /[、,，;；/\s]+/;

const roleList = () =>
  field((v, ctx) => {
    const s = textOf(v);
    if (s === null) return null;
    const out = new Set<(typeof roleWords.ids)[number]>();
    for (const part of s.split(LIST_SEPARATORS).filter(Boolean)) {
      const r = roleWords.parse(part);
      if (!r) return fail(ctx, t('ledger.err.unknown_value', { value: part, options: roleWords.options() }));
      out.add(r);
    }
    return [...out].sort();
  });

/** Source channels: one or more of the list, separated as officers separate them (、 ， ; / or spaces). */
const channelList = () =>
  field((v, ctx) => {
    const s = textOf(v);
    if (s === null) return null;
    const out: (typeof channelWords.ids)[number][] = [];
    for (const part of s.split(LIST_SEPARATORS).filter(Boolean)) {
      const c = channelWords.parse(part);
      if (!c) return fail(ctx, t('ledger.err.unknown_value', { value: part, options: channelWords.options() }));
      out.push(c);
    }
    return normaliseChannels(out);
  });

const list = () =>
  field((v) => {
    const s = textOf(v);
    if (s === null) return null;
    return [
      ...new Set(
        s
          .split(/[、,，;；]+/)
          .map((x) => x.trim())
          .filter(Boolean),
      ),
    ];
  });

const mobile = () =>
  field((v, ctx) => {
    const s = textOf(v);
    if (s === null) return null;
    return normalizeMobile(s) ?? fail(ctx, t('ledger.err.bad_mobile', { value: s }));
  });

const email = () =>
  field((v, ctx) => {
    const s = textOf(v);
    if (s === null) return null;
    const e = normalizeCode(s);
    return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e) && e.length <= 200 ? e : fail(ctx, t('ledger.err.bad_email', { value: s }));
  });

const prefixedId = (prefix: 'ou_' | 'oc_') =>
  field((v, ctx) => {
    const s = textOf(v);
    if (s === null) return null;
    const id = normalizeCode(s);
    if (id.startsWith(prefix) && /^[A-Za-z0-9_-]{4,100}$/.test(id)) return id;
    return fail(ctx, t(prefix === 'ou_' ? 'ledger.err.bad_open_id' : 'ledger.err.bad_chat_id', { value: s }));
  });

// Sheet schemas. Every field is null when its cell is empty (or its column absent): for an existing record that
// means "leave as is", for a new one "no value"; the planners decide which fields a new record needs.

export type AmountHints = Partial<Record<string, AmountUnit>>;

export const unitRowSchema = () =>
  z.object({
    code: required(code()),
    name: text(200),
    kind: word(unitKinds),
    parentCode: code(),
  });

export const personRowSchema = () =>
  z.object({
    name: required(text(50)),
    unitCode: required(code()),
    roles: roleList(),
    title: text(100),
    mobile: mobile(),
    email: email(),
    openId: prefixedId('ou_'),
  });

export const chainRowSchema = () =>
  z.object({
    name: required(text(50)),
    aliases: list(),
    leader: text(50),
    secretary: text(50),
    leadUnitCode: code(),
    governmentCode: code(),
    parentChain: text(50),
  });

export const projectRowSchema = (h: AmountHints = {}) =>
  z.object({
    code: required(code()),
    name: text(200),
    investor: text(200),
    investorRegion: text(100),
    investorRegionCode: code(),
    originOffice: text(50),
    chain: text(50),
    projectType: word(projectTypes),
    channels: channelList(),
    stage: stage(),
    firstTalkUnitCode: code(),
    hostUnitCode: code(),
    owner: text(50),
    plannedFen: amount(h.plannedFen ?? 'wan'),
    contractFen: amount(h.contractFen ?? 'wan'),
    signedOn: date(),
    startedOn: date(),
    landedOn: date(),
    lastProgressOn: date(),
    transferredTo: text(100),
    note: text(MAX_TEXT),
    // The contract's agreed terms (001 三.四), at the end of the sheet.
    agreedStartOn: date(),
    agreedInvestmentFen: amount(h.agreedInvestmentFen ?? 'wan'),
    agreedInvestmentBy: date(),
    agreedOutputFen: amount(h.agreedOutputFen ?? 'wan'),
    agreedTaxFen: amount(h.agreedTaxFen ?? 'wan'),
    agreedResultsBy: date(),
    teamLead: text(50),
  });

export const fundRowSchema = (h: AmountHints = {}) =>
  z.object({
    projectCode: required(code()),
    date: required(date()),
    fen: required(amount(h.fen ?? 'wan', true)),
    evidenceKind: word(evidenceKinds),
    status: word(fundStatuses),
  });

export const groupRowSchema = () =>
  z.object({
    chatId: required(prefixedId('oc_')),
    name: text(200),
    bindingKind: word(bindingKinds),
    target: text(100),
  });

export const targetRowSchema = () =>
  z.object({
    unitCode: required(code()),
    year: required(year()),
    trips: int(),
    signedBig: int(),
    landed: int(),
  });

export const orgRowSchema = () =>
  z.object({
    name: required(text(100)),
    governmentCode: required(code()),
    kind: word(orgKinds),
    contactName: text(50),
    contactOpenId: prefixedId('ou_'),
  });

export const evaluationRowSchema = () =>
  z.object({
    projectCode: required(code()),
    date: required(date()),
    conclusion: text(200),
    note: text(MAX_TEXT),
  });

export const problemRowSchema = () =>
  z.object({
    projectCode: required(code()),
    description: required(text(500)),
    category: word(problemCategories),
    raisedOn: date(),
    dueOn: date(),
    mustActUnitCode: code(),
    mustActOrg: text(100),
    status: word(problemStatuses),
    resolvedOn: date(),
    resolution: text(500),
  });

export type UnitRow = z.output<ReturnType<typeof unitRowSchema>>;
export type PersonRow = z.output<ReturnType<typeof personRowSchema>>;
export type ChainRow = z.output<ReturnType<typeof chainRowSchema>>;
export type ProjectRow = z.output<ReturnType<typeof projectRowSchema>>;
export type FundRow = z.output<ReturnType<typeof fundRowSchema>>;
export type GroupRow = z.output<ReturnType<typeof groupRowSchema>>;
export type TargetRow = z.output<ReturnType<typeof targetRowSchema>>;
export type OrgRow = z.output<ReturnType<typeof orgRowSchema>>;
export type EvaluationRow = z.output<ReturnType<typeof evaluationRowSchema>>;
export type ProblemRow = z.output<ReturnType<typeof problemRowSchema>>;

export interface RowTypes {
  units: UnitRow;
  people: PersonRow;
  chains: ChainRow;
  projects: ProjectRow;
  funds: FundRow;
  groups: GroupRow;
  targets: TargetRow;
  orgs: OrgRow;
  evaluations: EvaluationRow;
  problems: ProblemRow;
}

export function schemaFor(id: SheetId, hints: AmountHints): z.ZodType<unknown, Record<string, CellValue>> {
  switch (id) {
    case 'units':
      return unitRowSchema() as never;
    case 'people':
      return personRowSchema() as never;
    case 'chains':
      return chainRowSchema() as never;
    case 'projects':
      return projectRowSchema(hints) as never;
    case 'funds':
      return fundRowSchema(hints) as never;
    case 'groups':
      return groupRowSchema() as never;
    case 'targets':
      return targetRowSchema() as never;
    case 'orgs':
      return orgRowSchema() as never;
    case 'evaluations':
      return evaluationRowSchema() as never;
    case 'problems':
      return problemRowSchema() as never;
  }
}
