// Planning the directory sheets: units (with their tree), people, industrial chains and group chats. Each function
// checks its sheet's rows against the file and the snapshot, records problems in the context, and plans the writes.

import { t } from '../text.js';
import type { Chain, Person, Unit } from '../store/directory.js';
import { chainKeyOf, dbPersonKey, type ChainState, type GroupState, type PersonState, type UnitState } from '../store/ledger-ops.js';
import { bindingKinds, roles as roleWords, sheetLabel } from './columns.js';
import { mayGrant, roleLevel } from '../domain/remit.js';
import type { ImportScope } from './plan-types.js';
import { normalizeCode } from './cells.js';
import type { LedgerRow, LedgerSheet } from './read.js';
import type { RowTypes } from './row-schemas.js';
import { differs, type PlanContext } from './plan-context.js';

// Units

export function planUnits(ctx: PlanContext): void {
  const sheet = ctx.wb.sheets.units;
  if (!sheet) return;
  const seen = new Map<string, number>();
  const desired = new Map<string, { row: LedgerRow<RowTypes['units']>; state: UnitState; existing?: Unit }>();
  const entity = sheetLabel('units');
  ctx.row(sheet, (row) => {
    const d = row.data;
    if (!ctx.firstOccurrence(seen, sheet, row, d.code, 'code', d.code)) return null;
    const existing = ctx.db.unitsByCode.get(d.code);
    const name = d.name ?? existing?.name ?? null;
    const kind = d.kind ?? existing?.kind ?? null;
    const parentCode = d.parentCode ?? (existing ? ctx.unitCodeOf(existing.parentId) : null);
    if (name === null) ctx.err(sheet, row, 'name', t('ledger.err.required_for_new', { entity }));
    if (kind === null) ctx.err(sheet, row, 'kind', t('ledger.err.required_for_new', { entity }));
    if (parentCode === d.code) {
      ctx.err(sheet, row, 'parentCode', t('ledger.err.self_parent'));
      return null;
    }
    if (parentCode !== null && !ctx.unitExists(parentCode))
      ctx.err(sheet, row, 'parentCode', t('ledger.err.unknown_unit', { value: parentCode }));
    if (name === null || kind === null) return null;
    desired.set(d.code, { row, state: { name, kind, parentCode }, existing });
    return null; // counted below, once cycles are known
  });

  for (const [code, { state }] of desired) ctx.fileUnits.set(code, { kind: state.kind, parentCode: state.parentCode });

  // An admin's import: only units inside their remit, placed under units inside it (a county admin neither renames
  // the city nor adds a county beside their own).
  if (ctx.scoped) {
    for (const [code, { row, state, existing }] of desired) {
      const currentParent = existing ? ctx.unitCodeOf(existing.parentId) : null;
      if (existing && !ctx.inside(code)) ctx.err(sheet, row, 'code', t('ledger.err.unit_outside', { value: code }));
      else if (existing && state.parentCode === currentParent) continue;
      else if (state.parentCode === null) ctx.err(sheet, row, 'parentCode', t('ledger.err.new_root_unit'));
      else if (!ctx.inside(state.parentCode)) ctx.err(sheet, row, 'parentCode', t('ledger.err.unit_outside', { value: state.parentCode }));
    }
  }

  // Cycles through the file's new parents and the database's unchanged ones.
  const parentOf = (code: string): string | null =>
    desired.get(code)?.state.parentCode ?? (desired.has(code) ? null : ctx.unitCodeOf(ctx.db.unitsByCode.get(code)?.parentId ?? null));
  const cyclic = new Set<string>();
  for (const code of desired.keys()) {
    const path = [code];
    let cur = parentOf(code);
    for (let steps = 0; cur !== null && steps <= desired.size + ctx.db.unitsByCode.size; steps++) {
      path.push(cur);
      if (cur === code) {
        cyclic.add(code);
        ctx.err(sheet, desired.get(code)!.row, 'parentCode', t('ledger.err.parent_cycle', { path: path.join(' → ') }));
        break;
      }
      cur = parentOf(cur);
    }
  }

  // Parents before children, so that every parent has its id (and path) when the child is written.
  const ordered: string[] = [];
  const placed = new Set<string>();
  const place = (code: string, depth: number) => {
    if (placed.has(code) || !desired.has(code) || cyclic.has(code) || depth > desired.size) return;
    const parent = desired.get(code)!.state.parentCode;
    if (parent !== null) place(parent, depth + 1);
    placed.add(code);
    ordered.push(code);
  };
  for (const code of desired.keys()) place(code, 0);

  const counts = ctx.counts.units!;
  const rowsWithErrors = new Set(ctx.errors.filter((e) => e.sheet === sheet.name).map((e) => e.row));
  for (const code of ordered) {
    const { row, state, existing } = desired.get(code)!;
    if (rowsWithErrors.has(row.row)) continue;
    if (!existing) {
      counts.add++;
      ctx.ops.units.push({ op: 'add', code, state });
    } else if (differs(state, { name: existing.name, kind: existing.kind, parentCode: ctx.unitCodeOf(existing.parentId) })) {
      counts.change++;
      ctx.ops.units.push({ op: 'change', code, state, existing });
    } else counts.same++;
  }
}

// People

export function planPeople(ctx: PlanContext): void {
  for (const p of ctx.db.people) {
    // An admin's file names only people inside their remit: anyone else is not found, as if they did not exist.
    if (ctx.scoped && !ctx.inside(ctx.unitCodeOf(p.unitId))) continue;
    ctx.refs.addPerson({
      pkey: dbPersonKey(p.id),
      name: p.name,
      mobile: p.mobile,
      unitCode: ctx.unitCodeOf(p.unitId),
      byName: p.active,
    });
  }
  const sheet = ctx.wb.sheets.people;
  if (!sheet) return;
  const byMobile = new Map(ctx.db.people.filter((p) => p.mobile).map((p) => [p.mobile!, p]));
  const byOpenId = new Map(ctx.db.people.filter((p) => p.openId).map((p) => [p.openId!, p]));
  const seenPerson = new Map<string, number>();
  const seenOpenId = new Map<string, number>();
  ctx.row(sheet, (row) => {
    const d = row.data;
    if (!ctx.unitExists(d.unitCode)) ctx.err(sheet, row, 'unitCode', t('ledger.err.unknown_unit', { value: d.unitCode }));
    let existing: Person | undefined = d.mobile ? byMobile.get(d.mobile) : undefined;
    if (!existing) {
      const unit = ctx.db.unitsByCode.get(d.unitCode);
      const namesakes = unit
        ? ctx.db.people.filter((p) => p.name === d.name && p.unitId === unit.id && (d.mobile === null || p.mobile === null))
        : [];
      if (namesakes.length > 1) {
        ctx.err(sheet, row, 'name', t('ledger.err.ambiguous_person_in_unit', { value: d.name, count: namesakes.length }));
        return null;
      }
      existing = namesakes[0];
    }
    if (existing && !ctx.inside(ctx.unitCodeOf(existing.unitId))) {
      ctx.err(sheet, row, d.mobile ? 'mobile' : 'name', t('ledger.err.person_outside'));
      return null;
    }
    if (!ctx.inside(d.unitCode)) ctx.err(sheet, row, 'unitCode', t('ledger.err.unit_outside', { value: d.unitCode }));
    const pkey = existing ? dbPersonKey(existing.id) : `f:${row.row}`;
    const identity = existing ? pkey : d.mobile ? `m:${d.mobile}` : `n:${d.name}|${d.unitCode}`;
    const first = seenPerson.get(identity);
    if (first !== undefined) {
      ctx.err(sheet, row, d.mobile ? 'mobile' : 'name', t('ledger.err.same_person_twice', { row: first, name: d.name }));
      return null;
    }
    seenPerson.set(identity, row.row);
    if (d.openId) {
      const owner = byOpenId.get(d.openId);
      if (owner && owner.id !== existing?.id) ctx.err(sheet, row, 'openId', t('ledger.err.open_id_taken', { name: owner.name }));
      else ctx.firstOccurrence(seenOpenId, sheet, row, d.openId, 'openId', d.openId);
    }
    const state: PersonState = {
      name: d.name,
      unitCode: d.unitCode,
      roles: d.roles ?? (existing ? [...existing.roles].sort() : []),
      title: d.title ?? existing?.title ?? null,
      mobile: d.mobile ?? existing?.mobile ?? null,
      email: d.email ?? existing?.email ?? null,
      openId: d.openId ?? existing?.openId ?? null,
    };
    if (ctx.scope !== 'operator' && d.roles !== null) grantCheck(ctx, ctx.scope, sheet, row, existing, state);
    ctx.refs.addPerson({
      pkey,
      name: state.name,
      mobile: state.mobile,
      unitCode: state.unitCode,
      byName: existing ? existing.active : true,
    });
    if (!existing) {
      ctx.ops.people.push({ op: 'add', pkey, state });
      return 'add';
    }
    const current: PersonState = {
      name: existing.name,
      unitCode: ctx.unitCodeOf(existing.unitId) ?? '',
      roles: [...existing.roles].sort(),
      title: existing.title,
      mobile: existing.mobile,
      email: existing.email,
      openId: existing.openId,
    };
    if (!differs(state, current)) return 'same';
    ctx.ops.people.push({ op: 'change', pkey, state, existing });
    return 'change';
  });
}

/** Roles added by an admin's file: none above the admin's own level, none to the admin themself (domain/remit mayGrant). */
function grantCheck(
  ctx: PlanContext,
  scope: Exclude<ImportScope, 'operator'>,
  sheet: LedgerSheet<RowTypes['people']>,
  row: LedgerRow<RowTypes['people']>,
  existing: Person | undefined,
  state: PersonState,
): void {
  const held = existing?.roles ?? [];
  const added = state.roles.filter((r) => !held.includes(r));
  const unitPath = ctx.ancestry(state.unitCode).find((u) => u.path !== null)?.path ?? null;
  const verdict = mayGrant(scope.actor, scope.remit, { id: existing?.id ?? -1, unitPath, roles: held }, state.roles);
  const names = added.map((r) => roleWords.label(r)).join(t('ledger.list_separator'));
  if (verdict === 'self_escalation') ctx.err(sheet, row, 'roles', t('ledger.err.grant_self', { roles: names }));
  else if (verdict === 'above_own_level') {
    const above = added.filter((r) => roleLevel([r]) > roleLevel(scope.actor.roles)).map((r) => roleWords.label(r));
    ctx.err(sheet, row, 'roles', t('ledger.err.grant_above_level', { roles: above.join(t('ledger.list_separator')) }));
  }
  // 'unit_outside' is the 单位编码 cell's error, already reported.
}

// Chains

export function planChains(ctx: PlanContext): void {
  const governmentCode = (c: Chain) => ctx.unitCodeOf(c.governmentUnitId);
  // An admin's file names only chains whose government is inside their remit or on the path above it (a county's
  // project may belong to its city's chain); the rest are not found, as if they did not exist.
  const visible = (c: Chain) => {
    const g = governmentCode(c);
    return !ctx.scoped || (g !== null && (ctx.inside(g) || ctx.importerGovernments().includes(g)));
  };
  for (const [key, c] of ctx.db.chainsByKey) if (visible(c)) ctx.refs.addChainName(c.name, governmentCode(c), key);
  for (const [key, c] of ctx.db.chainsByKey) if (visible(c)) for (const a of c.aliases) ctx.refs.addChainAlias(a, governmentCode(c), key);
  const sheet = ctx.wb.sheets.chains;
  if (!sheet) return;
  // Whose chain: the government named, else that of the lead unit, else (in an admin's file) the admin's own,
  // else the only chain of that name there is.
  const governmentFor = (d: RowTypes['chains']): string | null => {
    if (d.governmentCode) return d.governmentCode;
    if (d.leadUnitCode) return ctx.governmentsOf(d.leadUnitCode)[0] ?? null;
    if (ctx.scoped) return ctx.importerGovernments()[0] ?? null;
    const same = [...ctx.db.chainsByKey.values()].filter((c) => c.name === d.name);
    return same.length === 1 ? governmentCode(same[0]!) : null;
  };
  // The file's chains are known by name before any row is checked: a city chain may name a province chain
  // further down the sheet.
  for (const row of sheet.rows) {
    const g = row.data ? governmentFor(row.data) : null;
    if (row.data && g !== null && ctx.unitExists(g) && ctx.inside(g)) ctx.refs.addChainName(row.data.name, g, chainKeyOf(g, row.data.name));
  }
  const seen = new Map<string, number>();
  ctx.row(sheet, (row) => {
    const d = row.data;
    if (d.governmentCode && !ctx.unitExists(d.governmentCode)) {
      ctx.err(sheet, row, 'governmentCode', t('ledger.err.unknown_unit', { value: d.governmentCode }));
      return null;
    }
    if (d.leadUnitCode && !ctx.unitExists(d.leadUnitCode)) {
      ctx.err(sheet, row, 'leadUnitCode', t('ledger.err.unknown_unit', { value: d.leadUnitCode }));
      return null;
    }
    const government = governmentFor(d);
    if (d.governmentCode && ctx.governmentsOf(d.governmentCode)[0] !== d.governmentCode) {
      ctx.err(sheet, row, 'governmentCode', t('ledger.err.not_government', { value: d.governmentCode }));
      return null;
    }
    if (government === null && ctx.scoped) {
      ctx.err(sheet, row, 'governmentCode', t('ledger.err.chain_government_required'));
      return null;
    }
    // The operator may leave a chain unplaced (no government): it stays outside everyone's remit until placed.
    if (government === null)
      ctx.warnings.push({ sheet: sheet.name, row: row.row, message: t('ledger.warn.chain_unplaced', { name: d.name }) });
    const key = chainKeyOf(government, d.name);
    if (!ctx.firstOccurrence(seen, sheet, row, key, 'name', d.name)) return null;
    if (government !== null && !ctx.inside(government)) {
      ctx.err(sheet, row, d.governmentCode ? 'governmentCode' : 'name', t('ledger.err.chain_outside', { value: d.name }));
      return null;
    }
    ctx.refs.addChainName(d.name, government, key);
    for (const a of d.aliases ?? []) ctx.refs.addChainAlias(a, government, key);
    const existing = ctx.db.chainsByKey.get(key);
    const leadUnitCode = d.leadUnitCode ?? (existing ? ctx.unitCodeOf(existing.leadUnitId) : null);
    if (d.leadUnitCode && !ctx.inside(d.leadUnitCode))
      ctx.err(sheet, row, 'leadUnitCode', t('ledger.err.unit_outside', { value: d.leadUnitCode }));
    const ref = (field: 'leader' | 'secretary', current: number | null): string | null => {
      const text = d[field];
      if (text === null) return current === null ? null : dbPersonKey(current);
      const r = ctx.refs.person(text, [leadUnitCode]);
      if ('reason' in r) {
        ctx.err(sheet, row, field, r.reason);
        return null;
      }
      return r.pkey;
    };
    // The chain it works under: a chain of that name of a government above this one (the province's).
    let parent = existing ? ctx.chainKeyById(existing.parentChainId) : null;
    if (d.parentChain !== null) {
      parent = government === null ? null : ctx.refs.chain(d.parentChain, ctx.governmentsOf(government).slice(1), false);
      if (parent === null) ctx.err(sheet, row, 'parentChain', t('ledger.err.unknown_parent_chain', { value: d.parentChain }));
    }
    const state: ChainState = {
      aliases: d.aliases ?? existing?.aliases ?? [],
      leader: ref('leader', existing?.leaderId ?? null),
      secretary: ref('secretary', existing?.secretaryId ?? null),
      leadUnitCode,
      parent,
    };
    if (!existing) {
      ctx.ops.chains.push({ op: 'add', key, name: d.name, governmentCode: government, state });
      return 'add';
    }
    const current: ChainState = {
      aliases: existing.aliases,
      leader: existing.leaderId === null ? null : dbPersonKey(existing.leaderId),
      secretary: existing.secretaryId === null ? null : dbPersonKey(existing.secretaryId),
      leadUnitCode: ctx.unitCodeOf(existing.leadUnitId),
      parent: ctx.chainKeyById(existing.parentChainId),
    };
    if (!differs(state, current)) return 'same';
    ctx.ops.chains.push({ op: 'change', key, name: d.name, governmentCode: government, state, existing });
    return 'change';
  });
  // Higher governments first, so that a province chain exists before the city chains that name it.
  const depth = (code: string | null) => ctx.governmentsOf(code).length;
  ctx.ops.chains.sort((a, b) => depth(a.governmentCode) - depth(b.governmentCode));
}

// Group chats

export function planGroups(ctx: PlanContext): void {
  const sheet = ctx.wb.sheets.groups;
  if (!sheet) return;
  const seen = new Map<string, number>();
  ctx.row(sheet, (row) => {
    const d = row.data;
    if (!ctx.firstOccurrence(seen, sheet, row, d.chatId, 'chatId', d.chatId)) return null;
    const existing = ctx.db.groups.get(d.chatId);
    const current: GroupState | null = existing
      ? {
          name: existing.name,
          bindingKind: existing.bindingKind,
          unitCode: ctx.unitCodeOf(existing.unitId),
          chainName: ctx.chainKeyById(existing.chainId),
        }
      : null;
    // An admin rebinds or unbinds only a group whose current binding lies inside their remit (domain/remit mayBind).
    if (current && current.bindingKind !== null && !bindingInside(ctx, current)) {
      ctx.err(sheet, row, 'chatId', t('ledger.err.group_outside'));
      return null;
    }
    let binding: Pick<GroupState, 'bindingKind' | 'unitCode' | 'chainName'> = current ?? {
      bindingKind: null,
      unitCode: null,
      chainName: null,
    };
    if (d.bindingKind === null && d.target !== null) {
      ctx.err(sheet, row, 'bindingKind', t('ledger.err.target_without_kind'));
    } else if (d.bindingKind !== null) {
      const kind = d.bindingKind;
      if (kind === 'chain') {
        // A chain of the admin's own government first (chains are per government), then the only one of that name.
        // Written as 单位编码/链名 (LY/新能源) it names the government outright.
        const named = d.target === null ? null : /^([^/／]+)[/／](.+)$/.exec(d.target);
        const chain =
          d.target === null
            ? null
            : named && ctx.unitExists(normalizeCode(named[1]!))
              ? ctx.refs.chain(named[2]!, [normalizeCode(named[1]!)], false)
              : ctx.refs.chain(d.target, ctx.importerGovernments().slice(0, 1), true);
        if (d.target === null)
          ctx.err(
            sheet,
            row,
            'target',
            t('ledger.err.target_required', { kind: bindingKinds.label(kind), what: t('ledger.err.what_chain_name') }),
          );
        else if (chain === null) ctx.err(sheet, row, 'target', t('ledger.err.unknown_chain', { value: d.target }));
        binding = { bindingKind: kind, unitCode: null, chainName: chain };
      } else {
        const code = d.target === null ? null : normalizeCode(d.target);
        if (code === null && (kind !== 'centre' || ctx.scoped)) {
          ctx.err(
            sheet,
            row,
            'target',
            t('ledger.err.target_required', { kind: bindingKinds.label(kind), what: t('ledger.err.what_unit_code') }),
          );
        } else if (code !== null && !ctx.unitExists(code)) ctx.err(sheet, row, 'target', t('ledger.err.unknown_unit', { value: code }));
        binding = { bindingKind: kind, unitCode: code, chainName: null };
      }
    }
    if (binding.bindingKind !== null && !bindingInside(ctx, binding)) {
      const value = binding.bindingKind === 'chain' ? (d.target ?? '') : (binding.unitCode ?? '');
      ctx.err(
        sheet,
        row,
        'target',
        binding.bindingKind === 'chain' ? t('ledger.err.chain_outside', { value }) : t('ledger.err.unit_outside', { value }),
      );
    }
    const state: GroupState = { name: d.name ?? current?.name ?? '', ...binding };
    if (!existing) {
      ctx.ops.groups.push({ op: 'add', chatId: d.chatId, state });
      return 'add';
    }
    if (!differs(state, current!)) return 'same';
    ctx.ops.groups.push({ op: 'change', chatId: d.chatId, state, existing });
    return 'change';
  });
}

/** Whether a group's binding (a unit, or a chain by its key) lies inside the importer's remit. */
function bindingInside(ctx: PlanContext, b: Pick<GroupState, 'bindingKind' | 'unitCode' | 'chainName'>): boolean {
  if (!ctx.scoped) return true;
  if (b.bindingKind === 'chain') {
    if (b.chainName === null) return true; // unknown chain: reported as such
    const government = b.chainName.slice(0, b.chainName.indexOf('/'));
    return government !== '' && ctx.inside(government);
  }
  return b.unitCode === null || ctx.inside(b.unitCode); // no unit: reported as required
}
