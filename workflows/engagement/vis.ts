// VIS, the volunteer impact score: what each recognition badge adds, the four levels a score falls in, and the next
// level a member can reach. Pure rules, shared by the workflow, the cards and /milestones.

export const BADGES = ['emerging', 'contributing', 'high_impact', 'exceptional'] as const;
export type Badge = (typeof BADGES)[number];

export const BADGE_POINTS: Readonly<Record<Badge, number>> = { emerging: 5, contributing: 10, high_impact: 20, exceptional: 50 };

/** VIS is a 0–100 scale: recognitions past 100 are recorded but the score stays at the top. */
export const MAX_VIS = 100;

export const LEVELS = ['emerging', 'contributing', 'high_impact', 'exceptional'] as const;
export type Level = (typeof LEVELS)[number];

/** The lowest score of each level: Emerging 0–25, Contributing 26–50, High Impact 51–75, Exceptional 76–100. */
const LEVEL_FLOORS: Readonly<Record<Level, number>> = { emerging: 0, contributing: 26, high_impact: 51, exceptional: 76 };

export const LEVEL_NAMES: Readonly<Record<Level, string>> = {
  emerging: 'Emerging',
  contributing: 'Contributing',
  high_impact: 'High Impact',
  exceptional: 'Exceptional',
};

export const BADGE_NAMES = LEVEL_NAMES as Readonly<Record<Badge, string>>;

export function levelOf(score: number): Level {
  return [...LEVELS].reverse().find((level) => score >= LEVEL_FLOORS[level])!;
}

export function addPoints(score: number, points: number): number {
  return Math.min(MAX_VIS, score + points);
}

/** The next level up and the points still missing, or undefined at the top level. */
export function nextLevel(score: number): { level: Level; at: number; missing: number } | undefined {
  const next = LEVELS[LEVELS.indexOf(levelOf(score)) + 1];
  return next ? { level: next, at: LEVEL_FLOORS[next], missing: LEVEL_FLOORS[next] - score } : undefined;
}

export function isHigher(candidate: Level, than: Level): boolean {
  return LEVELS.indexOf(candidate) > LEVELS.indexOf(than);
}
