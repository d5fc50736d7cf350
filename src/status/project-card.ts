// One project as the status feature shows it (`/status <项目>`), and the choice when a name fits several.

import { type CalendarDate } from '../domain/calendar.js';
import { PROGRESS_KINDS, type ProgressKind } from '../domain/progress.js';
import { regionLabel } from '../domain/regions.js';
import { card, hr, md, note, type Card, type Element } from '../lark/cards.js';
import type { Project } from '../store/projects.js';
import { t, tm } from '../text.js';
import { formatAmount, dateLabel, periodLabel, stalledText, progressKindLabel, stageLabel } from '../words.js';
import { categoryLabel, cut, lines, orNone, unitName } from './sections.js';
import type { ProjectDetail } from './view.js';

const PROGRESS_SET = new Set<string>(PROGRESS_KINDS);

/**
 * One project. With `why` (`储能电站为什么停了`) the open problems and the last reports come first, under a line
 * that says how long it has gone without substantive progress.
 */
export function projectCard(p: ProjectDetail, today: CalendarDate, opts: { why?: boolean } = {}): Card {
  const pr = p.project;
  // The facts, one a line, in one block; the contract's terms and the service team after them, when recorded.
  const facts: string[] = [
    t('status.project.facts', {
      stage: stageLabel(pr.stage),
      since: pr.stageEnteredOn ? dateLabel(pr.stageEnteredOn) : t('common.none'),
      chain: orNone(p.chainName),
      host: orNone(p.hostName),
      first_talk: orNone(p.firstTalkName),
      owner: orNone(p.ownerName),
      investor: orNone(pr.investor),
      // The region from the code list when known (浙江省杭州市), else the text as entered.
      region: orNone(pr.investorRegionCode ? regionLabel(pr.investorRegionCode) : pr.investorRegion),
      planned: pr.plannedInvestmentFen === null ? t('common.none') : formatAmount(pr.plannedInvestmentFen),
      contract: pr.contractAmountFen === null ? t('common.none') : formatAmount(pr.contractAmountFen),
      signed_on: pr.signedOn ? dateLabel(pr.signedOn) : t('common.none'),
      verified: formatAmount(p.verifiedFen),
      reported: formatAmount(p.reportedFen),
      last_progress: pr.lastProgressOn ? dateLabel(pr.lastProgressOn) : t('common.none'),
    }),
  ];
  // The contract's agreed terms (001 三.四), each only when recorded: a start date alone never reads "投资 无（无前）".
  if (pr.startPlannedOn) facts.push(t('status.project.agreed_start', { start: dateLabel(pr.startPlannedOn) }));
  if (pr.agreedInvestmentFen) {
    facts.push(
      pr.agreedInvestmentBy
        ? t('status.project.agreed_investment_by', {
            investment: formatAmount(pr.agreedInvestmentFen),
            by: dateLabel(pr.agreedInvestmentBy),
          })
        : t('status.project.agreed_investment', { investment: formatAmount(pr.agreedInvestmentFen) }),
    );
  }
  // Agreed results (未按约定达效, 001 三.四): yearly output and tax as the contract states them, when it does.
  if (pr.agreedOutputFen) facts.push(t('status.project.agreed_output', { output: formatAmount(pr.agreedOutputFen) }));
  if (pr.agreedTaxFen) facts.push(t('status.project.agreed_tax', { tax: formatAmount(pr.agreedTaxFen) }));
  // The service team lead (包保专班) and the evaluation before signing (001 三.四 事前综合评估), when there are.
  if (p.teamLeadName || p.evaluation) {
    facts.push(
      t('problems.project_team', { team: p.teamLeadName ?? t('common.none') }),
      t('problems.project_eval', {
        evaluation: p.evaluation
          ? tm('problems.project_evaluation', { date: dateLabel(p.evaluation.on), conclusion: p.evaluation.conclusion })
          : t('common.none'),
      }),
    );
  }
  const els: Element[] = [md(facts.join('\n'))];
  // 利益共享 (000 三(一)): the first-talk unit that consented to the transfer shares the project.
  if (p.sharedWith && p.sharedWith.length > 0) els.push(md(t('transfer.shared', { units: p.sharedWith.join('、') })));
  // 提级管理 (001 三.三): the mark, with the day and the level it was filed to.
  if (pr.escalatedOn) {
    els.push(md(t('status.project.escalated', { date: dateLabel(pr.escalatedOn), level: orNone(p.escalatedToName) })));
  }
  if (pr.lastProgressOn && (pr.stage === 'negotiating' || pr.stage === 'intent')) {
    const days = Math.max(0, Math.round((Date.parse(today) - Date.parse(pr.lastProgressOn)) / 86_400_000));
    els.push(note(stalledText(pr.stage, days)));
  }
  els.push(hr(), md(t('status.project.history')));
  els.push(
    ...lines(
      p.history.map((h) =>
        t('status.line.history', {
          date: dateLabel(h.on),
          from: h.from ? stageLabel(h.from) : t('status.project.created'),
          to: stageLabel(h.to),
          reason: h.reason ? t('status.project.reason', { reason: cut(h.reason, 30) }) : '',
        }),
      ),
    ),
  );
  if (p.history.length === 0) els.push(md(t('common.none')));
  els.push(hr(), md(t('status.project.reports')));
  if (p.reports.length === 0) els.push(md(t('status.project.no_reports')));
  for (const r of p.reports) {
    const kinds = r.substantive.filter((k): k is ProgressKind => PROGRESS_SET.has(k)).map(progressKindLabel);
    els.push(
      md(
        t('status.line.report', {
          period: periodLabel(r.period),
          text: r.noChange ? t('status.project.no_change') : cut(r.progress, 120) || t('common.none'),
          substantive: kinds.length > 0 ? t('status.project.substantive', { kinds: kinds.join(t('status.list_sep')) }) : '',
          late: r.late ? t('status.project.late') : '',
        }),
      ),
    );
  }
  const problemEls: Element[] = [];
  if (p.problems.length > 0) {
    problemEls.push(hr(), md(t('status.project.problems')));
    problemEls.push(
      ...lines(
        p.problems.map((x) =>
          // A problem with no unit asked to act says so, never "需未指定单位协调" (issue 17).
          x.unitName
            ? t('status.line.project_problem', {
                category: categoryLabel(x.category),
                description: cut(x.description, 60),
                unit: unitName(x.unitName),
                date: dateLabel(x.raisedOn),
              })
            : t('status.line.project_problem_no_unit', {
                category: categoryLabel(x.category),
                description: cut(x.description, 60),
                date: dateLabel(x.raisedOn),
              }),
        ),
      ),
    );
  }
  if (opts.why) {
    const since = pr.lastProgressOn ?? pr.stageEnteredOn;
    const days = since ? Math.max(0, Math.round((Date.parse(today) - Date.parse(since)) / 86_400_000)) : null;
    const lead = md(
      p.problems.length > 0
        ? t('status.project.why_problems', { count: p.problems.length, days: days ?? t('common.none') })
        : t('status.project.why_none', { days: days ?? t('common.none') }),
    );
    // The reasons first: open problems, then the rest as usual.
    els.splice(1, 0, lead, ...problemEls);
  } else {
    els.push(...problemEls);
  }
  return card({
    title: pr.name,
    subtitle: t('status.project.subtitle', { code: pr.code, stage: stageLabel(pr.stage) }),
    template: pr.stage === 'dropped' || pr.stage === 'transferred' ? 'grey' : 'blue',
    elements: els,
  });
}

export function projectChoiceCard(text: string, list: Project[]): Card {
  return card({
    title: t('status.project.choose_title'),
    template: 'wathet',
    elements: [
      md(t('status.project.choose', { text, count: list.length })),
      md(list.map((p) => t('status.line.project_choice', { name: p.name, code: p.code, stage: stageLabel(p.stage) })).join('\n')),
      note(t('status.project.choose_hint')),
    ],
  });
}
