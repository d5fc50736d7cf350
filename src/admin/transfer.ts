import { z } from 'zod';
import { ACTIONS } from '../actions.js';
import type { Deps } from '../context.js';
import { checkTransferDecision, checkTransferOffer } from '../domain/transfer.js';
import { daysSinceProgress } from '../domain/progress.js';
import type { UnitNode } from '../domain/remit.js';
import type { CardActionResponse } from '../lark/events.js';
import { button, card, form, input, md, note, submitButton, columns, type Card } from '../lark/cards.js';
import { audit } from '../store/audit.js';
import { markDone, type CardInbox } from '../store/dedupe.js';
import { allUnits, personById, type Person, type Unit } from '../store/directory.js';
import type { Tx } from '../store/db.js';
import { enqueueAll, type Outgoing } from '../store/messages.js';
import { findProjects, projectById, type Project } from '../store/projects.js';
import { loadRemit } from '../store/remit.js';
import { loadRules } from '../store/rules.js';
import { scopeCondition } from '../store/status-scope.js';
import {
  decideTransfer,
  moveProject,
  nameTakenAt,
  offerTransfer,
  openTransferOf,
  transferById,
  unitLeads,
  type ProjectTransfer,
} from '../store/transfers.js';
import { t } from '../text.js';
import { dateLabel, stageLabel } from '../words.js';
import { say, type Answer, type Asked } from './answer.js';

/*
 * 转移 (000 三(一) 建立招商项目统筹机制): "对洽谈半年以上无实质性进展的项目，经首谈地同意后，可由其他地区重新洽谈，实现
 * 利益共享。…由省商务厅牵头…统筹协调". The seeds make it a brokered hand-over, not a stage anyone may pick:
 * - `/transfer <项目> <接收单位> <理由>`: a mechanism office whose remit covers both regions offers it, only after the
 *   stall period without substantive progress (src/domain/transfer.ts decides);
 * - the first-talk unit's leads get a consent card: 同意 / 不同意 (with a reason);
 * - on consent the project moves to the receiving unit with its history (reports, stage history, funds, problems
 *   stay with it), the first-talk unit is recorded as sharing it (利益共享: the accepted offer), and both sides and
 *   the office are told. Everything in one transaction, messages through the outbox.
 */

const nodesOf = (list: readonly Unit[]): Map<number, UnitNode> =>
  new Map(list.map((u) => [u.id, { id: u.id, kind: u.kind, path: u.path }]));

const lastProgressOf = (p: Project) => p.lastProgressOn ?? p.stageEnteredOn ?? p.createdAt.toISOString().slice(0, 10);

/** `/transfer <项目> <接收单位> <理由>`: an offer, and the consent cards to the first-talk unit's leads. */
export async function offerTransferOf(deps: Deps, asked: Asked, person: Person, args: string): Promise<Answer> {
  const [needle = '', unitName = '', ...why] = args.split(' ').filter(Boolean);
  const reason = why.join(' ').slice(0, 500);
  if (!needle || !unitName || !reason) return say(asked, t('transfer.usage'));
  if (!person.active || !person.roles.includes('admin')) return say(asked, t('transfer.admin_only'));
  const now = deps.clock.now();
  const today = deps.calendar.today(now);
  const { remit } = await loadRemit(deps.db, person, today);
  // Only the projects whose first-talk unit lies in the office's subtrees: anything else does not exist here.
  const firstTalkSide = { parts: remit.subtrees.map((s) => ({ firstTalkPath: s })) };
  const found = await findProjects(deps.db, needle, { where: scopeCondition(firstTalkSide) });
  if (found.length === 0) return say(asked, t('transfer.project_not_found', { text: needle }));
  if (found.length > 1) {
    return say(asked, t('transfer.project_ambiguous', { text: needle, count: found.length, codes: found.map((p) => p.code).join('、') }));
  }
  const p = found[0]!;
  const list = await allUnits(deps.db);
  const nodes = nodesOf(list);
  // The receiving unit by code, else by name, inside the office's remit; a name several units share asks for the code.
  const inRemit = list.filter((u) => remit.subtrees.some((s) => u.path.startsWith(s)));
  const byCode = inRemit.filter((u) => u.code.toLowerCase() === unitName.toLowerCase());
  const matches = byCode.length > 0 ? byCode : inRemit.filter((u) => u.name === unitName);
  if (matches.length > 1) {
    return say(asked, t('transfer.unit_ambiguous', { text: unitName, codes: matches.map((u) => `${u.name}（${u.code}）`).join('、') }));
  }
  const receiving = matches[0];
  if (!receiving) return say(asked, t('transfer.unit_not_found', { text: unitName }));
  const rules = await loadRules(deps.db);
  const firstTalk = p.firstTalkUnitId !== null ? nodes.get(p.firstTalkUnitId) : undefined;
  const last = lastProgressOf(p);
  const check = checkTransferOffer(person, remit, {
    stage: p.stage,
    lastProgressOn: last,
    firstTalk,
    receiving: nodes.get(receiving.id)!,
    unitsById: nodes,
    stallDays: rules.stallDays,
    today,
  });
  switch (check) {
    case 'ok':
      break;
    case 'not_admin':
      return say(asked, t('transfer.refused.not_admin'));
    case 'project_outside':
      return say(asked, t('transfer.refused.project_outside', { text: needle }));
    case 'unit_outside':
      return say(asked, t('transfer.refused.unit_outside', { text: unitName }));
    case 'same_region':
      return say(asked, t('transfer.refused.same_region', { unit: receiving.name }));
    case 'wrong_stage':
      return say(asked, t('transfer.refused.wrong_stage', { project: p.name, stage: stageLabel(p.stage) }));
    case 'too_early':
      return say(
        asked,
        t('transfer.refused.too_early', {
          project: p.name,
          last: dateLabel(last),
          days: daysSinceProgress(last, today),
          limit: rules.stallDays[p.stage] ?? 180,
        }),
      );
  }
  const fromUnit = list.find((u) => u.id === p.firstTalkUnitId)!;
  const leads = (await unitLeads(deps.db, fromUnit.id)).filter((l) => l.openId);
  if (leads.length === 0) return say(asked, t('transfer.no_lead', { unit: fromUnit.name }));
  if (await openTransferOf(deps.db, p.id)) return say(asked, t('transfer.already_open', { project: p.name }));
  if (await nameTakenAt(deps.db, receiving.id, p.name))
    return say(asked, t('transfer.name_taken', { unit: receiving.name, project: p.name }));

  const enqueued = await deps.db.transaction(async (tx) => {
    const offer = await offerTransfer(tx, {
      projectId: p.id,
      fromUnitId: fromUnit.id,
      fromHostUnitId: p.hostUnitId,
      fromOwnerId: p.ownerId,
      toUnitId: receiving.id,
      reason,
      offeredById: person.id,
      offeredOn: today,
    });
    // Two offers at once: the unique index keeps one; the other is told the project already has one.
    if (!offer) return enqueueAll(tx, say(asked, t('transfer.already_open', { project: p.name })));
    await audit(tx, {
      at: now,
      actorId: person.id,
      action: 'transfer.offer',
      entity: 'project',
      entityId: p.id,
      before: { firstTalkUnitId: fromUnit.id },
      after: { offer: offer.id, toUnitId: receiving.id, reason },
    });
    const c = consentCard(offer, p, { from: fromUnit.name, to: receiving.name, by: person.name, last, today });
    const cards: Outgoing[] = leads.map((l) => ({
      to: 'user' as const,
      openId: l.openId!,
      content: { msgType: 'interactive' as const, card: c },
      key: `transfer:${offer.id}:ask:${l.id}`,
    }));
    return enqueueAll(tx, [...cards, ...say(asked, t('transfer.offered', { unit: fromUnit.name, project: p.name, to: receiving.name }))]);
  });
  return { enqueued };
}

function consentCard(
  offer: ProjectTransfer,
  p: Project,
  v: { from: string; to: string; by: string; last: string; today: string },
  values: { reason?: string } = {},
): Card {
  const value = (decision: 'agree' | 'decline') => ({ a: ACTIONS.transferDecide, t: offer.id, v: decision });
  return card({
    title: t('transfer.card_title', { project: p.name }),
    template: 'orange',
    elements: [
      md(
        t('transfer.card_body', {
          project: p.name,
          code: p.code,
          stage: stageLabel(p.stage),
          last: dateLabel(v.last),
          days: daysSinceProgress(v.last, v.today),
          to: v.to,
          from: v.from,
          reason: offer.reason,
          by: v.by,
          on: dateLabel(offer.offeredOn),
        }),
      ),
      form(`transfer_${offer.id}`, [
        input({ name: 'reason', label: t('transfer.field_reason'), value: values.reason, maxLength: 500, multiline: true }),
        columns([
          { elements: [submitButton(t('transfer.agree'), value('agree'), 'agree')] },
          {
            elements: [
              { ...button(t('transfer.decline'), value('decline'), { type: 'danger', name: 'decline' }), form_action_type: 'submit' },
            ],
          },
        ]),
      ]),
      note(t('transfer.card_note')),
    ],
  });
}

function resultCard(project: string, text: string, template: 'green' | 'grey'): { type: 'raw'; data: Card } {
  return { type: 'raw', data: card({ title: t('transfer.card_title', { project }), template, elements: [md(text)] }) };
}

/** What a consent card's button carries, re-checked: a card is only JSON in a chat. */
const DecideValue = z.object({ t: z.coerce.number().int().positive(), v: z.enum(['agree', 'decline']) });
const DecideForm = z.object({ reason: z.string().trim().max(500).optional().catch(undefined) }).catch({});

export type TransferDecision = CardActionResponse & { enqueued?: number };

/**
 * 同意 / 不同意 on the consent card. Only a lead of the unit whose consent was asked, once; a forged or replayed
 * value, or another unit's lead, is told that nothing was found (or that it was answered already). The decision, the
 * move, their notices and the callback's inbox record (`inbox`, with this answer) commit together (issue 14).
 */
export async function decideTransferOf(
  deps: Deps,
  person: Person | undefined,
  rawValue: Record<string, unknown>,
  rawForm: Record<string, unknown>,
  inbox?: CardInbox,
): Promise<TransferDecision> {
  const notFound: TransferDecision = { toast: { type: 'error', content: t('transfer.not_found') } };
  const v = DecideValue.safeParse(rawValue);
  if (!v.success || !person) return notFound;
  const reason = DecideForm.parse(rawForm).reason ?? '';
  const now = deps.clock.now();
  const today = deps.calendar.today(now);
  const pre = await transferById(deps.db, v.data.t);
  const preProject = pre && (await projectById(deps.db, pre.projectId));
  const preCheck = checkTransferDecision(person, pre, preProject?.firstTalkUnitId);
  if (preCheck === 'not_found') return notFound;
  if (preCheck === 'decided') return { toast: { type: 'info', content: t('transfer.decided') } };
  if (preCheck === 'moved') return { toast: { type: 'error', content: t('transfer.moved') } };
  if (v.data.v === 'decline' && !reason) return { toast: { type: 'error', content: t('transfer.decline_needs_reason') } };

  const list = await allUnits(deps.db);
  const nameOf = (id: number | null) => list.find((u) => u.id === id)?.name ?? '';
  const from = nameOf(pre!.fromUnitId);
  const to = nameOf(pre!.toUnitId);
  const offerer = await personById(deps.db, pre!.offeredById);
  const project = preProject!;

  type Out = { result: TransferDecision } | { refused: TransferDecision };
  /** The answer, its notices queued and the inbox record sealed with it, in the deciding transaction. */
  const answered = async (tx: Tx, answer: CardActionResponse, told: readonly Outgoing[]): Promise<Out> => {
    const enqueued = await enqueueAll(tx, told);
    if (inbox) await markDone(tx, inbox.key, answer);
    return { result: { ...answer, enqueued } };
  };
  const out: Out = await deps.db.transaction(async (tx): Promise<Out> => {
    if (v.data.v === 'agree' && (await nameTakenAt(tx, pre!.toUnitId, project.name))) {
      return { refused: { toast: { type: 'error', content: t('transfer.name_taken', { unit: to, project: project.name }) } } };
    }
    const decided = await decideTransfer(tx, pre!.id, {
      status: v.data.v === 'agree' ? 'accepted' : 'declined',
      byId: person.id,
      on: today,
      declineReason: v.data.v === 'decline' ? reason : null,
    });
    // Another lead (or a replayed click) got there first: nothing is written twice.
    if (!decided) return { refused: { toast: { type: 'info', content: t('transfer.decided') } } };
    const told: Outgoing[] = [];
    const tell = (p: Person | undefined, text: string, key: string) => {
      if (p?.active && p.openId)
        told.push({ to: 'user', openId: p.openId, content: { msgType: 'text', text }, key: `transfer:${pre!.id}:${key}:${p.id}` });
    };
    if (v.data.v === 'decline') {
      await audit(tx, {
        at: now,
        actorId: person.id,
        action: 'transfer.decline',
        entity: 'project',
        entityId: project.id,
        before: { offer: pre!.id, status: 'offered' },
        after: { status: 'declined', reason },
      });
      tell(offerer, t('transfer.told_offerer_declined', { from, lead: person.name, project: project.name, to, reason }), 'declined');
      return answered(
        tx,
        {
          toast: { type: 'success', content: t('transfer.toast_declined') },
          card: resultCard(project.name, t('transfer.declined_card', { project: project.name, to, reason }), 'grey'),
        },
        told,
      );
    }
    // Consent: the project and its history move to the receiving unit; its lead holds it until assigned on.
    const receivingLeads = await unitLeads(tx, pre!.toUnitId);
    const newOwner = receivingLeads[0] ?? null;
    await moveProject(tx, project.id, pre!.toUnitId, newOwner?.id ?? null, today);
    await audit(tx, {
      at: now,
      actorId: person.id,
      action: 'transfer.accept',
      entity: 'project',
      entityId: project.id,
      before: { firstTalkUnitId: project.firstTalkUnitId, hostUnitId: project.hostUnitId, ownerId: project.ownerId },
      after: { firstTalkUnitId: pre!.toUnitId, hostUnitId: pre!.toUnitId, ownerId: newOwner?.id ?? null, sharedWith: pre!.fromUnitId },
    });
    tell(offerer, t('transfer.told_offerer_agreed', { from, lead: person.name, project: project.name, to }), 'agreed');
    for (const l of receivingLeads) {
      tell(l, t('transfer.told_receiver', { from, project: project.name, code: project.code, owner: newOwner?.name ?? '' }), 'receiver');
    }
    // The sending side: the first-talk unit's other leads and the former owner.
    const sendingSide = [...(await unitLeads(tx, pre!.fromUnitId)).filter((l) => l.id !== person.id)];
    if (project.ownerId !== null) {
      const owner = await personById(tx, project.ownerId);
      if (owner && !sendingSide.some((s) => s.id === owner.id) && owner.id !== person.id) sendingSide.push(owner);
    }
    for (const s of sendingSide)
      tell(s, t('transfer.told_sender', { project: project.name, code: project.code, lead: person.name, to, from }), 'sender');
    return answered(
      tx,
      {
        toast: { type: 'success', content: t('transfer.toast_agreed') },
        card: resultCard(project.name, t('transfer.done_card', { project: project.name, to, from }), 'green'),
      },
      told,
    );
  });
  if (!('result' in out)) return out.refused;
  if (inbox) inbox.sealed = true;
  return out.result;
}
