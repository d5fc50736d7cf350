/*
 * Report in one sentence (issue 19): "风电装备项目本月完成土地摘牌，投资方到位资金3000万，下月办理施工许可，用电增容需要
 * 市供电公司协调" becomes that project's report form, pre-filled; the officer confirms or corrects it and submits.
 * Nothing is written here: the form's submit is the ordinary report path, with all its checks.
 *
 * The sentence must name a project the sender may report on (the owner side or the first-talk side, as 填报);
 * one the sender may only read is answered as 填报 would answer it; anything else is left to the status matcher.
 */
import { amountInput } from '../words.js';
import { projectAccess, type ProjectAccess } from '../domain/permissions.js';
import { allowedTargets } from '../domain/stages.js';
import type { Card } from '../lark/cards.js';
import type { Person } from '../store/directory.js';
import { reply, type Outgoing } from '../store/messages.js';
import { projectById, type Project } from '../store/projects.js';
import { loadRemit, projectPlaces } from '../store/remit.js';
import { projectsNamedIn } from '../store/status-lookup.js';
import { fold } from '../domain/text.js';
import { t } from '../text.js';
import type { Deps } from '../context.js';
import { reportFormCard } from './cards.js';
import { deterministicExtractor } from './extract/index.js';
import type { ProjectExtraction, SubstantiveKind } from './extract/types.js';
import { unitNamed, type FormValues } from './form.js';
import { orgsOf } from '../store/problems.js';

/** How many forms one message may open. */
const MAX_FORMS = 5;

/** A question, not a report: it goes to the status matcher (`风电项目现在什么情况`, `签了吗`). */
const QUESTION = /[?？]|吗$|呢$|怎么样|怎样|如何|什么情况|啥情况|什么原因|为什么|为啥|多少|几个|哪些|有没有|谁/;
/** Words that say something happened or will: a sentence without any extracted field still reads as progress. */
const PROGRESS_WORDS =
  /完成|已经|已|正在|推进|对接|洽谈|签|到位|到账|办理|开工|考察|协调|计划|下一步|下月|拟|准备|启动|进场|摘牌|批复|备案/;

/** The form's one substantive-progress choice, most telling first. */
const SUBSTANTIVE_ORDER: readonly SubstantiveKind[] = ['agreement', 'land_milestone', 'approval_milestone', 'decision_maker_visit'];

function valuesOf(pe: ProjectExtraction, project: Project, sentence: string, orgNamed: (name: string) => string | undefined): FormValues {
  const v: FormValues = { progress: sentence.slice(0, 1000) };
  const kind = SUBSTANTIVE_ORDER.find((k) => pe.substantive.includes(k));
  if (kind) v.substantive = kind;
  const fund = pe.funds[0];
  if (fund) {
    v.fund_amount = amountInput(fund.fen);
    if (fund.date) v.fund_date = fund.date;
  }
  if (pe.stageTo && pe.stageTo !== project.stage && allowedTargets(project.stage).includes(pe.stageTo)) v.stage = pe.stageTo;
  const problem = pe.problems[0];
  if (problem) {
    v.problem_category = problem.category;
    // The party stays in the text: the form's unit field takes units of the directory, which an outside party
    // (a power company, a bank) is not; the officer picks the unit when there is one.
    v.problem_text = problem.mustAct && !problem.text.includes(problem.mustAct) ? `${problem.text}（${problem.mustAct}）` : problem.text;
    // An outside party kept as an external organisation of the project's line (“需要市供电公司协调”) is named in the
    // unit field; the submit resolves it again, within the project's line.
    const org = problem.mustAct ? orgNamed(problem.mustAct) : undefined;
    if (org) v.problem_unit = org;
  }
  if (pe.nextStep) {
    v.next_step = pe.nextStep.text.slice(0, 1000);
    if (pe.nextStep.due) v.next_step_due = pe.nextStep.due;
  }
  return v;
}

function hasFields(pe: ProjectExtraction): boolean {
  return pe.substantive.length > 0 || pe.funds.length > 0 || !!pe.stageTo || pe.problems.length > 0 || !!pe.nextStep;
}

/**
 * The pre-filled forms a progress sentence asks for, or null when the sentence is not a report on a project the
 * sender can see (the caller then reads it as a question).
 */
export async function formsFromSentence(
  deps: Deps,
  actor: Person,
  msg: { messageId: string; chatId?: string },
  sentence: string,
): Promise<Outgoing[] | null> {
  const textIn = sentence.trim();
  if (textIn.length < 6 || QUESTION.test(textIn)) return null;
  const candidates = await projectsNamedIn(deps.db, fold(textIn), 50);
  if (candidates.length === 0) return null;
  const today = deps.calendar.today(deps.clock.now());
  const { remit } = await loadRemit(deps.db, actor, today);
  const places = await projectPlaces(
    deps.db,
    candidates.map((c) => c.id),
  );
  const access = new Map<number, ProjectAccess>(candidates.map((c) => [c.id, projectAccess(remit, places.get(c.id))]));
  // Only what the sender may see can be named; among those, the extractor decides which the sentence names.
  const visible = candidates.filter((c) => access.get(c.id) !== 'none');
  if (visible.length === 0) return null;
  const extractor = deps.extractor ?? deterministicExtractor;
  const extraction = await extractor.extract(textIn, { today, projects: visible.map((c) => c.name) });
  const named = extraction.projects.filter((pe) => hasFields(pe) || PROGRESS_WORDS.test(textIn));
  if (named.length === 0) return null;
  const period = deps.calendar.periodOf(deps.clock.now());
  const deadline = deps.calendar.deadline(period);
  const out: Outgoing[] = [];
  const notYours: string[] = [];
  for (const [i, pe] of named.slice(0, MAX_FORMS).entries()) {
    const c = visible.find((x) => x.name === pe.project);
    if (!c) continue;
    if (access.get(c.id) !== 'change') {
      notYours.push(c.name);
      continue;
    }
    const project = await projectById(deps.db, c.id);
    if (!project) continue;
    const place = places.get(c.id);
    const line = (place?.firstTalkPath ?? place?.hostPath ?? '').split('/').filter(Boolean).map(Number);
    const orgs = pe.problems[0]?.mustAct ? await orgsOf(deps.db, line) : [];
    // Nearest government first: a county's own 供电公司 before the city's of the same name.
    orgs.sort((a, b) => line.indexOf(b.governmentUnitId) - line.indexOf(a.governmentUnitId));
    const orgNamed = (name: string) => {
      const id = unitNamed(
        orgs.map((o) => ({ id: o.id, name: o.name, code: '' })),
        name,
      );
      return orgs.find((o) => o.id === id)?.name;
    };
    const card: Card = reportFormCard({
      project,
      period,
      deadline,
      values: valuesOf(pe, project, textIn, orgNamed),
      ids: [project.id],
      notice: t('report.sentence_notice'),
    });
    out.push(reply(msg, { msgType: 'interactive', card }, `reply:${msg.messageId}:${i}`));
  }
  for (const name of notYours)
    out.push(reply(msg, { msgType: 'text', text: t('report.not_yours', { name }) }, `reply:${msg.messageId}:ny:${name}`));
  return out.length > 0 ? out : null;
}
