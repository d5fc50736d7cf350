// Planning the directory sheets: units (with their tree), people, industrial chains and group chats. Each function
// checks its sheet's rows against the file and the snapshot, records problems in the context, and plans the writes.

import { t } from '../text.js';
import type { Person, Unit } from '../store/directory.js';
import { dbPersonKey, type ChainState, type GroupState, type PersonState, type UnitState } from '../store/ledger-ops.js';
import { bindingKinds, sheetLabel } from './columns.js';
import { normalizeCode } from './cells.js';
import type { LedgerRow } from './read.js';
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

// Chains

export function planChains(ctx: PlanContext): void {
  for (const c of ctx.db.chainsByName.values()) {
    ctx.refs.addChainName(c.name);
  }
  for (const c of ctx.db.chainsByName.values()) {
    for (const a of c.aliases) ctx.refs.addChainAlias(a, c.name);
  }
  const sheet = ctx.wb.sheets.chains;
  if (!sheet) return;
  for (const name of ctx.fileChainNames) ctx.refs.addChainName(name);
  const seen = new Map<string, number>();
  ctx.row(sheet, (row) => {
    const d = row.data;
    if (!ctx.firstOccurrence(seen, sheet, row, d.name, 'name', d.name)) return null;
    for (const a of d.aliases ?? []) ctx.refs.addChainAlias(a, d.name);
    const existing = ctx.db.chainsByName.get(d.name);
    const leadUnitCode = d.leadUnitCode ?? (existing ? ctx.unitCodeOf(existing.leadUnitId) : null);
    if (d.leadUnitCode && !ctx.unitExists(d.leadUnitCode))
      ctx.err(sheet, row, 'leadUnitCode', t('ledger.err.unknown_unit', { value: d.leadUnitCode }));
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
    const state: ChainState = {
      aliases: d.aliases ?? existing?.aliases ?? [],
      leader: ref('leader', existing?.leaderId ?? null),
      secretary: ref('secretary', existing?.secretaryId ?? null),
      leadUnitCode,
    };
    if (!existing) {
      ctx.ops.chains.push({ op: 'add', name: d.name, state });
      return 'add';
    }
    const current: ChainState = {
      aliases: existing.aliases,
      leader: existing.leaderId === null ? null : dbPersonKey(existing.leaderId),
      secretary: existing.secretaryId === null ? null : dbPersonKey(existing.secretaryId),
      leadUnitCode: ctx.unitCodeOf(existing.leadUnitId),
    };
    if (!differs(state, current)) return 'same';
    ctx.ops.chains.push({ op: 'change', name: d.name, state, existing });
    return 'change';
  });
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
          chainName: ctx.chainNameOf(existing.chainId),
        }
      : null;
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
        const chain = d.target === null ? null : ctx.refs.chain(d.target);
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
        if (code === null && kind !== 'centre') {
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
