// Names written in cells → the records they mean: a person by mobile or by name (narrowed to nearby units when a name
// is shared), a chain by its name or an alias. Answers are keys (see store/ledger-ops.ts), so that a cell may name a
// person or chain that only the same file creates.

import { t } from '../text.js';
import { normalizeName } from './columns.js';
import { normalizeMobile } from './cells.js';

export interface PersonEntry {
  pkey: string;
  name: string;
  mobile: string | null;
  unitCode: string | null;
  /** Inactive people are found by mobile, never by name. */
  byName: boolean;
}

export type PersonRef = { pkey: string } | { reason: string };

/** A chain name as compared for references: 新能源, 新能源链 and 新能源产业链 are one. */
function chainKey(s: string): string {
  return normalizeName(s).replace(/(?:产业链|链)$/, '');
}

export class References {
  private persons = new Map<string, PersonEntry>();
  private personIndex: { byMobile: Map<string, PersonEntry>; byName: Map<string, PersonEntry[]> } | null = null;
  private personCache = new Map<string, PersonRef>();
  private chainIndex = new Map<string, { government: string | null; key: string }[]>();

  /** Registers (or, for a key seen before, replaces) a person; all of them before the first lookup. */
  addPerson(entry: PersonEntry): void {
    this.persons.set(entry.pkey, entry);
  }

  /** The unit code of a registered person (by key), as the file or the database places them. */
  unitOfPerson(pkey: string): string | null {
    return this.persons.get(pkey)?.unitCode ?? null;
  }

  /**
   * A person named in a cell: by mobile (anywhere in the text), or by name; a name shared by several people is
   * narrowed to those in `preferUnits` (the project's units, the chain's lead unit) before it is called ambiguous.
   * Thousands of projects name the same few owners, so answers are cached by text and units.
   */
  person(text: string, preferUnits: (string | null)[]): PersonRef {
    const key = `${text}\u0000${preferUnits.join('\u0000')}`;
    let hit = this.personCache.get(key);
    if (!hit) {
      hit = this.resolvePerson(text, preferUnits);
      this.personCache.set(key, hit);
    }
    return hit;
  }

  private resolvePerson(text: string, preferUnits: (string | null)[]): PersonRef {
    if (!this.personIndex) {
      // Built on first use: the people sheet has been read by then and the entries no longer change.
      const byMobile = new Map<string, PersonEntry>();
      const byName = new Map<string, PersonEntry[]>();
      for (const p of this.persons.values()) {
        if (p.mobile) byMobile.set(p.mobile, p);
        if (!p.byName) continue;
        const n = p.name.replace(/\s+/g, '');
        byName.set(n, [...(byName.get(n) ?? []), p]);
      }
      this.personIndex = { byMobile, byName };
    }
    const s = text.trim();
    const mobile = normalizeMobile(s) ?? /(?<!\d)1\d{10}(?!\d)/.exec(s)?.[0] ?? null;
    if (mobile) {
      const hit = this.personIndex.byMobile.get(mobile);
      return hit ? { pkey: hit.pkey } : { reason: t('ledger.err.unknown_person', { value: s }) };
    }
    const candidates = this.personIndex.byName.get(s.replace(/\s+/g, '')) ?? [];
    if (candidates.length === 1) return { pkey: candidates[0]!.pkey };
    if (candidates.length === 0) return { reason: t('ledger.err.unknown_person', { value: s }) };
    const near = candidates.filter((p) => p.unitCode !== null && preferUnits.includes(p.unitCode));
    if (near.length === 1) return { pkey: near[0]!.pkey };
    return { reason: t('ledger.err.ambiguous_person', { value: s, count: candidates.length }) };
  }

  /**
   * A chain's own name (`key` is its chainKeyOf(government, name)): wins over any alias that sounds the same.
   * Chains are per government, so one name may stand for several chains.
   */
  addChainName(name: string, government: string | null, key: string): void {
    this.addChain(chainKey(name), government, key, true);
  }

  /** An alias: only where no name of that government or earlier alias took it. */
  addChainAlias(alias: string, government: string | null, key: string): void {
    this.addChain(chainKey(alias), government, key, false);
  }

  private addChain(k: string, government: string | null, key: string, own: boolean): void {
    const list = this.chainIndex.get(k) ?? [];
    const i = list.findIndex((c) => c.government === government);
    if (i < 0) list.push({ government, key });
    else if (own) list[i] = { government, key };
    this.chainIndex.set(k, list);
  }

  /**
   * The chain a cell names: the chain of that name of the nearest government in `governments` (the project's
   * county, then its city, then the province); when none of them has one and `anywhere`, the only chain of that
   * name there is. Null when unknown or not determined.
   */
  chain(text: string, governments: readonly (string | null)[], anywhere: boolean): string | null {
    const list = this.chainIndex.get(chainKey(text)) ?? [];
    for (const g of governments) {
      const hit = list.find((c) => c.government === g);
      if (hit) return hit.key;
    }
    return anywhere && list.length === 1 ? list[0]!.key : null;
  }
}
