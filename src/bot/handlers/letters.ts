import { answerLetterByCard, answerLetterOf, closeLetterOf, listLetters } from '../../admin/letters.js';
import { enterYearTable } from '../../admin/calendar.js';
import { t } from '../../text.js';
import { say } from '../../admin/answer.js';
import type { ActionHandler, CommandHandler } from './types.js';

/** `/letter` lists the open 履约提醒函; `/letter 关闭 <项目> <落实情况>` closes one (src/admin/letters.ts). */
export const letter: CommandHandler<'letter'> = async (deps, { msg, person, cmd }) => {
  if (!person) return;
  const [verb = '', ...rest] = cmd.args.split(' ');
  if (!verb) return listLetters(deps, msg, person);
  // `/letter 答复 <项目> <落实情况>`: the owner's answer (001 三.四), for the first-talk unit's lead to close.
  if (/^(答复|回复|answer|reply)$/i.test(verb)) {
    if (rest.length < 2) return say(msg, t('jobs.letter_answer_usage'));
    const [needle, ...answer] = rest as [string, ...string[]];
    return answerLetterOf(deps, msg, person, needle, answer.join(' '));
  }
  if (!/^(关闭|close|closed|完成)$/i.test(verb) || rest.length < 2) return say(msg, t('jobs.letter_close_usage'));
  const [needle, ...closure] = rest as [string, ...string[]];
  return closeLetterOf(deps, msg, person, needle, closure.join(' '));
};

/** `节假日 <年> 放假 … 上班 …`: an admin enters a year's holidays (src/admin/calendar.ts). */
export const holidays: CommandHandler<'holidays'> = async (deps, { msg, person, cmd }) =>
  person ? enterYearTable(deps, msg, person, cmd.args) : undefined;

/** 提交答复 on a letter card: the owner's answer (001 三.四), for the first-talk unit's lead to close. */
export const letterAnswer: ActionHandler = async (deps, { action, person, inbox }) =>
  answerLetterByCard(deps, person, action.value, action.formValue, inbox);
