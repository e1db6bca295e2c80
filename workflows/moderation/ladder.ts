// The escalation ladder: warnings add points that decay over time, and crossing a threshold on the way up
// triggers that rung's action. Pure, so the store's locked update and the tests share one rulebook.
import type { ApprovalAction } from '../approvals/actions.js';

export interface Rung {
  /** The balance at which the rung fires, when a warning takes the member from below it to it or above. */
  points: number;
  action: ApprovalAction;
}

export interface Decay {
  /** One point is forgiven per this many seconds without a new warning (default 7 days). */
  intervalSeconds: number;
}

export const DEFAULT_LADDER: Rung[] = [
  { points: 3, action: { type: 'timeout', durationSeconds: 3_600 } },
  { points: 5, action: { type: 'kick' } },
  { points: 7, action: { type: 'ban' } },
];

export const DEFAULT_DECAY: Decay = { intervalSeconds: 7 * 24 * 3_600 };

/**
 * The balance at `at`, decayed continuously from `balance` at `since`: one point per interval, never below zero.
 * Continuous rather than whole steps, so warnings spaced just under an interval apart still decay.
 */
export function decayedBalance(balance: number, since: number, at: number, decay: Decay): number {
  const elapsedSeconds = Math.max(0, at - since) / 1000;
  return Math.max(0, balance - elapsedSeconds / decay.intervalSeconds);
}

/**
 * The rung a warning triggers: the harshest one whose threshold lies in (before, after]. One rung per warning: a
 * warning that jumps two thresholds asks for the harsher action only.
 */
export function rungCrossed(before: number, after: number, ladder: readonly Rung[]): Rung | undefined {
  const crossed = ladder.filter((rung) => before < rung.points && rung.points <= after);
  return crossed.sort((a, b) => b.points - a.points)[0];
}

/** "2.4 points", rounded to one decimal for people. */
export function describePoints(balance: number): string {
  const rounded = Math.round(balance * 10) / 10;
  return `${rounded} point${rounded === 1 ? '' : 's'}`;
}
