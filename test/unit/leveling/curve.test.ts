// XP curves and reward roles: MEE6's numbers, curves refused at configuration, stacking and replacing.
import { CURVE_PRESETS, curveProblem, levelCost, levelForXp, xpForLevel } from '../../../workflows/leveling/curve.js';
import { rewardRolesFor } from '../../../workflows/leveling/rewards.js';

test("MEE6's curve: 100, 155, 220 XP for the first levels; level 10 at 4,675 XP", () => {
  const mee6 = CURVE_PRESETS.mee6;
  expect([0, 1, 2].map((level) => levelCost(mee6, level))).toEqual([100, 155, 220]);
  expect(xpForLevel(mee6, 10)).toBe(4675);
  expect(levelForXp(mee6, 4674)).toEqual({ level: 9, intoLevel: 4674 - xpForLevel(mee6, 9), nextLevelCost: levelCost(mee6, 9) });
  expect(levelForXp(mee6, 4675).level).toBe(10);
  expect(levelForXp(mee6, 0)).toEqual({ level: 0, intoLevel: 0, nextLevelCost: 100 });
});

test('a curve that never grows, shrinks or explodes is refused', () => {
  expect(curveProblem({ a: 0, b: 0, c: 0 })).toBe('every level must cost at least 1 XP: c must be 1 or more');
  expect(curveProblem({ a: -1, b: 50, c: 100 })).toBe('the curve must not shrink: a and b must be 0 or more');
  expect(curveProblem({ a: 5000, b: 0, c: 1 })).toMatch(/grows too fast/);
  expect(curveProblem(CURVE_PRESETS.flat)).toBeUndefined();
});

test('reward roles stack, or the highest reached replaces the others; rewards above the level are taken back', () => {
  const rewards = [{ level: 5, roleId: 'r5' }, { level: 1, roleId: 'r1' }, { level: 10, roleId: 'r10' }];
  expect(rewardRolesFor(6, rewards, 'stack')).toEqual({ wanted: ['r1', 'r5'], unwanted: ['r10'] });
  expect(rewardRolesFor(6, rewards, 'replace')).toEqual({ wanted: ['r5'], unwanted: ['r1', 'r10'] });
  expect(rewardRolesFor(0, rewards, 'stack')).toEqual({ wanted: [], unwanted: ['r5', 'r1', 'r10'] });
});
