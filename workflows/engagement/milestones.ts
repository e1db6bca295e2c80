// Programme milestones the platform reports: hours (celebrated every 100), the SROI ratio (each whole number) and
// the volunteer count (every 10). A new value celebrates every threshold between the last value seen and it: a
// jump from 190 to 410 hours crosses 200, 300 and 400.

export const MILESTONE_METRICS = ['hours', 'sroi', 'volunteers'] as const;
export type MilestoneMetric = (typeof MILESTONE_METRICS)[number];

export const MILESTONE_STEPS: Readonly<Record<MilestoneMetric, number>> = { hours: 100, sroi: 1, volunteers: 10 };

/** A jump past more thresholds than this (a backfill, a unit mistake) celebrates only the highest ones. */
export const MAX_CELEBRATIONS_PER_UPDATE = 10;

/** The thresholds in (previous, current], lowest first; none when the value stayed or fell. */
export function crossedThresholds(metric: MilestoneMetric, previous: number, current: number): number[] {
  const step = MILESTONE_STEPS[metric];
  const first = Math.max(1, Math.floor(previous / step) + 1);
  const last = Math.floor(current / step);
  const thresholds: number[] = [];
  for (let index = Math.max(first, last - MAX_CELEBRATIONS_PER_UPDATE + 1); index <= last; index++) thresholds.push(index * step);
  return thresholds;
}

/** "1,000 volunteer hours", "an SROI of 4:1", "50 volunteers". */
export function describeMilestone(metric: MilestoneMetric, threshold: number): string {
  const count = threshold.toLocaleString('en-US');
  if (metric === 'hours') return `${count} volunteer hours`;
  if (metric === 'sroi') return `a social return of ${count}:1`;
  return `${count} volunteers`;
}
