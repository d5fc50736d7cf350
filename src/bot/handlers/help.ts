import { card, button, md } from '../../lark/cards.js';
import { t } from '../../text.js';
import type { ActionHandler, CommandHandler } from './types.js';
import { replyTo } from '../../store/messages.js';

export const help: CommandHandler<'help'> = async (deps, { msg }) => {
  const c = card({
    title: t('bot.help_title'),
    elements: [md(t('bot.help', { deadline_day: deps.calendar.deadlineDay }))],
  });
  await deps.db.transaction((tx) => replyTo(tx, msg, { msgType: 'interactive', card: c }, `reply:${msg.messageId}`));
  deps.notifyOutbox();
};

export function demoCard(count: number, last?: { name: string; time: string }) {
  return card({
    title: t('bot.demo_title'),
    template: count > 0 ? 'green' : 'blue',
    elements: [
      md(count > 0 && last ? t('bot.demo_clicked', { count, name: last.name, time: last.time }) : t('bot.demo_body')),
      button(t('bot.demo_button'), { a: 'demo_click', count }, { type: 'primary' }),
    ],
  });
}

/** Proves the loop end to end: a card whose button updates the card in place. */
export const demo: CommandHandler<'demo'> = async (deps, { msg }) => {
  await deps.db.transaction((tx) => replyTo(tx, msg, { msgType: 'interactive', card: demoCard(0) }, `reply:${msg.messageId}`));
  deps.notifyOutbox();
};

export const demoClick: ActionHandler = async (deps, { action, person }) => {
  const count = Number(action.value.count ?? 0) + 1;
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
