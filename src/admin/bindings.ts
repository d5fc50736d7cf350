import { mayAdminister } from '../domain/permissions.js';
import { audit } from '../store/audit.js';
import { clearBinding, setBinding, type Binding } from '../store/bindings.js';
import type { ChatGroup, Person } from '../store/directory.js';
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

/**
 * `/bind 单位 <单位>`, `/bind 产业链 <链>`, `/bind 项目中心 [单位]`, `/bind 召集人 <单位>`. An admin may bind a group
 * to a unit inside their own government's subtree (any chain); each binding is audited with what it replaced.
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
  const target = req.target.trim();
  let unitId: number | null = null;
  let chainId: number | null = null;

  if (req.kind === 'chain') {
    const chain = resolveChain(dir, target);
    if (!chain) return say(asked, target ? t('status.bind.chain_not_found', { name: target }) : t('status.bind.usage'));
    chainId = chain.id;
  } else if (req.kind === 'unit' || req.kind === 'convenor' || target !== '') {
    const unit = resolveUnit(dir, target);
    if (!unit) return say(asked, target ? t('status.bind.unit_not_found', { name: target }) : t('status.bind.usage'));
    const own = governmentUnitOf(admin, dir);
    if (!own || !unit.path.startsWith(own.path)) {
      return say(asked, t('status.bind.outside_admin_scope', { unit: unit.name, own: own?.name ?? t('common.none') }));
    }
    unitId = unit.id;
  }

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

/** `/unbind`: the group loses its scope (and its summaries) until bound again. */
export async function unbindGroup(deps: Deps, asked: Asked, actor: Person | undefined): Promise<Answer> {
  const refused = refusal(asked, actor);
  if (refused) return refused;
  const admin = actor!;
  const dir = await loadDirectory(deps.db);
  const rules = await loadRules(deps.db);
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
