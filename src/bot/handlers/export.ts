import { exportLedger } from '../../ledger/export.js';
import { enqueue } from '../../store/outbox.js';
import { governmentUnitOf, loadDirectory } from '../../status/scope.js';
import { t } from '../../text.js';
import type { CommandHandler, Message } from './types.js';
import { type Deps } from '../../context.js';
import { replyTo } from '../../store/messages.js';

async function say(deps: Deps, msg: Message, text: string): Promise<void> {
  await deps.db.transaction((tx) => replyTo(tx, msg, { msgType: 'text', text }, `reply:${msg.messageId}`));
  deps.notifyOutbox();
}

/**
 * `/export` (admins, in p2p): the five databases of the admin's scope (their government's subtree) as an .xlsx,
 * sent back as a file message through the outbox (op 'file'), with a short receipt.
 */
export const exportCommand: CommandHandler<'export'> = async (deps, { msg, person }) => {
  if (!person) return;
  if (!person.roles.includes('admin')) {
    await say(deps, msg, t('status.export.admin_only'));
    return;
  }
  if (msg.chatType !== 'p2p') {
    await say(deps, msg, t('status.export.p2p_only'));
    return;
  }
  const dir = await loadDirectory(deps.db);
  const unit = governmentUnitOf(person, dir);
  if (!unit) {
    await say(deps, msg, t('status.no_scope'));
    return;
  }
  const { buffer, count } = await exportLedger(deps.db, { scopeUnitId: unit.id });
  const today = deps.calendar.today(deps.clock.now());
  const fileName = t('status.export.file_name', { scope: unit.name, date: today.replace(/-/g, '') });
  await deps.db.transaction(async (tx) => {
    await enqueue(tx, {
      idemKey: `export:${msg.messageId}`,
      op: 'file',
      receiveIdType: 'open_id',
      receiveId: msg.senderOpenId,
      msgType: 'file',
      content: { fileName, fileType: 'xls', base64: buffer.toString('base64') },
    });
    await replyTo(
      tx,
      msg,
      { msgType: 'text', text: t('status.export.done', { scope: unit.name, count, file: fileName }) },
      `reply:${msg.messageId}`,
    );
  });
  deps.notifyOutbox();
};
