import { ACTIONS } from '../actions.js';
import { mayAdminister } from '../domain/permissions.js';
import { card, md, note } from '../lark/cards.js';
import type { CardActionResponse } from '../lark/events.js';
import { applyImport, LedgerImportRejected, planImportFile, type ImportScope } from '../ledger/import.js';
import { appliedText, planSummary, previewCard } from '../ledger/preview.js';
import { resolveLarkIds } from '../ledger/resolve.js';
import { personById, type Person } from '../store/directory.js';
import {
  claimImportSession,
  createImportSession,
  finishImportSession,
  importSessionById,
  renewImportLease,
  startApplying,
  startApplyingSealed,
  takeOverStaleApplying,
  type ImportSession,
} from '../store/imports.js';
import { enqueueAll, reply } from '../store/messages.js';
import { loadRemit } from '../store/remit.js';
import { markDone, type CardInbox } from '../store/dedupe.js';
import { t } from '../text.js';
import type { Deps } from '../context.js';
import { say, type Answer, type Asked } from './answer.js';

/*
 * A ledger sent in chat: an admin sends the .xlsx (or .csv) to the bot in p2p; the bot downloads it, checks the
 * whole file and answers with a preview card (counts to add / change per sheet, the first problems) with
 * 确认导入 / 取消. Confirming downloads the same file again, re-checks it and writes it in one transaction, then
 * resolves new people to Lark accounts by mobile or email. Nothing is written before the confirmation.
 *
 * Node only: the ledger reader streams .xlsx through exceljs internals that Workers cannot load.
 */

const ACCEPTED = /\.(xlsx|csv)$/i;

/**
 * An admin's ledger is scoped to their remit (issue 13): every row about units, people, chains, groups or projects
 * outside it is an error naming sheet and row, and so is any role granted above their own level or to themselves.
 * Only the operator's CLI imports anything.
 */
async function scopeOf(deps: Deps, person: Person): Promise<ImportScope> {
  const { remit } = await loadRemit(deps.db, person, deps.calendar.today(deps.clock.now()));
  return { actor: person, remit };
}

/** A file the admin sent: checked and previewed, with the session the preview's buttons name. */
export async function previewLedger(
  deps: Deps,
  asked: Asked,
  person: Person,
  file: { fileKey: string; fileName: string },
): Promise<Answer> {
  if (!mayAdminister(person)) return say(asked, t('bot.import_admin_only'));
  if (!ACCEPTED.test(file.fileName)) return say(asked, t('bot.import_bad_type', { file: file.fileName || '?' }));
  let bytes: Buffer;
  try {
    bytes = await deps.lark!.downloadMessageResource(asked.messageId, file.fileKey);
  } catch (err) {
    deps.logger.warn({ err, file: file.fileName }, 'ledger download failed');
    return say(asked, t('bot.import_download_failed', { file: file.fileName }));
  }
  const plan = await planImportFile(deps.db, bytes, await scopeOf(deps, person), { fileName: file.fileName });
  const enqueued = await deps.db.transaction(async (tx) => {
    const session = await createImportSession(tx, {
      personId: person.id,
      fileName: file.fileName,
      fileKey: file.fileKey,
      messageId: asked.messageId,
      status: plan.errors.length > 0 ? 'refused' : 'preview',
      summary: planSummary(plan),
    });
    const c = previewCard(plan, {
      confirm: { a: ACTIONS.importConfirm, s: session.id },
      cancel: { a: ACTIONS.importCancel, s: session.id },
    });
    return enqueueAll(tx, [reply(asked, { msgType: 'interactive', card: c })]);
  });
  return { enqueued };
}

async function stale(deps: Deps, sessionId: number): Promise<CardActionResponse> {
  return staleAnswer(await importSessionById(deps.db, sessionId));
}

const staleAnswer = (s: ImportSession | undefined): CardActionResponse => ({
  toast: { type: 'info', content: t('bot.import_stale', { status: s?.status ?? '?' }) },
});

/** The preview card turned into one line on where the import stands (cancelled, working). */
function previewState(file: string, template: 'grey' | 'wathet', text: string): CardActionResponse['card'] {
  return { type: 'raw', data: card({ title: t('ledger.preview.title', { file }), template, elements: [md(text)] }) };
}

/**
 * 取消 on the preview: the session is dropped and the card says so. The session's change and the callback's inbox
 * record (`inbox`, with this answer) commit together (issue 14).
 */
export async function cancelImport(deps: Deps, person: Person, sessionId: number, inbox?: CardInbox): Promise<CardActionResponse> {
  const answer = await deps.db.transaction(async (tx) => {
    const session = await claimImportSession(tx, sessionId, person.id, 'cancelled');
    if (!session) return undefined;
    const a: CardActionResponse = { card: previewState(session.fileName, 'grey', t('bot.import_cancelled', { file: session.fileName })) };
    if (inbox) await markDone(tx, inbox.key, a);
    return a;
  });
  if (!answer) return stale(deps, sessionId);
  if (inbox) inbox.sealed = true;
  return answer;
}

/**
 * 确认导入 on the preview. Downloading, checking and writing a big ledger takes longer than Lark's 3 s, so the
 * work is handed to `later` and the card answers at once; the result replaces the card when the work is done.
 * With `inbox`, the session moves to 'applying' and the callback's record is marked done with this answer in one
 * statement (issue 14): the session is read first for the file name the answer shows (it never changes).
 */
export async function confirmImport(
  deps: Deps,
  person: Person | undefined,
  sessionId: number,
  cardMessageId: string | undefined,
  later: (label: string, fn: () => Promise<Answer>) => void,
  inbox?: CardInbox,
): Promise<CardActionResponse> {
  if (!person || !mayAdminister(person)) return { toast: { type: 'error', content: t('bot.import_admin_only') } };
  const working = (s: ImportSession): CardActionResponse => ({
    toast: { type: 'info', content: t('bot.import_working', { file: s.fileName }) },
    card: previewState(s.fileName, 'wathet', t('bot.import_working', { file: s.fileName })),
  });
  let session: ImportSession | undefined;
  if (inbox) {
    const pre = await importSessionById(deps.db, sessionId);
    // Not this person's preview (another's, taken, forged): the answer `stale` gives, from what was just read.
    if (!pre || pre.personId !== person.id || pre.status !== 'preview') return staleAnswer(pre);
    const taken = await startApplyingSealed(deps.db, sessionId, person.id, cardMessageId, importLeaseMs(deps), {
      key: inbox.key,
      response: working(pre),
    });
    if (!taken) return stale(deps, sessionId);
    inbox.sealed = true;
    // What the statement wrote; applySession reads only the session's id and its file.
    session = { ...pre, status: 'applying', cardMessageId: cardMessageId ?? null };
  } else {
    session = await startApplying(deps.db, sessionId, person.id, cardMessageId, importLeaseMs(deps));
    if (!session) return stale(deps, sessionId);
  }
  const applying = session;
  later('ledger-import', () => applySession(deps, person, applying, cardMessageId));
  return working(applying);
}

/** How long a process applying a ledger holds it; renewed every quarter of it while it works. */
export const IMPORT_LEASE_MS = 60_000;

/** The configured lease (INBOX_LEASE_MS, through the deps), else IMPORT_LEASE_MS. */
const importLeaseMs = (deps: Deps) => deps.workLeaseMs ?? IMPORT_LEASE_MS;

/**
 * Ledgers confirmed but left 'applying' by a process that died (the inbox sweep calls this): each is taken over
 * and applied again. The import is one transaction that writes only what differs from the database, so applying
 * a ledger that did commit before the crash changes nothing; the result card's key makes it replace the card once.
 */
export async function resumeImports(deps: Deps, later: (label: string, fn: () => Promise<Answer>) => void): Promise<number> {
  const sessions = await takeOverStaleApplying(deps.db, importLeaseMs(deps));
  for (const session of sessions) {
    const person = session.personId ? await personById(deps.db, session.personId) : undefined;
    deps.logger.warn({ session: session.id }, 'ledger import left applying resumed');
    if (!person) {
      await finishImportSession(deps.db, session.id, 'failed');
      continue;
    }
    later('ledger-import', () => applySession(deps, person, session, session.cardMessageId ?? undefined));
  }
  return sessions.length;
}

async function applySession(deps: Deps, person: Person, session: ImportSession, cardMessageId: string | undefined): Promise<Answer> {
  const leaseMs = importLeaseMs(deps);
  const renew = setInterval(
    () => void renewImportLease(deps.db, session.id, leaseMs).catch((err) => deps.logger.warn({ err }, 'import lease not renewed')),
    Math.max(50, Math.floor(leaseMs / 4)),
  );
  try {
    return await applyHeld(deps, person, session, cardMessageId);
  } finally {
    clearInterval(renew);
  }
}

async function applyHeld(deps: Deps, person: Person, session: ImportSession, cardMessageId: string | undefined): Promise<Answer> {
  let result: ReturnType<typeof card>;
  let status: 'applied' | 'failed' = 'applied';
  try {
    const bytes = await deps.lark!.downloadMessageResource(session.messageId!, session.fileKey!);
    const plan = await planImportFile(deps.db, bytes, await scopeOf(deps, person), { fileName: session.fileName });
    const applied = await applyImport(deps.db, plan, {
      actorId: person.id,
      today: deps.calendar.today(deps.clock.now()),
      now: deps.clock.now(),
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
  const enqueued = await deps.db.transaction(async (tx) => {
    await finishImportSession(tx, session.id, status);
    return cardMessageId
      ? enqueueAll(tx, [{ to: 'patch', messageId: cardMessageId, card: result, key: `import:${session.id}:result` }])
      : 0;
  });
  return { enqueued };
}
