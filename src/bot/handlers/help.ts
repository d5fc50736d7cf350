import { ACTIONS } from '../../actions.js';
import { card, button, md } from '../../lark/cards.js';
import { t } from '../../text.js';
import type { ActionHandler, CommandHandler } from './types.js';
import { reply } from '../../store/messages.js';

export const help: CommandHandler<'help'> = async (deps, { msg }) => {
  const c = card({
    title: t('bot.help_title'),
    elements: [md(t('bot.help', { deadline_day: deps.calendar.deadlineDay })), md(t('problems.help'))],
  });
  return [reply(msg, { msgType: 'interactive', card: c })];
};

export function demoCard(count: number, last?: { name: string; time: string }) {
  return card({
    title: t('bot.demo_title'),
    template: count > 0 ? 'green' : 'blue',
    elements: [
      md(count > 0 && last ? t('bot.demo_clicked', { count, name: last.name, time: last.time }) : t('bot.demo_body')),
      button(t('bot.demo_button'), { a: ACTIONS.demoClick, count }, { type: 'primary' }),
    ],
  });
}

/** Proves the loop end to end: a card whose button updates the card in place. */
export const demo: CommandHandler<'demo'> = async (_deps, { msg }) => [reply(msg, { msgType: 'interactive', card: demoCard(0) })];

export const demoClick: ActionHandler = async (deps, { action, person }) => {
  // A card value is input: anything but a small count starts again from zero.
  const was = Number(action.value.count ?? 0);
  const count = (Number.isSafeInteger(was) && was >= 0 && was < 1_000_000 ? was : 0) + 1;
  const time = new Intl.DateTimeFormat('zh-CN', {
    timeZone: deps.calendar.timeZone,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  }).format(deps.clock.now());
  return {
    toast: { type: 'success', content: t('bot.demo_toast') },
    card: { type: 'raw', data: demoCard(count, { name: person?.name ?? action.operatorOpenId, time }) },
  };
};
