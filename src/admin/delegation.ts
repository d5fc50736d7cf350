import {
  parseEndDate,
  mayDelegate,
  mayEndDelegation,
  mayHandOver,
  MAX_DELEGATION_DAYS,
  type DelegationVerdict,
  type Officer,
} from '../domain/delegation.js';
import { audit } from '../store/audit.js';
import { peopleNamedUnder, projectsOwnedBy, setDelegation, setProjectOwner, unitPaths } from '../store/delegation.js';
import type { Person } from '../store/directory.js';
import { enqueueAll, type Outgoing } from '../store/messages.js';
import { t } from '../text.js';
import { dateErrorText, dateLabel } from '../words.js';
import type { Deps } from '../context.js';
import { say, type Answer, type Asked } from './answer.js';

/*
 * Delegation and handover in chat (issue 13, item 8). DOMAIN.md: owners act on their own projects, and on a
 * colleague's while delegated, until the delegation ends.
 * - `请假 <代理人> <结束日期>` / `出差 …`: the owner names a colleague of the same unit until a day (inclusive);
 *   a unit lead does it for an owner: `请假 <责任人> <代理人> <结束日期>`.
 * - `销假 [责任人]`: ends it early.
 * - `交接 <原责任人> <新责任人> [项目]`: a unit lead hands one or all of an officer's projects to another officer of
 *   the unit. Everything is audited.
 * People are looked up only under the actor's own unit (and a delegate only in the owner's unit), so a name outside
 * is answered as one that does not exist.
 */

export type AwayKind = 'leave' | 'trip';

const officer = (p: Person): Officer => ({ id: p.id, unitId: p.unitId, roles: p.roles, active: p.active });

/** Words of the command: names, and the one word that reads as a date (到/至 before it dropped). */
function splitArgs(args: string, today: string): { names: string[]; date: string | null; bad: string | null } {
  const words = args
    .trim()
    .split(/\s+/)
    .map((w) => w.replace(/^(至|到|截至|直到)/, ''))
    .filter((w) => w !== '' && w !== '代理' && w !== '代理人' && w !== '由');
  const names: string[] = [];
  let date: string | null = null;
  let bad: string | null = null;
  for (const w of words) {
    const d = parseEndDate(w, today);
    if (d.ok && date === null) date = d.date;
    else if (!d.ok && /\d/.test(w)) bad ??= w;
    else names.push(w);
  }
  return { names, date, bad };
}

/** A person of that name under the actor's unit: one, or a reply saying none or several (nothing outside is named). */
async function findUnder(deps: Deps, name: string, unitPath: string | undefined, sameUnit?: number | null): Promise<Person | string> {
  const found = unitPath ? await peopleNamedUnder(deps.db, name, unitPath) : [];
  const hits = sameUnit === undefined ? found : found.filter((p) => p.unitId === sameUnit);
  const active = hits.filter((p) => p.active);
  if (hits.length === 0) return t('delegation.person_not_found', { name });
  if (active.length > 1) return t('delegation.person_ambiguous', { name, count: active.length });
  return active[0] ?? hits[0]!;
}

function delegationRefusal(verdict: Exclude<DelegationVerdict, 'ok'>, owner: string, delegate: string, date: string): string {
  switch (verdict) {
    case 'not_allowed':
      return t('delegation.refused.not_allowed', { owner });
    case 'delegate_self':
      return t('delegation.refused.delegate_self');
    case 'delegate_other_unit':
      return t('delegation.refused.delegate_other_unit', { owner, delegate });
    case 'delegate_inactive':
      return t('delegation.refused.delegate_inactive', { delegate });
    case 'end_in_past':
      return t('delegation.refused.end_in_past', { date: dateLabel(date) });
    case 'too_long':
      return t('delegation.refused.too_long', { days: MAX_DELEGATION_DAYS });
  }
}

function handoverRefusal(verdict: Exclude<ReturnType<typeof mayHandOver>, 'ok'>, from: string, to: string): string {
  switch (verdict) {
    case 'not_allowed':
      return t('delegation.handover_refused.not_allowed', { from });
    case 'same_person':
      return t('delegation.handover_refused.same_person');
    case 'other_unit':
      return t('delegation.handover_refused.other_unit', { from, to });
    case 'inactive':
      return t('delegation.handover_refused.inactive', { to });
  }
}

/** `请假` / `出差`: sets who stands in for an owner until an end date. */
export async function setAway(deps: Deps, asked: Asked, actor: Person, kind: AwayKind, args: string): Promise<Answer> {
  const now = deps.clock.now();
  const today = deps.calendar.today(now);
  const { names, date, bad } = splitArgs(args, today);
  if (bad) return say(asked, dateErrorText({ code: 'invalid', input: bad }));
  if (date === null || names.length < 1 || names.length > 2) return say(asked, t('delegation.usage'));
  const paths = await unitPaths(deps.db, [actor.unitId]);
  let owner: Person = actor;
  if (names.length === 2) {
    const found = await findUnder(deps, names[0]!, paths.get(actor.unitId ?? -1));
    if (typeof found === 'string') return say(asked, found);
    owner = found;
  }
  const ownerPaths = await unitPaths(deps.db, [owner.unitId, actor.unitId]);
  const delegate = await findUnder(deps, names.at(-1)!, ownerPaths.get(owner.unitId ?? -1), owner.unitId);
  if (typeof delegate === 'string') return say(asked, t('delegation.delegate_not_in_unit', { name: names.at(-1)! }));
  const verdict = mayDelegate(officer(actor), officer(owner), officer(delegate), date, today, ownerPaths);
  if (verdict !== 'ok') return say(asked, delegationRefusal(verdict, owner.name, delegate.name, date));
  const what = t(kind === 'leave' ? 'delegation.kind.leave' : 'delegation.kind.trip');
  const until = dateLabel(date);
  const out: Outgoing[] = say(asked, t('delegation.set', { owner: owner.name, kind: what, delegate: delegate.name, until }));
  if (delegate.openId) {
    out.push({
      to: 'user',
      openId: delegate.openId,
      content: { msgType: 'text', text: t('delegation.notice_delegate', { owner: owner.name, kind: what, until }) },
      key: `delegation:${asked.messageId}:${delegate.id}`,
    });
  }
  const enqueued = await deps.db.transaction(async (tx) => {
    await setDelegation(tx, owner.id, delegate.id, date, now);
    await audit(tx, {
      at: now,
      actorId: actor.id,
      action: 'person.delegate',
      entity: 'person',
      entityId: owner.id,
      before: { delegateId: owner.delegateId, awayUntil: owner.awayUntil },
      after: { delegateId: delegate.id, awayUntil: date, kind },
    });
    return enqueueAll(tx, out);
  });
  return { enqueued };
}

/** `销假 [责任人]`: ends a delegation early, by the owner or their unit lead. */
export async function endAway(deps: Deps, asked: Asked, actor: Person, args: string): Promise<Answer> {
  const now = deps.clock.now();
  const today = deps.calendar.today(now);
  const name = args.trim();
  let owner: Person = actor;
  if (name !== '' && name !== actor.name) {
    const paths = await unitPaths(deps.db, [actor.unitId]);
    const found = await findUnder(deps, name, paths.get(actor.unitId ?? -1));
    if (typeof found === 'string') return say(asked, found);
    owner = found;
  }
  const paths = await unitPaths(deps.db, [owner.unitId, actor.unitId]);
  if (!mayEndDelegation(officer(actor), officer(owner), paths)) {
    return say(asked, t('delegation.refused.not_allowed', { owner: owner.name }));
  }
  if (owner.delegateId === null || owner.awayUntil === null || owner.awayUntil < today) {
    return say(asked, t('delegation.not_away', { owner: owner.name }));
  }
  const enqueued = await deps.db.transaction(async (tx) => {
    await setDelegation(tx, owner.id, null, null, now);
    await audit(tx, {
      at: now,
      actorId: actor.id,
      action: 'person.delegate_end',
      entity: 'person',
      entityId: owner.id,
      before: { delegateId: owner.delegateId, awayUntil: owner.awayUntil },
      after: { delegateId: null, awayUntil: null },
    });
    return enqueueAll(tx, say(asked, t('delegation.ended', { owner: owner.name })));
  });
  return { enqueued };
}

/** `交接 <原责任人> <新责任人> [项目]`: a unit lead hands one or all of an officer's projects to a colleague. */
export async function handOver(deps: Deps, asked: Asked, actor: Person, args: string): Promise<Answer> {
  const now = deps.clock.now();
  const [fromName, toName, ...rest] = args.trim().split(/\s+/).filter(Boolean);
  if (!fromName || !toName) return say(asked, t('delegation.handover_usage'));
  const paths = await unitPaths(deps.db, [actor.unitId]);
  const lead = paths.get(actor.unitId ?? -1);
  const from = await findUnder(deps, fromName, lead);
  if (typeof from === 'string') return say(asked, from);
  const to = await findUnder(deps, toName, lead, from.unitId);
  if (typeof to === 'string') return say(asked, t('delegation.handover_to_not_in_unit', { name: toName, from: from.name }));
  const allPaths = await unitPaths(deps.db, [actor.unitId, from.unitId, to.unitId]);
  const verdict = mayHandOver(officer(actor), officer(from), officer(to), allPaths);
  if (verdict !== 'ok') return say(asked, handoverRefusal(verdict, from.name, to.name));
  const owned = await projectsOwnedBy(deps.db, from.id);
  const which = rest.join(' ');
  const moving = which === '' ? owned : owned.filter((p) => p.code.toLowerCase() === which.toLowerCase() || p.name.includes(which));
  if (moving.length === 0) {
    return say(
      asked,
      which ? t('delegation.handover_no_project', { from: from.name, project: which }) : t('delegation.handover_none', { from: from.name }),
    );
  }
  const enqueued = await deps.db.transaction(async (tx) => {
    await setProjectOwner(
      tx,
      moving.map((p) => p.id),
      to.id,
      now,
    );
    await audit(
      tx,
      moving.map((p) => ({
        at: now,
        actorId: actor.id,
        action: 'project.handover',
        entity: 'project',
        entityId: p.id,
        before: { ownerId: from.id },
        after: { ownerId: to.id },
      })),
    );
    const list = moving.map((p) => t('delegation.handover_item', { code: p.code, name: p.name })).join('\n');
    const out: Outgoing[] = say(asked, t('delegation.handover_done', { from: from.name, to: to.name, count: moving.length, list }));
    if (to.openId) {
      out.push({
        to: 'user',
        openId: to.openId,
        content: { msgType: 'text', text: t('delegation.handover_notice', { from: from.name, count: moving.length, list }) },
        key: `handover:${asked.messageId}:${to.id}`,
      });
    }
    return enqueueAll(tx, out);
  });
  return { enqueued };
}
