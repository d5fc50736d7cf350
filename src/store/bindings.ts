import { eq } from 'drizzle-orm';
import { chatGroups } from '../../db/schema.js';
import type { Tx } from './db.js';
import { groupByChatId, type ChatGroup } from './directory.js';

/** What a group is bound to: a unit, a chain, the project centre or a convenor's view (all null when unbound). */
export type Binding = Pick<ChatGroup, 'bindingKind' | 'unitId' | 'chainId'>;

/**
 * Sets a chat's binding (creating its row on first use) and returns what it was bound to before, so the caller
 * can audit the change and tell the group what it replaced.
 */
export async function setBinding(tx: Tx, chatId: string, binding: Binding, by: number, at: Date): Promise<ChatGroup | undefined> {
  const before = await groupByChatId(tx, chatId);
  if (before) {
    await tx
      .update(chatGroups)
      .set({ ...binding, boundBy: by, boundAt: at })
      .where(eq(chatGroups.id, before.id));
  } else {
    await tx.insert(chatGroups).values({ chatId, ...binding, boundBy: by, boundAt: at });
  }
  return before;
}

/** Clears a chat's binding; returns the group as it was, or undefined when it was not bound (nothing changed). */
export async function clearBinding(tx: Tx, chatId: string, by: number, at: Date): Promise<ChatGroup | undefined> {
  const before = await groupByChatId(tx, chatId);
  if (!before?.bindingKind) return undefined;
  await tx
    .update(chatGroups)
    .set({ bindingKind: null, unitId: null, chainId: null, boundBy: by, boundAt: at })
    .where(eq(chatGroups.id, before.id));
  return before;
}
