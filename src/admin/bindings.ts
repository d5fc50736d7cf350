import { mayAdminister } from '../domain/permissions.js';
import { audit } from '../store/audit.js';
import { clearBinding, setBinding, type Binding } from '../store/bindings.js';
import { groupByChatId, type Chain, type ChatGroup, type Person } from '../store/directory.js';
import { loadRemit } from '../store/remit.js';
import { GOVERNMENT_KINDS, mayBind, type BindingScope, type Remit } from '../domain/remit.js';
import { enqueueAll, reply } from '../store/messages.js';
import { loadRules } from '../store/rules.js';
import { resolveChain, resolveUnit } from '../status/names.js';
import { governmentUnitOf, loadDirectory, scopeOfGroup, type Directory } from '../status/scope.js';
import { t } from '../text.js';
import type { Deps } from '../context.js';
import { say, type Answer, type Asked } from './answer.js';

/** Binding and unbinding are the mechanism office's: admins only, in the group itself. */
function refusal(asked: Asked, actor: Person | undefined): Answer | null {
  if (asked.chatType !== 'group') return say(asked, t('status.bind.group_only'));
  if (!mayAdminister(actor)) return say(asked, t('status.bind.admin_only'));
  return null;
}

function describe(g: Binding, dir: Directory, centreMinFen: number): string {
  const s = scopeOfGroup(g as ChatGroup, dir, centreMinFen);
  if (!s || !g.bindingKind) return t('common.none');
  switch (g.bindingKind) {
    case 'unit':
      return t('status.bind.kind_unit', { scope: s.label });
    case 'chain':
      return t('status.bind.kind_chain', { scope: s.label });
    case 'centre':
      return t('status.bind.kind_centre', { scope: s.label });
    case 'convenor':
      return t('status.bind.kind_convenor', { scope: s.label });
  }
}

const bindingOf = (g: Binding): Binding => ({ bindingKind: g.bindingKind, unitId: g.unitId, chainId: g.chainId });

/** A binding as domain/remit sees it: a unit's path, or the chain (with its government). */
function scopeOf(b: Binding, dir: Directory): BindingScope | null {
  if (!b.bindingKind) return null;
  if (b.bindingKind === 'chain') {
    const c = b.chainId === null ? undefined : dir.chainById.get(b.chainId);
    return {
      kind: 'chain',
      chain: c
        ? { id: c.id, governmentId: c.governmentUnitId, parentChainId: c.parentChainId, leaderId: c.leaderId, secretaryId: c.secretaryId }
        : { id: -1, governmentId: null, parentChainId: null, leaderId: null, secretaryId: null },
    };
  }
  // A project-centre group bound before centres named their unit was province-wide: the root's.
  const unit = b.unitId !== null ? dir.unitById.get(b.unitId) : dir.units.filter((u) => u.parentId === null).at(0);
  return { kind: b.bindingKind, unitPath: unit?.path ?? null };
}

/**
 * The chain a name means to this admin: chains are per government, so their own government's chain of that name
 * first, else the only one of that name inside their remit. Chains outside are not found, as if they did not exist.
 */
function chainFor(dir: Directory, admin: Person, remit: Remit, text: string): Chain | null {
  const k = text.trim();
  if (k === '') return null;
  const named = dir.chains.filter((c) => resolveChain({ ...dir, chains: [c] }, k) !== null);
  const own = governmentUnitOf(admin, dir);
  const mine = named.find((c) => own && c.governmentUnitId === own.id);
  if (mine) return mine;
  const inside = named.filter((c) => scopeInside(remit, { kind: 'chain', chain: chainNode(c) }, dir));
  return inside.length === 1 ? inside[0]! : null;
}

const chainNode = (c: Chain) => ({
  id: c.id,
  governmentId: c.governmentUnitId,
  parentChainId: c.parentChainId,
  leaderId: c.leaderId,
  secretaryId: c.secretaryId,
});

function scopeInside(remit: Remit, s: BindingScope, dir: Directory): boolean {
  return mayBind(remit, s, null, dir.unitById) === 'ok';
}

/** The refusal for a verdict of domain/remit mayBind, or null when the admin may go ahead. */
function bindRefusal(verdict: ReturnType<typeof mayBind>, asked: Asked, unitName: string | null, own: string): Answer | null {
  switch (verdict) {
    case 'ok':
      return null;
    case 'centre_needs_unit':
      return say(asked, t('status.bind.centre_needs_unit'));
    case 'current_outside':
      return say(asked, t('status.bind.current_outside'));
    case 'target_outside':
      return say(asked, t('status.bind.outside_admin_scope', { unit: unitName ?? '', own }));
  }
}

/**
 * `/bind 单位 <单位>`, `/bind 产业链 <链>`, `/bind 项目中心 <单位>`, `/bind 召集人 <单位>`. An admin binds a group
 * only to a scope inside their remit, and rebinds only a group whose current binding is inside it (domain/remit
 * mayBind); a project-centre binding names its unit (a centre or a government). Each binding is audited with what
 * it replaced.
 */
export async function bindGroup(
  deps: Deps,
  asked: Asked,
  actor: Person | undefined,
  req: { kind: NonNullable<Binding['bindingKind']> | undefined; target: string },
): Promise<Answer> {
  const refused = refusal(asked, actor);
  if (refused) return refused;
  const admin = actor!;
  if (!req.kind) return say(asked, t('status.bind.usage'));
  const dir = await loadDirectory(deps.db);
  const rules = await loadRules(deps.db);
  const { remit } = await loadRemit(deps.db, admin, deps.calendar.today(deps.clock.now()));
  const own = governmentUnitOf(admin, dir)?.name ?? t('common.none');
  const target = req.target.trim();
  let unitId: number | null = null;
  let chainId: number | null = null;
  let scope: BindingScope;
  let unitName: string | null = null;

  if (req.kind === 'chain') {
    const chain = chainFor(dir, admin, remit, target);
    if (!chain) return say(asked, target ? t('status.bind.chain_not_found', { name: target }) : t('status.bind.usage'));
    chainId = chain.id;
    scope = { kind: 'chain', chain: chainNode(chain) };
  } else if (req.kind === 'centre' && target === '') {
    return say(asked, t('status.bind.centre_needs_unit'));
  } else {
    const unit = resolveUnit(dir, target);
    if (!unit) return say(asked, target ? t('status.bind.unit_not_found', { name: target }) : t('status.bind.usage'));
    if (req.kind === 'centre' && unit.kind !== 'centre' && !(GOVERNMENT_KINDS as readonly string[]).includes(unit.kind)) {
      return say(asked, t('status.bind.centre_unit_kind', { unit: unit.name }));
    }
    // A centre stands for the government it hangs under (its list is that government's signed projects ≥1亿).
    const bound = unit.kind === 'centre' && unit.parentId !== null ? (dir.unitById.get(unit.parentId) ?? unit) : unit;
    unitId = bound.id;
    unitName = unit.name;
    scope = { kind: req.kind, unitPath: bound.path };
  }
  const current = await groupByChatId(deps.db, asked.chatId);
  const verdict = mayBind(remit, scope, current ? scopeOf(current, dir) : null, dir.unitById);
  const no = bindRefusal(verdict, asked, unitName, own);
  if (no) return no;

  const now = deps.clock.now();
  const after: Binding = { bindingKind: req.kind, unitId, chainId };
  const { text, enqueued } = await deps.db.transaction(async (tx) => {
    const before = await setBinding(tx, asked.chatId, after, admin.id, now);
    await audit(tx, {
      at: now,
      actorId: admin.id,
      action: 'group.bind',
      entity: 'chat_group',
      entityId: asked.chatId,
      before: before ? bindingOf(before) : null,
      after,
    });
    const binding = describe(after, dir, rules.centreListFen);
    const was = before?.bindingKind ? describe(before, dir, rules.centreListFen) : null;
    const text = was && was !== binding ? t('status.bind.rebound', { binding, was }) : t('status.bind.done', { binding });
    return { text, enqueued: await enqueueAll(tx, [reply(asked, { msgType: 'text', text })]) };
  });
  deps.logger.info({ chatId: asked.chatId, by: admin.id, binding: after, text }, 'group bound');
  return { enqueued };
}

/** `/unbind`: the group loses its scope (and its summaries) until bound again; only a binding inside the remit. */
export async function unbindGroup(deps: Deps, asked: Asked, actor: Person | undefined): Promise<Answer> {
  const refused = refusal(asked, actor);
  if (refused) return refused;
  const admin = actor!;
  const dir = await loadDirectory(deps.db);
  const rules = await loadRules(deps.db);
  const { remit } = await loadRemit(deps.db, admin, deps.calendar.today(deps.clock.now()));
  const current = await groupByChatId(deps.db, asked.chatId);
  const currentScope = current ? scopeOf(current, dir) : null;
  if (currentScope && !scopeInside(remit, currentScope, dir)) return say(asked, t('status.bind.current_outside'));
  const now = deps.clock.now();
  const enqueued = await deps.db.transaction(async (tx) => {
    const before = await clearBinding(tx, asked.chatId, admin.id, now);
    if (!before) return enqueueAll(tx, say(asked, t('status.unbind.not_bound')));
    await audit(tx, {
      at: now,
      actorId: admin.id,
      action: 'group.unbind',
      entity: 'chat_group',
      entityId: asked.chatId,
      before: bindingOf(before),
      after: null,
    });
    return enqueueAll(tx, say(asked, t('status.unbind.done', { was: describe(before, dir, rules.centreListFen) })));
  });
  return { enqueued };
}
