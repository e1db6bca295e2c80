// The escalation ladder's arithmetic: continuous decay, never below zero, and one rung per crossing on the way up.
import { DEFAULT_LADDER, decayedBalance, describePoints, rungCrossed } from '../../../workflows/moderation/ladder.js';

const week = { intervalSeconds: 7 * 86_400 };
const day = 86_400_000;

test('one point is forgiven per interval, continuously, and the balance never goes below zero', () => {
  expect(decayedBalance(3, 0, 7 * day, week)).toBe(2);
  expect(decayedBalance(3, 0, 3.5 * day, week)).toBeCloseTo(2.5);
  expect(decayedBalance(1, 0, 30 * day, week)).toBe(0);
  // A clock that went backwards decays nothing.
  expect(decayedBalance(2, 10 * day, 9 * day, week)).toBe(2);
});

test('a rung fires when a warning takes the balance from below its threshold to it or above', () => {
  expect(rungCrossed(2, 3, DEFAULT_LADDER)?.points).toBe(3);
  expect(rungCrossed(2.4, 3.4, DEFAULT_LADDER)?.points).toBe(3);
  expect(rungCrossed(3, 4, DEFAULT_LADDER)).toBeUndefined();
  expect(rungCrossed(0, 1, DEFAULT_LADDER)).toBeUndefined();
});

test('a warning that jumps two thresholds asks for the harsher rung only', () => {
  expect(rungCrossed(2, 6, DEFAULT_LADDER)?.action).toEqual({ type: 'kick' });
  expect(rungCrossed(0, 10, DEFAULT_LADDER)?.action).toEqual({ type: 'ban' });
});

test('after decay lowers the balance, new warnings cross the same threshold again', () => {
  const afterFirst = 3;
  const decayed = decayedBalance(afterFirst, 0, 14 * day, week);
  expect(decayed).toBe(1);
  expect(rungCrossed(decayed, decayed + 2, DEFAULT_LADDER)?.points).toBe(3);
});

test('points are told to one decimal', () => {
  expect(describePoints(1)).toBe('1 point');
  expect(describePoints(2.449)).toBe('2.4 points');
  expect(describePoints(0)).toBe('0 points');
});
