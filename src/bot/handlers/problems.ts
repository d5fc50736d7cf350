import { closeProblemOf, externalOrgsCommand, listProblems, recordEvaluationOf, setTeamLeadOf } from '../../admin/problems.js';
import { say } from '../../admin/answer.js';
import { t } from '../../text.js';
import type { CommandHandler } from './types.js';

/** `问题` lists the open problems my unit must act on; `问题 办结 <编号> <处理情况>` closes one (001 三.六). */
export const problems: CommandHandler<'problems'> = async (deps, { msg, person, cmd }) => {
  if (!person) return;
  const [verb = '', id = '', ...rest] = cmd.args.split(' ').filter(Boolean);
  if (!verb) return listProblems(deps, msg, person);
  if (!/^(办结|关闭|解决|close)$/i.test(verb) || !id || rest.length === 0) return say(msg, t('problems.usage'));
  return closeProblemOf(deps, msg, person, id, rest.join(' '));
};

/** `外部单位` lists; `外部单位 添加 …` (admins) adds an external organisation to their government. */
export const orgs: CommandHandler<'orgs'> = async (deps, { msg, person, cmd }) =>
  person ? externalOrgsCommand(deps, msg, person, cmd.args) : undefined;

/** `专班 <项目> <负责人>`: the service team lead, set by a lead of the first-talk unit. */
export const team: CommandHandler<'team'> = async (deps, { msg, person, cmd }) =>
  person ? setTeamLeadOf(deps, msg, person, cmd.args) : undefined;

/** `评估 <项目> <日期> <结论> [说明]`: the evaluation before signing (001 三.四). */
export const evaluate: CommandHandler<'evaluate'> = async (deps, { msg, person, cmd }) =>
  person ? recordEvaluationOf(deps, msg, person, cmd.args) : undefined;
