import { eq } from 'drizzle-orm';
import { auditLog, chatGroups } from '../../../db/schema.js';
import { groupByChatId, type ChatGroup, type Person } from '../../store/directory.js';
import { loadRules } from '../../store/rules.js';
import { resolveChain, resolveUnit } from '../../status/names.js';
import { governmentUnitOf, loadDirectory, scopeOfGroup, type Directory } from '../../status/scope.js';
import { t } from '../../text.js';
import type { CommandHandler, Message } from './types.js';
import { type Deps } from '../../context.js';
import { replyTo } from '../../store/messages.js';

async function say(deps: Deps, msg: Message, text: string): Promise<void> {
  await deps.db.transaction((tx) => replyTo(tx, msg, { msgType: 'text', text }, `reply:${msg.messageId}`));
  deps.notifyOutbox();
}

/** Binding and unbinding are the mechanism office's: admins only, in the group itself. */
async function refuse(deps: Deps, msg: Message, person: Person | undefined): Promise<boolean> {
  if (msg.chatType !== 'group') {
    await say(deps, msg, t('status.bind.group_only'));
    return true;
  }
  if (!person || !person.roles.includes('admin')) {
    await say(deps, msg, t('status.bind.admin_only'));
    return true;
  }
  return false;
}

function describe(g: Pick<ChatGroup, 'bindingKind' | 'unitId' | 'chainId'>, dir: Directory, centreMinFen: number): string {
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

/**
 * `/bind 单位 <单位>`, `/bind 产业链 <链>`, `/bind 项目中心 [单位]`, `/bind 召集人 <单位>`. An admin may bind a group
 * to a unit inside their own government's subtree (any chain); each binding is audited with what it replaced.
 */
export const bind: CommandHandler<'bind'> = async (deps, { msg, person, cmd }) => {
  if (await refuse(deps, msg, person)) return;
  if (!cmd.kind) {
    await say(deps, msg, t('status.bind.usage'));
    return;
  }
  const dir = await loadDirectory(deps.db);
  const rules = await loadRules(deps.db);
  const target = cmd.target.trim();
  let unitId: number | null = null;
  let chainId: number | null = null;

  if (cmd.kind === 'chain') {
    const chain = resolveChain(dir, target);
    if (!chain) {
      await say(deps, msg, target ? t('status.bind.chain_not_found', { name: target }) : t('status.bind.usage'));
      return;
    }
    chainId = chain.id;
  } else if (cmd.kind === 'unit' || cmd.kind === 'convenor' || target !== '') {
    const unit = resolveUnit(dir, target);
    if (!unit) {
      await say(deps, msg, target ? t('status.bind.unit_not_found', { name: target }) : t('status.bind.usage'));
      return;
    }
    const own = governmentUnitOf(person!, dir);
    if (!own || !unit.path.startsWith(own.path)) {
      await say(deps, msg, t('status.bind.outside_admin_scope', { unit: unit.name, own: own?.name ?? t('common.none') }));
      return;
    }
    unitId = unit.id;
  }

  const now = deps.clock.now();
  const after = { bindingKind: cmd.kind, unitId, chainId };
  const text = await deps.db.transaction(async (tx) => {
    const before = await groupByChatId(tx, msg.chatId);
    if (before) {
      await tx
        .update(chatGroups)
        .set({ ...after, boundBy: person!.id, boundAt: now })
        .where(eq(chatGroups.id, before.id));
    } else {
      await tx.insert(chatGroups).values({ chatId: msg.chatId, ...after, boundBy: person!.id, boundAt: now });
    }
    await tx.insert(auditLog).values({
      at: now,
      actorId: person!.id,
      action: 'group.bind',
      entity: 'chat_group',
      entityId: msg.chatId,
      before: before ? { bindingKind: before.bindingKind, unitId: before.unitId, chainId: before.chainId } : null,
      after,
    });
    const now_ = describe(after, dir, rules.centreListFen);
    const was = before?.bindingKind ? describe(before, dir, rules.centreListFen) : null;
    const reply = was && was !== now_ ? t('status.bind.rebound', { binding: now_, was }) : t('status.bind.done', { binding: now_ });
    await replyTo(tx, msg, { msgType: 'text', text: reply }, `reply:${msg.messageId}`);
    return reply;
  });
  deps.logger.info({ chatId: msg.chatId, by: person!.id, binding: after, text }, 'group bound');
  deps.notifyOutbox();
};

/** `/unbind`: the group loses its scope (and its summaries) until bound again. */
export const unbind: CommandHandler<'unbind'> = async (deps, { msg, person }) => {
  if (await refuse(deps, msg, person)) return;
  const dir = await loadDirectory(deps.db);
  const rules = await loadRules(deps.db);
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const before = await groupByChatId(tx, msg.chatId);
    if (!before?.bindingKind) {
      await replyTo(tx, msg, { msgType: 'text', text: t('status.unbind.not_bound') }, `reply:${msg.messageId}`);
      return;
    }
    await tx
      .update(chatGroups)
      .set({ bindingKind: null, unitId: null, chainId: null, boundBy: person!.id, boundAt: now })
      .where(eq(chatGroups.id, before.id));
    await tx.insert(auditLog).values({
      at: now,
      actorId: person!.id,
      action: 'group.unbind',
      entity: 'chat_group',
      entityId: msg.chatId,
      before: { bindingKind: before.bindingKind, unitId: before.unitId, chainId: before.chainId },
      after: null,
    });
    const text = t('status.unbind.done', { was: describe(before, dir, rules.centreListFen) });
    await replyTo(tx, msg, { msgType: 'text', text }, `reply:${msg.messageId}`);
  });
  deps.notifyOutbox();
};
