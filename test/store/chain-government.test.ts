/**
 * Migration 0001 gives every existing chain the government of its lead unit, and afterwards two governments may
 * each have a chain of the same name (the province's 新能源 and a city's), while one government may not have two.
 */
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chains } from '../../db/schema.js';
import { useTestDb } from '../helpers/db.js';
import { upsertUnit } from '../../src/store/directory.js';

const t = useTestDb();

/** A unit with its path kept by the store (as the ledger creates them). */
const unit = (code: string, kind: 'province' | 'city' | 'county' | 'department', parent?: { id: number }) =>
  upsertUnit(t.db, { code, name: code, kind, parentId: parent?.id ?? null });

describe('chains belong to a government', () => {
  it('the migration’s data step places a chain under the government of its lead unit (a bureau stands for its city)', async () => {
    const jl = await unit('JL', 'province');
    const ly = await unit('LY', 'city', jl);
    const bureau = await unit('LY-SWJ', 'department', ly);
    const dept = await unit('JL-SWT', 'department', jl);
    const [a] = await t.db.insert(chains).values({ name: '新能源', leadUnitId: bureau.id }).returning();
    const [b] = await t.db.insert(chains).values({ name: '汽车', leadUnitId: dept.id }).returning();
    const [c] = await t.db.insert(chains).values({ name: '未来经济' }).returning();
    // Run the migration's UPDATE again on rows inserted without a government (as rows from before it were).
    const file = readFileSync(join(import.meta.dirname, '../../db/migrations/0001_chain_government.sql'), 'utf8');
    const update = file.split('--> statement-breakpoint').find((s) => s.includes('UPDATE "chains"'))!;
    await t.db.execute(sql.raw(update));
    const rows = new Map((await t.db.select().from(chains)).map((r) => [r.id, r.governmentUnitId]));
    expect(rows.get(a!.id)).toBe(ly.id);
    expect(rows.get(b!.id)).toBe(jl.id);
    expect(rows.get(c!.id)).toBeNull();
  });

  it('allows the same name in two governments and refuses it twice in one', async () => {
    const jl = await unit('JL', 'province');
    const ly = await unit('LY', 'city', jl);
    const [p] = await t.db.insert(chains).values({ name: '新能源', governmentUnitId: jl.id }).returning();
    await t.db.insert(chains).values({ name: '新能源', governmentUnitId: ly.id, parentChainId: p!.id });
    await expect(t.db.insert(chains).values({ name: '新能源', governmentUnitId: ly.id })).rejects.toThrow();
  });
});
