import { mayAdminister } from '../domain/permissions.js';
import { exportLedger } from '../ledger/export.js';
import type { Person } from '../store/directory.js';
import { enqueueAll, reply } from '../store/messages.js';
import { enqueue } from '../store/outbox.js';
import { unitById } from '../store/directory.js';
import { loadRemit } from '../store/remit.js';
import { decodeEntities, t } from '../text.js';
import type { Deps } from '../context.js';
import { say, type Answer, type Asked } from './answer.js';

/**
 * `/export` (admins, in p2p): the five databases of the admin's remit (their government's subtree, domain/remit) as an .xlsx,
 * sent back as a file message through the outbox (op 'file'), with a short receipt.
 */
export async function exportForAdmin(deps: Deps, asked: Asked, person: Person): Promise<Answer> {
  if (!mayAdminister(person)) return say(asked, t('status.export.admin_only'));
  if (asked.chatType !== 'p2p') return say(asked, t('status.export.p2p_only'));
  const { remit } = await loadRemit(deps.db, person, deps.calendar.today(deps.clock.now()));
  const govPath = remit.subtrees[0];
  const unit = govPath ? await unitById(deps.db, Number(govPath.split('/').filter(Boolean).at(-1))) : undefined;
  if (!unit) return say(asked, t('status.no_scope'));
  const { buffer, count } = await exportLedger(deps.db, { scopeUnitId: unit.id });
  const today = deps.calendar.today(deps.clock.now());
  // A file name renders no markup: the unit's name as typed.
  const fileName = decodeEntities(t('status.export.file_name', { scope: unit.name, date: today.replace(/-/g, '') }));
  // The file and its receipt are queued together: a redelivered /export queues neither again.
  const enqueued = await deps.db.transaction(async (tx) => {
    const file = await enqueue(tx, {
      idemKey: `export:${asked.messageId}`,
      op: 'file',
      receiveIdType: 'open_id',
      receiveId: asked.senderOpenId,
      msgType: 'file',
      content: { fileName, fileType: 'xls', base64: buffer.toString('base64') },
    });
    const receipt = await enqueueAll(tx, [
      reply(asked, { msgType: 'text', text: t('status.export.done', { scope: unit.name, count, file: fileName }) }),
    ]);
    return (file ? 1 : 0) + receipt;
  });
  return { enqueued };
}
