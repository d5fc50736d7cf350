import { and, eq, inArray } from 'drizzle-orm';
import { chatGroups, units } from '../../../db/schema.js';
import type { Rules } from '../../domain/rules.js';
import { card, md } from '../../lark/cards.js';
import type { Tx } from '../../store/db.js';
import type { Project } from '../../store/projects.js';
import { t } from '../../text.js';
import { formatAmount, dateLabel } from '../../words.js';
import { sendToChat } from '../../store/messages.js';

/**
 * The unit-bound mechanism group nearest above `unitId` (its parent's, else the grandparent's…): where a
 * county's big signing is reported one level up (提级报备).
 */
export async function mechanismGroupAbove(tx: Tx, unitId: number): Promise<{ chatId: string; unitName: string } | null> {
  const unit = (await tx.select().from(units).where(eq(units.id, unitId)))[0];
  if (!unit) return null;
  const ancestorIds = unit.path
    .split('/')
    .filter(Boolean)
    .map(Number)
    .filter((id) => id !== unitId)
    .reverse();
  if (ancestorIds.length === 0) return null;
  const rows = await tx
    .select({ chatId: chatGroups.chatId, unitId: chatGroups.unitId, unitName: units.name })
    .from(chatGroups)
    .innerJoin(units, eq(units.id, chatGroups.unitId))
    .where(and(eq(chatGroups.bindingKind, 'unit'), inArray(chatGroups.unitId, ancestorIds)));
  for (const id of ancestorIds) {
    const g = rows.find((r) => r.unitId === id);
    if (g) return { chatId: g.chatId, unitName: g.unitName };
  }
  return null;
}

/**
 * Called in the transaction that moved a project to 签约: at or above the threshold, the announcement to the
 * group above is enqueued with the same commit. Once per project (the idempotency key).
 */
export async function escalateBigSigning(tx: Tx, project: Project, rules: Rules, hostName: string): Promise<boolean> {
  if (project.stage !== 'signed' || !project.contractAmountFen || project.contractAmountFen < rules.escalateSignedFen) return false;
  if (!project.hostUnitId) return false;
  const group = await mechanismGroupAbove(tx, project.hostUnitId);
  if (!group) return false;
  const c = card({
    title: t('report.escalate_title', { name: project.name }),
    template: 'orange',
    elements: [
      md(
        t('report.escalate_body', {
          name: project.name,
          code: project.code,
          host: hostName,
          investor: project.investor ?? '',
          amount: formatAmount(project.contractAmountFen),
          threshold: formatAmount(rules.escalateSignedFen),
          signed_on: project.signedOn ? dateLabel(project.signedOn) : '',
        }),
      ),
    ],
  });
  return sendToChat(tx, group.chatId, { msgType: 'interactive', card: c }, `escalate:signed:${project.id}`);
}
