import { and, asc, eq, ilike, or, sql } from 'drizzle-orm';
import { auditLog, performanceLetters, projects, units } from '../../../db/schema.js';
import { card, md, note } from '../../lark/cards.js';
import type { Person } from '../../store/directory.js';
import { t } from '../../text.js';
import type { CommandHandler, Message } from './types.js';
import { dateLabel } from '../../words.js';
import { type Deps } from '../../context.js';
import { replyTo, type Content } from '../../store/messages.js';

/*
 * 履约提醒函 are issued by the `letters` job and tracked open → closed here: `/letter` lists the open ones a
 * person may handle; `/letter 关闭 <项目> <落实情况>` closes one, with what was done, audited.
 * Who may: an admin (all), a unit or department lead (their unit's subtree), the project's owner.
 */

async function visibleCondition(deps: Deps, person: Person) {
  if (person.roles.includes('admin')) return undefined;
  const unitPath = person.unitId
    ? (await deps.db.select({ path: units.path }).from(units).where(eq(units.id, person.unitId)))[0]?.path
    : undefined;
  const lead = person.roles.includes('unit_lead') || person.roles.includes('dept_lead');
  return or(
    eq(projects.ownerId, person.id),
    lead && unitPath ? sql`${projects.hostUnitId} in (select id from units where path like ${unitPath + '%'})` : undefined,
  );
}

async function reply(deps: Deps, msg: Message, content: Content) {
  await deps.db.transaction((tx) => replyTo(tx, msg, content, `reply:${msg.messageId}`));
  deps.notifyOutbox();
}

const reasonText = (reason: string) => (reason === 'start_overdue' ? t('jobs.letter_reason.start_overdue') : reason);

export const letter: CommandHandler<'letter'> = async (deps, { msg, person, cmd }) => {
  if (!person) return;
  const visible = await visibleCondition(deps, person);
  const [verb = '', ...rest] = cmd.args.split(' ');
  if (!verb) {
    const open = await deps.db
      .select({ project: projects.name, code: projects.code, reason: performanceLetters.reason, issued: performanceLetters.issuedOn })
      .from(performanceLetters)
      .innerJoin(projects, eq(projects.id, performanceLetters.projectId))
      .where(and(eq(performanceLetters.open, true), visible))
      .orderBy(asc(performanceLetters.issuedOn));
    if (open.length === 0) return reply(deps, msg, { msgType: 'text', text: t('jobs.letter_none') });
    const c = card({
      title: t('jobs.letter_list_title', { count: open.length }),
      template: 'carmine',
      elements: [
        md(
          open
            .map((l) =>
              t('jobs.letter_list_line', { project: l.project, code: l.code, reason: reasonText(l.reason), issued: dateLabel(l.issued) }),
            )
            .join('\n'),
        ),
        note(t('jobs.letter_close_hint')),
      ],
    });
    return reply(deps, msg, { msgType: 'interactive', card: c });
  }
  if (!/^(关闭|close|closed|完成)$/i.test(verb) || rest.length < 2) {
    return reply(deps, msg, { msgType: 'text', text: t('jobs.letter_close_usage') });
  }
  const [needle, ...closureWords] = rest as [string, ...string[]];
  const closure = closureWords.join(' ').slice(0, 500);
  const today = deps.calendar.today(deps.clock.now());
  const escaped = needle.replace(/[\\%_]/g, (c) => `\\${c}`);
  const done = await deps.db.transaction(async (tx) => {
    const [hit] = await tx
      .select({ id: performanceLetters.id, project: projects.name, projectId: projects.id })
      .from(performanceLetters)
      .innerJoin(projects, eq(projects.id, performanceLetters.projectId))
      .where(
        and(
          eq(performanceLetters.open, true),
          visible,
          or(sql`lower(${projects.code}) = lower(${needle})`, ilike(projects.name, `%${escaped}%`)),
        ),
      )
      .orderBy(asc(performanceLetters.issuedOn))
      .limit(1);
    if (!hit) return null;
    await tx.update(performanceLetters).set({ open: false, closedOn: today, closure }).where(eq(performanceLetters.id, hit.id));
    await tx.insert(auditLog).values({
      actorId: person.id,
      action: 'letter.close',
      entity: 'performance_letter',
      entityId: String(hit.id),
      before: { open: true },
      after: { open: false, closedOn: today, closure },
    });
    await replyTo(tx, msg, { msgType: 'text', text: t('jobs.letter_closed', { project: hit.project, closure }) }, `reply:${msg.messageId}`);
    return hit;
  });
  if (!done) return reply(deps, msg, { msgType: 'text', text: t('jobs.letter_not_found', { text: needle }) });
  deps.notifyOutbox();
};
