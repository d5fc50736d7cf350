import { and, eq } from 'drizzle-orm';
import { importSessions } from '../../../db/schema.js';
import { applyImport, appliedText, planImportFile, planSummary, previewCard, LedgerImportRejected } from '../../ledger/import.js';
import { resolveLarkIds } from '../../ledger/resolve.js';
import { card, md, note } from '../../lark/cards.js';
import { t } from '../../text.js';
import type { FileHandler } from '../router.js';
import type { ActionHandler } from './types.js';
import { type Deps } from '../../context.js';
import { replyTo, updateCard } from '../../store/messages.js';

/*
 * A ledger sent in chat: an admin sends the .xlsx (or .csv) to the bot in p2p; the bot downloads it, checks the
 * whole file and answers with a preview card (counts to add / change per sheet, the first problems) with
 * 确认导入 / 取消. Confirming downloads the same file again, re-checks it and writes it in one transaction, then
 * resolves new people to Lark accounts by mobile or email. Nothing is written before the confirmation.
 */

const ACCEPTED = /\.(xlsx|csv)$/i;

async function say(deps: Deps, msg: Parameters<FileHandler>[1]['msg'], text: string) {
  await deps.db.transaction((tx) => replyTo(tx, msg, { msgType: 'text', text }, `reply:${msg.messageId}`));
  deps.notifyOutbox();
}

export const importFile: FileHandler = async (deps, { msg, person }) => {
  const file = msg.file;
  if (!file || !person) return;
  if (msg.chatType !== 'p2p') return; // files in groups are people's business, not ours
  if (!person.roles.includes('admin')) return say(deps, msg, t('bot.import_admin_only'));
  if (!ACCEPTED.test(file.fileName)) return say(deps, msg, t('bot.import_bad_type', { file: file.fileName || '?' }));
  let bytes: Buffer;
  try {
    bytes = await deps.lark!.downloadMessageResource(msg.messageId, file.fileKey);
  } catch (err) {
    deps.logger.warn({ err, file: file.fileName }, 'ledger download failed');
    return say(deps, msg, t('bot.import_download_failed', { file: file.fileName }));
  }
  const plan = await planImportFile(deps.db, bytes, { fileName: file.fileName });
  await deps.db.transaction(async (tx) => {
    const [session] = await tx
      .insert(importSessions)
      .values({
        personId: person.id,
        fileName: file.fileName,
        fileKey: file.fileKey,
        messageId: msg.messageId,
        status: plan.errors.length > 0 ? 'refused' : 'preview',
        summary: planSummary(plan),
      })
      .returning();
    const c = previewCard(plan, {
      confirm: { a: 'import_confirm', s: session!.id },
      cancel: { a: 'import_cancel', s: session!.id },
    });
    await replyTo(tx, msg, { msgType: 'interactive', card: c }, `reply:${msg.messageId}`);
  });
  deps.notifyOutbox();
};

/** Takes the session from 'preview' to `to` once: a double click or a second admin finds it already taken. */
async function claim(deps: Deps, sessionId: number, personId: number, to: string) {
  const [row] = await deps.db
    .update(importSessions)
    .set({ status: to })
    .where(and(eq(importSessions.id, sessionId), eq(importSessions.personId, personId), eq(importSessions.status, 'preview')))
    .returning();
  return row;
}

export const importCancel: ActionHandler = async (deps, { action, person }) => {
  if (!person) return {};
  const session = await claim(deps, Number(action.value.s), person.id, 'cancelled');
  if (!session) return stale(deps, Number(action.value.s));
  return {
    card: {
      type: 'raw',
      data: card({
        title: t('ledger.preview.title', { file: session.fileName }),
        template: 'grey',
        elements: [md(t('bot.import_cancelled', { file: session.fileName }))],
      }),
    },
  };
};

async function stale(deps: Deps, sessionId: number) {
  const [s] = await deps.db.select().from(importSessions).where(eq(importSessions.id, sessionId));
  return { toast: { type: 'info' as const, content: t('bot.import_stale', { status: s?.status ?? '?' }) } };
}

export const importConfirm: ActionHandler = async (deps, { action, person, defer }) => {
  if (!person?.roles.includes('admin')) return { toast: { type: 'error', content: t('bot.import_admin_only') } };
  const session = await claim(deps, Number(action.value.s), person.id, 'applying');
  if (!session) return stale(deps, Number(action.value.s));
  const cardMessageId = action.messageId;
  // Downloading, checking and writing a big ledger takes longer than Lark's 3 s: answer now, finish after.
  defer('ledger-import', async () => {
    let result: ReturnType<typeof card>;
    let status = 'applied';
    try {
      const bytes = await deps.lark!.downloadMessageResource(session.messageId!, session.fileKey!);
      const plan = await planImportFile(deps.db, bytes, { fileName: session.fileName });
      const applied = await applyImport(deps.db, plan, {
        actorId: person.id,
        now: deps.clock.now(),
        today: deps.calendar.today(deps.clock.now()),
      });
      const lines = [appliedText(applied)];
      const ids = await resolveLarkIds(deps.db, deps.lark!, deps.clock.now());
      if (ids.resolved > 0) lines.push(t('bot.import_resolved', { count: ids.resolved }));
      const extra =
        ids.unresolved.length > 0
          ? [note(t('bot.import_unresolved', { count: ids.unresolved.length, names: ids.unresolved.map((p) => p.name).join('、') }))]
          : [];
      result = card({
        title: t('bot.import_done_title', { file: session.fileName }),
        template: 'green',
        elements: [md(lines.join('\n')), ...extra],
      });
    } catch (err) {
      status = 'failed';
      const reason = err instanceof LedgerImportRejected ? err.message : err instanceof Error ? err.message : String(err);
      deps.logger.error({ err, session: session.id }, 'ledger import failed');
      result = card({
        title: t('bot.import_failed_title', { file: session.fileName }),
        template: 'red',
        elements: [md(t('bot.import_failed', { reason: reason.slice(0, 300) }))],
      });
    }
    await deps.db.transaction(async (tx) => {
      await tx.update(importSessions).set({ status }).where(eq(importSessions.id, session.id));
      if (cardMessageId) await updateCard(tx, cardMessageId, result, `import:${session.id}:result`);
    });
    deps.notifyOutbox();
  });
  return {
    toast: { type: 'info', content: t('bot.import_working', { file: session.fileName }) },
    card: {
      type: 'raw',
      data: card({
        title: t('ledger.preview.title', { file: session.fileName }),
        template: 'wathet',
        elements: [md(t('bot.import_working', { file: session.fileName }))],
      }),
    },
  };
};
