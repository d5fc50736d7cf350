/*
 * 到位资金 checked in chat (seed 002: "到位资金审核专项工作组" checks funds arrived under a written standard):
 * - the owner sends the evidence (进账单, 验资报告) to the bot as an image or a file; it is tied to their most recent
 *   reported entry still without evidence (Lark's key is kept, never the bytes);
 * - a checker (role 核查) sends `核查` and gets a card of the reported entries within their government, each with its
 *   evidence and 核实 / 退回 (a reason is required to return one);
 * - 核实 makes the entry count (and restarts the project's ageing clock); 退回 keeps it out of every figure and sends
 *   the reason to the owner (and to whoever reported it, when another person), through the outbox.
 * Who may decide: domain/funds mayDecideFund. Every id from a card is looked up again and checked.
 */
import { z } from 'zod';
import { ACTIONS } from '../actions.js';
import type { Deps } from '../context.js';
import { mayDecideFund } from '../domain/funds.js';
import { governmentOf } from '../domain/remit.js';
import { button, card, columns, form, hr, input, md, note, submitButton, type Element } from '../lark/cards.js';
import type { Person } from '../store/directory.js';
import { unitById } from '../store/directory.js';
import {
  attachEvidence,
  decideFundEntry,
  fundEntryForDecision,
  fundEvidenceOf,
  openIdOf,
  pendingFundEntries,
  type PendingFundEntry,
} from '../store/funds.js';
import { enqueueAll, type Outgoing } from '../store/messages.js';
import { enqueue } from '../store/outbox.js';
import { loadRemit, projectPlaces } from '../store/remit.js';
import { markDone, type CardInbox } from '../store/dedupe.js';
import type { Db, Tx } from '../store/db.js';
import { decodeEntities, t } from '../text.js';
import { dateLabel, formatAmount } from '../words.js';

type Toast = { type: 'success' | 'error' | 'info'; content: string };

/** The checker's government (its subtree is what they check), or why they may not check. */
async function checkerGovernment(deps: Deps, person: Person, today: string) {
  const { unitsById } = await loadRemit(deps.db, person, today);
  const own = person.unitId === null ? undefined : unitsById.get(person.unitId);
  const gov = own && governmentOf(own, unitsById);
  if (!gov || person.active === false || !person.roles.includes('checker')) return undefined;
  const unit = await unitById(deps.db, gov.id);
  return { path: gov.path, name: unit?.name ?? '' };
}

const LIST_LIMIT = 10;

function evidenceText(e: PendingFundEntry): string {
  if (!e.evidenceKey) return t('funds.check.evidence_missing');
  return e.evidenceType === 'image'
    ? t('funds.check.evidence_image', { name: e.evidenceName ?? '' })
    : t('funds.check.evidence_file', { name: e.evidenceName ?? '' });
}

/**
 * The 核查 card: the entries waiting in the checker's government, each with 核实 / 退回 and a reason box. Read
 * through `q`: a decision draws it inside its own transaction, to seal the callback with it.
 */
async function checkCard(q: Db | Tx, person: Person, gov: { path: string; name: string }, today: string) {
  // A checker never checks their own entries: they are not offered.
  const { total, list: shown } = await pendingFundEntries(q, { parts: [{ unitPath: gov.path }] }, today, {
    limit: LIST_LIMIT,
    notOf: person.id,
  });
  if (shown.length === 0) {
    return card({
      title: t('funds.check.title', { scope: gov.name }),
      template: 'green',
      elements: [md(t('funds.check.none', { scope: gov.name }))],
    });
  }
  const elements: Element[] = [md(t('funds.check.intro', { count: shown.length }))];
  for (const e of shown) {
    // One entry: what was reported (one fact a line), its evidence, then the reason box and 核实 / 退回 side by side
    // (a column each: stacked, the two buttons read as one list on a phone, issue 17).
    elements.push(
      hr(),
      md(
        t('funds.check.line', {
          project: e.projectName,
          code: e.projectCode,
          date: dateLabel(e.entryDate),
          amount: formatAmount(e.amountFen),
          reporter: e.reporterName ?? '',
          evidence: evidenceText(e),
        }),
      ),
    );
    // The evidence opens on a click (the checker's remit asked again): an image as a card showing it, a file as
    // a file message, sent to the checker in p2p (issue 16). Outside the form: a form's buttons all submit it.
    if (e.evidenceKey) {
      elements.push(
        button(
          e.evidenceType === 'image' ? t('funds.check.open_image') : t('funds.check.open_file', { name: e.evidenceName ?? '' }),
          { a: ACTIONS.fundEvidence, e: e.id },
          { name: `evidence_${e.id}` },
        ),
      );
    }
    elements.push(
      form(`fund_${e.id}`, [
        input({
          name: `reason_${e.id}`,
          label: t('funds.check.reason_label'),
          placeholder: t('funds.check.reason_placeholder'),
          maxLength: 200,
        }),
        columns([
          { elements: [submitButton(t('funds.check.verify'), { a: ACTIONS.fundVerify, e: e.id }, `verify_${e.id}`)] },
          {
            elements: [
              {
                ...button(t('funds.check.reject'), { a: ACTIONS.fundReject, e: e.id }, { type: 'danger', name: `reject_${e.id}` }),
                form_action_type: 'submit',
              },
            ],
          },
        ]),
      ]),
    );
  }
  if (total > shown.length) elements.push(note(t('funds.check.more', { count: total - shown.length })));
  return card({
    title: t('funds.check.title', { scope: gov.name }),
    subtitle: t('funds.check.subtitle', { total }),
    template: 'green',
    elements,
  });
}

/** `核查`: the card to the checker, in the chat they asked in; a refusal for anyone else. */
export async function openCheck(deps: Deps, asked: { messageId: string; chatId: string }, person: Person): Promise<readonly Outgoing[]> {
  const today = deps.calendar.today(deps.clock.now());
  const gov = await checkerGovernment(deps, person, today);
  const replyTo = { to: 'reply' as const, messageId: asked.messageId, chatId: asked.chatId, key: `reply:${asked.messageId}` };
  if (!gov) return [{ ...replyTo, content: { msgType: 'text', text: t('funds.check.not_checker') } }];
  return [{ ...replyTo, content: { msgType: 'interactive', card: await checkCard(deps.db, person, gov, today) } }];
}

/** What a 核实 / 退回 button sends back: the entry id (re-checked) and, for 退回, the reason typed (field names are unique per card). */
const DecisionValue = z.object({ e: z.coerce.number().int().positive().max(2_147_483_647) });
const Reason = z.string().trim().max(200).catch('');

type Decided = { toast: Toast; card?: { type: 'raw'; data: Record<string, unknown> } };

/**
 * 核实 / 退回 one entry. Answers with a toast and the card again (the decided entry gone from it). The decision, the
 * owner's notice of a 退回 and the callback's inbox record (`inbox`, with this answer) commit together (issue 14).
 */
export async function decide(
  deps: Deps,
  person: Person | undefined,
  decision: 'verify' | 'reject',
  value: Record<string, unknown>,
  formValue: Record<string, unknown>,
  inbox?: CardInbox,
): Promise<Decided & { enqueued?: number }> {
  const now = deps.clock.now();
  const today = deps.calendar.today(now);
  const notFound = { toast: { type: 'error' as const, content: t('funds.check.not_found') } };
  if (!person) return notFound;
  const gov = await checkerGovernment(deps, person, today);
  if (!gov) return { toast: { type: 'error', content: t('funds.check.not_checker') } };
  const v = DecisionValue.safeParse(value);
  if (!v.success) return notFound;
  const reason = Reason.parse(formValue[`reason_${v.data.e}`] ?? '');
  if (decision === 'reject' && !reason) return { toast: { type: 'error', content: t('funds.check.reason_needed') } };

  const outcome = await deps.db.transaction(async (tx) => {
    const entry = await fundEntryForDecision(tx, v.data.e);
    if (!entry) return { code: 'not_found' as const };
    const place = (await projectPlaces(tx, [entry.projectId])).get(entry.projectId);
    const check = mayDecideFund(person, gov.path, {
      status: entry.status,
      reportedById: entry.reportedById,
      hostPath: place?.hostPath ?? null,
      firstTalkPath: place?.firstTalkPath ?? null,
      ownerId: entry.ownerId,
    });
    // Outside the checker's government the entry does not exist for them: the same answer as a forged id.
    if (check === 'outside') return { code: 'not_found' as const };
    if (check !== 'ok') return { code: check };
    await decideFundEntry(tx, { id: entry.id, decision, byId: person.id, at: now, reason: decision === 'reject' ? reason : null });
    let enqueued = 0;
    if (decision === 'reject') {
      const text = t('funds.returned', {
        project: entry.projectName,
        date: dateLabel(entry.entryDate),
        amount: formatAmount(entry.amountFen),
        reason,
      });
      const to = new Set<string>();
      for (const id of [entry.ownerId, entry.reportedById]) {
        const openId = await openIdOf(tx, id);
        if (openId) to.add(openId);
      }
      enqueued = await enqueueAll(
        tx,
        [...to].map((openId) => ({
          to: 'user' as const,
          openId,
          content: { msgType: 'text' as const, text },
          key: `fund:${entry.id}:returned:${openId}`,
        })),
      );
    }
    // The answer drawn in the transaction (the decided entry already gone from the card) and sealed with it.
    const args = { project: entry.projectName, amount: formatAmount(entry.amountFen) };
    const answer: Decided = {
      toast: { type: 'success', content: decision === 'verify' ? t('funds.check.verified', args) : t('funds.check.rejected', args) },
      card: { type: 'raw', data: await checkCard(tx, person, gov, today) },
    };
    if (inbox) await markDone(tx, inbox.key, answer);
    return { code: 'ok' as const, answer, enqueued };
  });

  if (outcome.code === 'not_found') return notFound;
  if (outcome.code === 'own_entry') return { toast: { type: 'error', content: t('funds.check.own_entry') } };
  if (outcome.code === 'already_decided') return { toast: { type: 'info', content: t('funds.check.already') } };
  if (outcome.code !== 'ok') return { toast: { type: 'error', content: t('funds.check.not_checker') } };
  if (inbox) inbox.sealed = true;
  return { ...outcome.answer, enqueued: outcome.enqueued };
}

/**
 * An image or a (non-ledger) file sent by an owner: the evidence of their most recent reported entry still without
 * one. Answered in the chat it came from.
 */
export async function receiveEvidence(
  deps: Deps,
  msg: { messageId: string; chatId: string },
  person: Person,
  evidence: { key: string; type: 'image' | 'file'; name: string },
): Promise<{ enqueued: number }> {
  const now = deps.clock.now();
  const { remit } = await loadRemit(deps.db, person, deps.calendar.today(now));
  const enqueued = await deps.db.transaction(async (tx) => {
    const hit = await attachEvidence(tx, {
      reporterId: person.id,
      ownerIds: [...remit.ownerIds],
      key: evidence.key,
      type: evidence.type,
      name: evidence.name,
      messageId: msg.messageId,
      at: now,
    });
    const text = hit
      ? t('funds.evidence_attached', { project: hit.projectName, date: dateLabel(hit.entryDate), amount: formatAmount(hit.amountFen) })
      : t('funds.evidence_none');
    return enqueueAll(tx, [
      { to: 'reply', messageId: msg.messageId, chatId: msg.chatId, content: { msgType: 'text', text }, key: `reply:${msg.messageId}` },
    ]);
  });
  return { enqueued };
}

/** The largest evidence passed on (Lark's own limit for an image message is 10 MB; a file 30 MB). */
const EVIDENCE_LIMIT = { image: 10 * 1024 * 1024, file: 30 * 1024 * 1024 } as const;

/**
 * 查看凭证: the evidence of one entry, for a checker whose government the entry lies in (mayDecideFund, asked again
 * on every click: a forged or stale id, or an entry outside, is "not found"). The bytes are read from the owner's
 * message and sent to the checker in p2p through the outbox: an image as a card showing it (an img element), a
 * file as a file message. Decided entries stay viewable; an entry the checker may not decide (their own) is not.
 */
export async function showEvidence(
  deps: Deps,
  person: Person | undefined,
  value: Record<string, unknown>,
): Promise<{ toast: Toast; enqueued?: number }> {
  const notFound = { toast: { type: 'error' as const, content: t('funds.check.not_found') } };
  if (!person) return notFound;
  const now = deps.clock.now();
  const gov = await checkerGovernment(deps, person, deps.calendar.today(now));
  if (!gov) return { toast: { type: 'error', content: t('funds.check.not_checker') } };
  const v = DecisionValue.safeParse(value);
  if (!v.success) return notFound;
  const entry = await fundEvidenceOf(deps.db, v.data.e);
  if (!entry) return notFound;
  const place = (await projectPlaces(deps.db, [entry.projectId])).get(entry.projectId);
  const check = mayDecideFund(person, gov.path, {
    status: entry.status,
    reportedById: entry.reportedById,
    hostPath: place?.hostPath ?? null,
    firstTalkPath: place?.firstTalkPath ?? null,
    ownerId: entry.ownerId,
  });
  if (check === 'outside' || check === 'not_checker') return notFound;
  if (check === 'own_entry') return { toast: { type: 'error', content: t('funds.check.own_entry') } };
  const type = entry.evidenceType === 'image' ? 'image' : 'file';
  if (!entry.evidenceKey || !entry.evidenceMessageId || !deps.lark || !person.openId) {
    return { toast: { type: 'info', content: t('funds.check.evidence_missing') } };
  }
  let bytes: Buffer;
  try {
    bytes = await deps.lark.downloadMessageResource(entry.evidenceMessageId, entry.evidenceKey, type);
  } catch {
    return { toast: { type: 'error', content: t('funds.check.evidence_unavailable') } };
  }
  if (bytes.length === 0 || bytes.length > EVIDENCE_LIMIT[type]) {
    return { toast: { type: 'error', content: t('funds.check.evidence_unavailable') } };
  }
  const args = { project: entry.projectName, date: dateLabel(entry.entryDate), amount: formatAmount(entry.amountFen) };
  // One send per entry, checker and click time: a redelivered click does not send it twice.
  const idemKey = `fund:${entry.id}:evidence:${person.id}:${now.getTime()}`;
  const row =
    type === 'image'
      ? await enqueue(deps.db, {
          idemKey,
          op: 'image',
          receiveIdType: 'open_id',
          receiveId: person.openId,
          msgType: 'interactive',
          content: {
            base64: bytes.toString('base64'),
            title: decodeEntities(t('funds.check.evidence_title', { project: entry.projectName })),
            alt: decodeEntities(t('funds.check.evidence_alt', args)),
            text: t('funds.check.evidence_line', args),
          },
        })
      : await enqueue(deps.db, {
          idemKey,
          op: 'file',
          receiveIdType: 'open_id',
          receiveId: person.openId,
          msgType: 'file',
          content: {
            fileName:
              entry.evidenceName ||
              decodeEntities(t('funds.check.evidence_file_name', { project: entry.projectName, date: entry.entryDate })),
            fileType: 'stream',
            base64: bytes.toString('base64'),
          },
        });
  return { toast: { type: 'success', content: t('funds.check.evidence_sent') }, enqueued: row ? 1 : 0 };
}
