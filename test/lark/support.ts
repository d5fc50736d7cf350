/** The most events in any half-open interval [t, t + windowMs) — how Lark (and the emulator) count. */
export function maxInWindow(times: number[], windowMs: number): number {
  const xs = [...times].sort((a, b) => a - b);
  let best = 0;
  let j = 0;
  for (let i = 0; i < xs.length; i++) {
    while (xs[i]! - xs[j]! >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}
