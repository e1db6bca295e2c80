// Which reward roles a level gives. Stacking keeps every reward up to the level; replacing keeps only the highest
// one reached, taking the lower ones back. Either way a reward above the level is taken back: the member's level
// is the truth (an admin's reset lowers it on purpose).
import type { RewardMode, RoleReward } from './messages.js';

export function rewardRolesFor(level: number, rewards: readonly RoleReward[], mode: RewardMode): { wanted: string[]; unwanted: string[] } {
  const reached = rewards.filter((reward) => reward.level <= level).sort((left, right) => left.level - right.level);
  const wanted = mode === 'stack' ? reached.map((reward) => reward.roleId) : reached.slice(-1).map((reward) => reward.roleId);
  const unwanted = rewards.map((reward) => reward.roleId).filter((roleId) => !wanted.includes(roleId));
  return { wanted, unwanted: [...new Set(unwanted)] };
}
