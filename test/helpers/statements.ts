import { expect } from 'vitest';

/*
 * Reading the statements a test database observed (useTestDb({ observe: true }), BEGIN and COMMIT included): where a
 * card callback's inbox record was marked done, and whether that happened inside the transaction of its change
 * (issue 14: the change and the dedupe record commit together).
 */

export const isBegin = (s: string) => /^\s*begin/i.test(s);
export const isCommit = (s: string) => /^\s*commit/i.test(s);
export const isRollback = (s: string) => /^\s*rollback/i.test(s);

/** A statement that marks an inbox record done: the dispatcher's `markDone`, a service's seal, or a sealing CTE. */
export const marksDone = (s: string) => /update\s+"?processed_events"?\s+set\s+"?done_at"?\s*=\s*now\(\)/i.test(s);

/**
 * The record was marked done once, by a statement of its own inside one transaction: a BEGIN before it with no
 * COMMIT between, a COMMIT after it with no BEGIN between. Returns the transaction's statements (BEGIN to COMMIT).
 */
export function expectSealedInTransaction(statements: readonly string[]): string[] {
  const sealedAt = statements.findIndex(marksDone);
  expect(sealedAt, 'a statement marks the inbox record done').toBeGreaterThan(-1);
  expect(statements.filter(marksDone), 'marked done once (the dispatcher left it alone)').toHaveLength(1);
  expect(statements[sealedAt]).toMatch(/^\s*update\s+"?processed_events/i);
  const began = statements.slice(0, sealedAt).findLastIndex(isBegin);
  const committedAt = statements.findIndex((x, i) => i > sealedAt && isCommit(x));
  expect(began, 'a BEGIN before the seal').toBeGreaterThan(-1);
  expect(committedAt, 'a COMMIT after the seal').toBeGreaterThan(sealedAt);
  // One transaction around it: no COMMIT between its BEGIN and the record, no BEGIN between the record and COMMIT.
  expect(statements.slice(began, sealedAt).some(isCommit)).toBe(false);
  expect(statements.slice(sealedAt, committedAt).some(isBegin)).toBe(false);
  return statements.slice(began, committedAt + 1);
}

/** The record was marked done once, outside any transaction (no BEGIN left open before it): the dispatcher's. */
export function expectMarkedOutsideTransaction(statements: readonly string[]): void {
  const at = statements.findIndex(marksDone);
  expect(at, 'a statement marks the inbox record done').toBeGreaterThan(-1);
  expect(statements.filter(marksDone)).toHaveLength(1);
  expect(statements[at]).toMatch(/^\s*update\s+"?processed_events/i);
  const before = statements.slice(0, at);
  const open = before.filter(isBegin).length - before.filter((s) => isCommit(s) || isRollback(s)).length;
  expect(open, 'no transaction open around the record').toBe(0);
}
