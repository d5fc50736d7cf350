import { answerStatus, type Answer } from '../../status/answer.js';
import { formsFromSentence } from '../../report/sentence.js';
import { t } from '../../text.js';
import type { CommandHandler, Message } from './types.js';
import { type Deps } from '../../context.js';
import { reply, type Outgoing } from '../../store/messages.js';

function answer(msg: Message, a: Answer): Outgoing[] {
  return [reply(msg, a.kind === 'card' ? { msgType: 'interactive', card: a.card } : { msgType: 'text', text: a.text })];
}

function context(deps: Deps, msg: Message, person: NonNullable<Parameters<CommandHandler>[1]['person']>) {
  return {
    db: deps.db,
    calendar: deps.calendar,
    today: deps.calendar.today(deps.clock.now()),
    chatType: msg.chatType,
    chatId: msg.chatId,
    person,
  };
}

/** `/status`, `进展`, `/status 东丰县`, `/status 新能源`, `/status <项目>`: in the asking group's (or person's) scope. */
export const status: CommandHandler<'status'> = async (deps, { msg, person, cmd }) => {
  if (!person) return;
  const a = await answerStatus(context(deps, msg, person), cmd.target, 'command');
  return answer(msg, a ?? { kind: 'text', text: t('status.not_found', { text: cmd.target.slice(0, 40) }) });
};

/**
 * Plain words (`新能源链这个月怎么样`, `东丰县有哪些项目逾期`, `到位资金`): the deterministic matcher; anything it
 * cannot read gets the usual "not understood". File messages are the ledger import's, not ours.
 */
export const query: CommandHandler<'query'> = async (deps, { msg, person, cmd }) => {
  if (msg.messageType === 'file') return;
  if (!person) return;
  // A sentence of progress on one's own project (issue 19) opens its report form, pre-filled; nothing is written.
  const forms = await formsFromSentence(deps, person, { messageId: msg.messageId, chatId: msg.chatId }, msg.text);
  if (forms) return forms;
  const shown = cmd.text.slice(0, 40);
  // A mistyped command word (`填保 梅花鹿`): the command meant, with what followed it, rather than a guess at the
  // rest as a question (issue 17).
  if (cmd.suggest) {
    const head = cmd.text.split(/[ :]/)[0] ?? '';
    const word = (cmd.suggest + cmd.text.slice(head.length).replace(/^:/, ' ')).slice(0, 40);
    return answer(msg, { kind: 'text', text: t('bot.did_you_mean', { text: shown, word }) });
  }
  const a = await answerStatus(context(deps, msg, person), cmd.text, 'words');
  return answer(msg, a ?? { kind: 'text', text: t('bot.not_understood', { text: shown }) });
};

/** `你好`, `谢谢`, `收到，辛苦了`: a short answer with the way in, never "not understood". */
export const greeting: CommandHandler<'greeting'> = async (_deps, { msg, cmd }) => [
  reply(msg, { msgType: 'text', text: t(cmd.kind === 'thanks' ? 'bot.thanks' : 'bot.hello') }),
];
