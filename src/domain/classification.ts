// How a project is classified for the targets and the roll-ups: its type (产业项目 or not) and the channel(s)
// it came in by. Codes only; prompts/domain.ts words them.

/**
 * Project types. Seed 001 二.二 counts "签约5000万元以上产业项目"; which types are 产业项目 is a rules setting
 * (src/domain/rules.ts industrialTypes, default 工业 and 生产性服务业). 000 二 names 农业, 文化旅游 and
 * infrastructure projects beside the industrial ones.
 */
export const PROJECT_TYPES = ['industry', 'producer_services', 'agriculture', 'tourism', 'infrastructure', 'other'] as const;
export type ProjectType = (typeof PROJECT_TYPES)[number];

/** The types that count as 产业项目 by default (001 二.二). */
export const DEFAULT_INDUSTRIAL_TYPES: readonly ProjectType[] = ['industry', 'producer_services'];

export function isIndustrialType(type: ProjectType, industrialTypes: readonly ProjectType[] = DEFAULT_INDUSTRIAL_TYPES): boolean {
  return industrialTypes.includes(type);
}

/**
 * The ways projects come in (source channels), from the seeds:
 * - 000 二(四): "实施驻点招商"; 000 一(一): "省政府各驻外办事处"; 001 二.五: "域外招商引资(招才引智)工作站" →
 *   驻外办事处/招商驻点 (the office itself is kept apart as the project's origin office);
 * - 001 二.五: "加强与吉林驻外商会、外埠吉林商会、域外辽源商会常态化沟通联络" → 商协会;
 * - 000 二(四): "借助第三方机构（个人）资源，开展委托招商"; 001 二.六: "充实招商顾问队伍" → 委托招商/招商顾问;
 * - 000 二(四): "强化以商招商" → 以商招商;
 * - 001 二.五: "探索与商会、对口合作城市合作" → 对口合作;
 * - 其他.
 * A project may have several.
 */
export const CHANNELS = ['outside_office', 'chamber', 'commissioned', 'business_referral', 'paired_cooperation', 'other'] as const;
export type Channel = (typeof CHANNELS)[number];

export function isProjectType(s: string): s is ProjectType {
  return (PROJECT_TYPES as readonly string[]).includes(s);
}

export function isChannel(s: string): s is Channel {
  return (CHANNELS as readonly string[]).includes(s);
}

/** Channels as stored: distinct, in the list's order. */
export function normaliseChannels(list: readonly Channel[]): Channel[] {
  return CHANNELS.filter((c) => list.includes(c));
}
