// What a level costs. A curve is a quadratic in the level: going from level L to L + 1 costs a·L² + b·L + c XP.
// MEE6's (5L² + 50L + 100) is the default, so a server moving from MEE6 keeps its members' levels for their XP.
export interface XpCurve {
  a: number;
  b: number;
  c: number;
}

export const CURVE_PRESETS = {
  /** MEE6: 100 XP for level 1, 155 more for level 2, 220 more for level 3, … */
  mee6: { a: 5, b: 50, c: 100 },
  /** Every level costs 100 more than the one before: 100, 200, 300, … */
  linear: { a: 0, b: 100, c: 100 },
  /** Every level costs the same 500 XP. */
  flat: { a: 0, b: 0, c: 500 },
} as const satisfies Record<string, XpCurve>;
export type CurvePreset = keyof typeof CURVE_PRESETS;

/** Levels stop here: a member who gets further has earned the top. */
export const MAX_LEVEL = 1000;

/** XP from level L to L + 1. */
export function levelCost({ a, b, c }: XpCurve, level: number): number {
  return a * level * level + b * level + c;
}

/**
 * Why a curve cannot be used, or undefined. Every level must cost at least 1 XP and no less than the one before
 * (a, b ≥ 0 and c ≥ 1): a curve that never grows, or shrinks, would hand out levels for nothing.
 */
export function curveProblem(curve: XpCurve): string | undefined {
  const { a, b, c } = curve;
  if (![a, b, c].every(Number.isFinite)) return 'the curve needs three numbers';
  if (a < 0 || b < 0) return 'the curve must not shrink: a and b must be 0 or more';
  if (c < 1) return 'every level must cost at least 1 XP: c must be 1 or more';
  if (levelCost(curve, MAX_LEVEL) > 1e9) return 'the curve grows too fast: level 1000 would cost more than a billion XP';
  return undefined;
}

export interface LevelProgress {
  level: number;
  /** XP earned since the level was reached. */
  intoLevel: number;
  /** XP the next level costs in all (0 at the top). */
  nextLevelCost: number;
}

export function levelForXp(curve: XpCurve, xp: number): LevelProgress {
  let level = 0;
  let remaining = Math.max(0, Math.floor(xp));
  while (level < MAX_LEVEL && remaining >= levelCost(curve, level)) {
    remaining -= levelCost(curve, level);
    level++;
  }
  return { level, intoLevel: remaining, nextLevelCost: level < MAX_LEVEL ? levelCost(curve, level) : 0 };
}

/** The XP at which `level` is reached. */
export function xpForLevel(curve: XpCurve, level: number): number {
  let total = 0;
  for (let reached = 0; reached < Math.min(level, MAX_LEVEL); reached++) total += levelCost(curve, reached);
  return total;
}
