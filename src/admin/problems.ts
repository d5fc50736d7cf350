import { readDate } from '../domain/dates.js';
import { isAdmin, governmentOf, projectAccess, type UnitNode } from '../domain/permissions.js';
import {
  EXTERNAL_ORG_KINDS,
  mayCloseProblem,
  maySetTeamLead,
  problemForActor,
  teamLeadInPlace,
  type ExternalOrgKind,
} from '../domain/problems.js';
import { card, hr, md, note } from '../lark/cards.js';
import { audit } from '../store/audit.js';
import { allUnits, type Person } from '../store/directory.js';
import type { Tx } from '../store/db.js';
import { enqueueAll, reply, type Outgoing } from '../store/messages.js';
import {
  activePerson,
  closeProblem,
  countProblemsToAct,
  openProblemsToAct,
  orgsOf,
  peopleNamedUnder,
  problemRow,
  recordEvaluation,
  setTeamLead,
  upsertOrg,
  type ProblemRow,
} from '../store/problems.js';
import { findProjects, type Project } from '../store/projects.js';
import { loadRemit, projectPlaces, remitFilter } from '../store/remit.js';
import { scopeCondition } from '../store/status-scope.js';
import { categoryLabel } from '../status/sections.js';
import { t, tm } from '../text.js';
import type { TemplateKey } from '../../prompts/index.js';
import { dateLabel } from '../words.js';
import type { Deps } from '../context.js';
import { say, type Answer, type Asked } from './answer.js';

/*
 * Problems (困难问题) in chat, 001 三.六 "落实专人负责、全程领办协办、限时推进": `问题` lists the open problems the
 * person's unit must act on (their own unit's, and for a lead or admin those of the units and external
 * organisations inside their remit), due first; `问题 办结 <编号> <处理情况>` closes one with what was done — by
 * someone of the unit that must act, or whoever may change the project (its owner side, the first-talk side) —
 * and the owner is told. A problem the person may not close does not exist for them.
 *
 * Also here: external organisations (外部单位, added by an admin to their own government), the service team lead
 * (包保专班, set by a lead of the first-talk unit) and the evaluation before signing (001 三.四 事前综合评估).
 */

const KIND_WORDS: Record<string, ExternalOrgKind> = {
  供电: 'power',
  电力: 'power',
  供水: 'water',
  水务: 'water',
  燃气: 'gas',
  银行: 'bank',
  金融: 'bank',
  国企: 'soe',
  国有企业: 'soe',
  其他: 'other',
};

export const orgKindLabel = (k: string) =>
  t(`problems.org_kind.${(EXTERNAL_ORG_KINDS as readonly string[]).includes(k) ? k : 'other'}` as TemplateKey);

/** Who must act, as a problem shows it: the unit, else the external organisation with its contact. */
export function partyText(p: Pick<ProblemRow, 'mustActUnitName' | 'orgName' | 'orgContact'>): string {
  if (p.mustActUnitName) return p.mustActUnitName;
  if (p.orgName) return t('problems.party_org', { name: p.orgName, contact: p.orgContact ?? t('common.none') });
  return t('problems.party_none');
}

const today = (deps: Deps) => deps.calendar.today(deps.clock.now());

/** Problems one card lists; the rest are counted. */
const LIST_LIMIT = 15;

/** `问题`: the open problems the person's unit must act on, in one card. */
export async function listProblems(deps: Deps, asked: Asked, person: Person): Promise<Answer> {
  const day = today(deps);
  const { remit } = await loadRemit(deps.db, person, day);
  const where = { unitId: person.unitId, subtrees: remit.subtrees };
  const [read, counts] = await Promise.all([openProblemsToAct(deps.db, where), countProblemsToAct(deps.db, where, day)]);
  const rows = read.filter(
    (r) =>
      // The store's filter, asked again of the rule: addressed to the person's unit, or inside their remit.
      problemForActor(remit, person.unitId, r.mustActUnitId !== null ? { id: r.mustActUnitId, path: r.mustActUnitPath ?? '' } : null) ||
      r.orgGovernmentId !== null,
  );
  if (rows.length === 0) return say(asked, t('problems.none'));
  // Due first; the first LIST_LIMIT, one paragraph each, and how many more (issue 17: a long card with no count).
  // The counts are of all of them, not only of the rows read (a busy office has more than OPEN_PROBLEMS_READ).
  const shown = rows.slice(0, LIST_LIMIT);
  const total = Math.max(counts.total, rows.length);
  const overdue = Math.max(counts.overdue, rows.filter((r) => r.dueOn && r.dueOn < day).length);
  const intro = { count: total, example: shown[0]!.id };
  const c = card({
    title: t('problems.list_title', { count: total }),
    template: overdue > 0 ? 'orange' : 'wathet',
    elements: [
      md(overdue > 0 ? t('problems.list_intro', { ...intro, overdue }) : t('problems.list_intro_none_overdue', intro)),
      hr(),
      md(
        shown
          .map((r) =>
            t('problems.list_item', {
              id: r.id,
              project: r.project,
              code: r.code,
              category: categoryLabel(r.category),
              text: r.description,
              party: partyText(r),
              due: r.dueOn ? dateLabel(r.dueOn) : t('common.none'),
              overdue: r.dueOn && r.dueOn < day ? tm('problems.overdue_mark') : '',
            }),
          )
          .join('\n\n'),
      ),
      ...(total > shown.length ? [note(t('problems.list_more', { count: total - shown.length }))] : []),
    ],
  });
  return [reply(asked, { msgType: 'interactive', card: c })];
}

/** `问题 办结 <编号> <处理情况>`: closes one open problem with what was done; the owner (and team lead) is told. */
export async function closeProblemOf(deps: Deps, asked: Asked, person: Person, idText: string, resolutionText: string): Promise<Answer> {
  const id = /^#?(\d{1,9})$/.exec(idText.trim())?.[1];
  const resolution = resolutionText.trim().slice(0, 500);
  if (!id || !resolution) return say(asked, t('problems.usage'));
  const now = deps.clock.now();
  const day = deps.calendar.today(now);
  const row = await problemRow(deps.db, Number(id));
  const notFound = say(asked, t('problems.not_found', { id: idText }));
  if (!row || !row.open) return notFound;
  const { remit } = await loadRemit(deps.db, person, day);
  const place = (await projectPlaces(deps.db, [row.projectId])).get(row.projectId);
  if (!mayCloseProblem(person, row, projectAccess(remit, place))) return notFound;
  const enqueued = await deps.db.transaction(async (tx) => {
    if (!(await closeProblem(tx, row.id, { on: day, resolution, byId: person.id }))) return null;
    await audit(tx, {
      at: now,
      actorId: person.id,
      action: 'problem.close',
      entity: 'problem',
      entityId: row.id,
      before: { open: true },
      after: { open: false, resolvedOn: day, resolution },
    });
    const told = await tellOwnerSide(tx, row, person, resolution);
    return enqueueAll(tx, [...say(asked, t('problems.closed', { id: row.id, project: row.project, resolution })), ...told]);
  });
  if (enqueued === null) return notFound;
  return { enqueued };
}

async function tellOwnerSide(tx: Tx, row: ProblemRow, by: Person, resolution: string) {
  const ids = [row.ownerId, row.teamLeadId].filter((x): x is number => x !== null && x !== by.id);
  const out: Outgoing[] = [];
  for (const pid of new Set(ids)) {
    const p = await activePerson(tx, pid);
    if (!p?.openId) continue;
    out.push({
      to: 'user',
      openId: p.openId,
      content: {
        msgType: 'text',
        text: t('problems.closed_owner', {
          project: row.project,
          code: row.code,
          category: categoryLabel(row.category),
          text: row.description,
          who: by.name,
          resolution,
        }),
      },
      key: `problem:${row.id}:closed:${p.id}`,
    });
  }
  return out;
}

// --- external organisations --------------------------------------------------------------------------------------

/** The governments on a unit's line (its own government and those above it), nearest first. */
function governmentsOnLine(unitId: number | null, nodes: ReadonlyMap<number, UnitNode>): UnitNode[] {
  const unit = unitId !== null ? nodes.get(unitId) : undefined;
  if (!unit) return [];
  const out: UnitNode[] = [];
  for (const id of unit.path.split('/').filter(Boolean).map(Number).reverse()) {
    const u = nodes.get(id);
    if (u && governmentOf(u, nodes)?.id === u.id) out.push(u);
  }
  return out;
}

/**
 * `外部单位`: the organisations of the person's government line; `外部单位 添加 <名称> <类别> <联系人> [飞书ID]`: an
 * admin adds one to their own government (or updates the one of that name there).
 */
export async function externalOrgsCommand(deps: Deps, asked: Asked, person: Person, args: string): Promise<Answer> {
  const units = await allUnits(deps.db);
  const nodes = new Map<number, UnitNode>(units.map((u) => [u.id, { id: u.id, kind: u.kind, path: u.path }]));
  const names = new Map(units.map((u) => [u.id, u.name]));
  const line = governmentsOnLine(person.unitId, nodes);
  const [verb = '', ...rest] = args.split(' ').filter(Boolean);
  if (!verb) {
    const orgs = await orgsOf(
      deps.db,
      line.map((g) => g.id),
    );
    if (orgs.length === 0) return say(asked, t('problems.org_none'));
    const c = card({
      title: t('problems.org_list_title', { count: orgs.length }),
      elements: [
        md(
          orgs
            .map((o) =>
              t('problems.org_line', {
                name: o.name,
                kind: orgKindLabel(o.kind),
                contact: o.contactName ?? t('common.none'),
                government: names.get(o.governmentUnitId) ?? '',
              }),
            )
            .join('\n'),
        ),
      ],
    });
    return [reply(asked, { msgType: 'interactive', card: c })];
  }
  if (!/^(添加|新增|登记|add)$/i.test(verb) || rest.length < 3) return say(asked, t('problems.org_usage'));
  if (!isAdmin(person) || !line[0]) return say(asked, t('problems.org_not_admin'));
  const [name, kindWord, contact, openId] = rest as [string, string, string, string | undefined];
  if ([...name].length < 2 || [...name].length > 50) return say(asked, t('problems.org_bad_name'));
  const kind =
    KIND_WORDS[kindWord] ?? ((EXTERNAL_ORG_KINDS as readonly string[]).includes(kindWord) ? (kindWord as ExternalOrgKind) : null);
  if (!kind) return say(asked, t('problems.org_bad_kind', { input: kindWord }));
  // An open_id is an id, not text: kept only when it looks like one.
  const contactOpenId = openId && /^ou_[A-Za-z0-9_-]{1,64}$/.test(openId) ? openId : null;
  const government = line[0];
  const now = deps.clock.now();
  const enqueued = await deps.db.transaction(async (tx) => {
    const { org, created } = await upsertOrg(tx, {
      name,
      kind,
      contactName: contact.slice(0, 50),
      contactOpenId,
      governmentUnitId: government.id,
    });
    await audit(tx, {
      at: now,
      actorId: person.id,
      action: created ? 'external_org.create' : 'external_org.update',
      entity: 'external_org',
      entityId: org.id,
      before: null,
      after: { name, kind, contactName: org.contactName, governmentUnitId: government.id },
    });
    return enqueueAll(
      tx,
      say(
        asked,
        t('problems.org_saved', {
          verb: t(created ? 'problems.org_verb_add' : 'problems.org_verb_update'),
          name,
          kind: orgKindLabel(kind),
          contact: org.contactName ?? t('common.none'),
          government: names.get(government.id) ?? '',
        }),
      ),
    );
  });
  return { enqueued };
}

// --- one project by what was typed -------------------------------------------------------------------------------

async function oneProject(deps: Deps, person: Person, needle: string): Promise<{ project: Project; access: 'change' | 'comment' } | null> {
  const { remit } = await loadRemit(deps.db, person, today(deps));
  const found = await findProjects(deps.db, needle, { where: scopeCondition(remitFilter(remit, 'read')), limit: 2 });
  if (found.length !== 1) return null;
  const place = (await projectPlaces(deps.db, [found[0]!.id])).get(found[0]!.id);
  const access = projectAccess(remit, place);
  return access === 'none' ? null : { project: found[0]!, access };
}

/**
 * `专班 <项目> <负责人>`: a lead of the project's first-talk unit names the service team lead (包保专班负责人), a
 * person of the first-talk unit's government; they are told, and get the project's new problems and escalations.
 */
export async function setTeamLeadOf(deps: Deps, asked: Asked, person: Person, args: string): Promise<Answer> {
  const parts = args.split(' ').filter(Boolean);
  if (parts.length < 2) return say(asked, t('problems.team_usage'));
  const name = parts.pop()!;
  const hit = await oneProject(deps, person, parts.join(' '));
  if (!hit) return say(asked, t('problems.project_not_found', { text: parts.join(' ') }));
  const p = hit.project;
  if (!maySetTeamLead(person, p)) return say(asked, t('problems.team_not_lead'));
  const units = await allUnits(deps.db);
  const nodes = new Map<number, UnitNode>(units.map((u) => [u.id, { id: u.id, kind: u.kind, path: u.path }]));
  const ft = nodes.get(p.firstTalkUnitId!);
  const gov = ft && governmentOf(ft, nodes);
  const candidates = gov
    ? (await peopleNamedUnder(deps.db, name, gov.path)).filter((c) => teamLeadInPlace(nodes.get(c.unitId ?? -1), ft, nodes))
    : [];
  if (candidates.length !== 1) return say(asked, t('problems.team_no_person', { name }));
  const lead = candidates[0]!;
  const now = deps.clock.now();
  const enqueued = await deps.db.transaction(async (tx) => {
    await setTeamLead(tx, p.id, lead.id, now);
    await audit(tx, {
      at: now,
      actorId: person.id,
      action: 'project.team_lead',
      entity: 'project',
      entityId: p.id,
      before: { teamLeadId: p.teamLeadId },
      after: { teamLeadId: lead.id },
    });
    const told: Outgoing[] = lead.openId
      ? [
          {
            to: 'user',
            openId: lead.openId,
            content: { msgType: 'text', text: t('problems.team_told', { project: p.name, code: p.code }) },
            key: `team-lead:${p.id}:${lead.id}:${asked.messageId}`,
          },
        ]
      : [];
    return enqueueAll(tx, [...say(asked, t('problems.team_set', { project: p.name, name: lead.name })), ...told]);
  });
  return { enqueued };
}

/**
 * `评估 <项目> <日期> <结论> [说明]`: records the project's evaluation before signing (001 三.四 "事前综合评估"), by
 * whoever may change the project; the date is read the way officers write it and may not lie ahead.
 */
export async function recordEvaluationOf(deps: Deps, asked: Asked, person: Person, args: string): Promise<Answer> {
  const parts = args.split(' ').filter(Boolean);
  const day = today(deps);
  // The date is the first word that reads as one; the project is what comes before it.
  const at = parts.findIndex((w, i) => i > 0 && readDate(w, day, 'past').ok);
  if (parts.length < 3 || at < 1 || at >= parts.length - 1) return say(asked, t('problems.eval_usage'));
  const needle = parts.slice(0, at).join(' ');
  const d = readDate(parts[at]!, day, 'past');
  if (!d.ok || d.date > day) return say(asked, t('problems.eval_bad_date', { input: parts[at]! }));
  const conclusion = parts[at + 1]!.slice(0, 100);
  const noteText =
    parts
      .slice(at + 2)
      .join(' ')
      .slice(0, 500) || null;
  const hit = await oneProject(deps, person, needle);
  if (!hit) return say(asked, t('problems.project_not_found', { text: needle }));
  if (hit.access !== 'change') return say(asked, t('report.not_yours', { name: hit.project.name }));
  const now = deps.clock.now();
  const enqueued = await deps.db.transaction(async (tx) => {
    const e = await recordEvaluation(tx, {
      projectId: hit.project.id,
      evaluatedOn: d.date,
      conclusion,
      note: noteText,
      byPersonId: person.id,
    });
    await audit(tx, {
      at: now,
      actorId: person.id,
      action: 'project.evaluation',
      entity: 'project',
      entityId: hit.project.id,
      before: null,
      after: { evaluationId: e.id, evaluatedOn: d.date, conclusion, note: noteText },
    });
    return enqueueAll(tx, say(asked, t('problems.eval_saved', { project: hit.project.name, date: dateLabel(d.date), conclusion })));
  });
  return { enqueued };
}
