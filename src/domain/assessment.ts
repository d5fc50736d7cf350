// The annual assessment (年度考核): 000 一(一) "建立…考核评价机制", 001 三.七 "健全成效考核机制…对招商引资额度超亿元并落地的部门，
// 在下一年预算安排时予以重点保障". Pure: rankings, targets met and the incentive tally from the year's figures;
// codes and numbers only, prompts/ words them.

export interface CountyYear {
  unitId: number;
  name: string;
  signed: number;
  signedFen: number;
  /** Signed 产业项目 at or above the rules' line (001 二.二). */
  signedIndustrial: number;
  landed: number;
  fundsFen: number;
  /** Each leader's own trips (the leader's unit only). */
  leaders: { name: string; trips: number }[];
  lettersRaised: number;
  lettersClosed: number;
  /** The unit's annual targets: trips per leader, signed 产业项目, landed. */
  targets: { tripsPerLeader: number; signedIndustrial: number; landed: number };
}

export interface DepartmentYear {
  unitId: number;
  name: string;
  signed: number;
  signedFen: number;
  landed: number;
  /** Contract amounts (planned investment when none) of the projects first-talked by it that landed in the year. */
  landedFen: number;
  fundsFen: number;
  lettersRaised: number;
  lettersClosed: number;
}

export interface TargetsMet {
  signedIndustrial: boolean;
  landed: boolean;
  /** Every leader led at least the per-leader number of trips (no leader recorded: not met). */
  trips: boolean;
  met: number;
  of: number;
}

export function targetsMet(c: CountyYear): TargetsMet {
  const signedIndustrial = c.signedIndustrial >= c.targets.signedIndustrial;
  const landed = c.landed >= c.targets.landed;
  const trips = c.leaders.length > 0 && c.leaders.every((l) => l.trips >= c.targets.tripsPerLeader);
  return { signedIndustrial, landed, trips, met: [signedIndustrial, landed, trips].filter(Boolean).length, of: 3 };
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * Counties ranked by targets met, then the signed contract amount, the number signed, landed, funds; ties by name.
 * Rank numbers are shared by exact ties (1, 2, 2, 4).
 */
export function rankCounties(rows: readonly CountyYear[]): (CountyYear & { rank: number; met: TargetsMet })[] {
  const key = (c: CountyYear & { met: TargetsMet }) => [c.met.met, c.signedFen, c.signed, c.landed, c.fundsFen];
  const withMet = rows.map((c) => ({ ...c, met: targetsMet(c) }));
  return ranked(withMet, key);
}

/** First-talk departments ranked by the amount landed, then signed amount, landed, signed, funds; ties by name. */
export function rankDepartments(rows: readonly DepartmentYear[]): (DepartmentYear & { rank: number })[] {
  return ranked([...rows], (d) => [d.landedFen, d.signedFen, d.landed, d.signed, d.fundsFen]);
}

function ranked<T extends { name: string }>(rows: T[], key: (r: T) => number[]): (T & { rank: number })[] {
  const cmp = (a: T, b: T) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return kb[i]! - ka[i]!;
    return 0;
  };
  const sorted = [...rows].sort((a, b) => cmp(a, b) || byName(a, b));
  let rank = 0;
  return sorted.map((r, i) => {
    if (i === 0 || cmp(sorted[i - 1]!, r) !== 0) rank = i + 1;
    return { ...r, rank };
  });
}

/**
 * The incentive tally (001 三.七 "对招商引资额度超亿元并落地的部门"): first-talk departments whose projects landed in
 * the year sum to more than the threshold ("超": strictly above; a rules setting, default 1亿).
 */
export function incentiveDepartments<T extends DepartmentYear>(rows: readonly T[], thresholdFen: number): T[] {
  return rows.filter((d) => d.landedFen > thresholdFen);
}
