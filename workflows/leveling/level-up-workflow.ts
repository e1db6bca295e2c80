// A member reached a level: their reward roles are brought in line, the level-up is announced where the server
// wants it, and the level is marked rewarded (what the adapter's sweep checks, so a level-up whose workflow never
// started is started later). The id carries the level and the member's XP generation: announced once per level.
// Also the plain re-sync of a member's reward roles, after an admin changed their XP or when they rejoin.
import { proxyActivities } from '@temporalio/workflow';
import type { LevelingActivities } from '../../activities/leveling/index.js';
import type { LevelUpInput, RoleSyncInput, RoleSyncOutcome } from './messages.js';
import { showDetails } from '../shared/details.js';

const io = proxyActivities<LevelingActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 20 },
});

export async function rewardLevel(levelUp: LevelUpInput): Promise<RoleSyncOutcome & { announced: boolean }> {
  const { guildId, userId, level } = levelUp;
  const rules = await io.loadLevelingRules({ guildId });
  // Roles follow the member's level as stored now, which a later level-up may already have raised.
  const roles = await io.syncRewardRoles({ guildId, userId, rules });
  let announced = false;
  if (rules.announce !== 'off' && roles.skipped !== 'not_member') {
    announced = await io.announceLevelUp({
      guildId,
      userId,
      level,
      newRoleIds: roles.added,
      announce: rules.announce,
      channelId: rules.announceChannelId ?? levelUp.channelId,
      nonceKey: `level-up:${guildId}:${userId}:${levelUp.generation}:${level}`,
    });
  }
  showDetails(`Level ${level}: ${roles.skipped ? `roles skipped (${roles.skipped.replace('_', ' ')})` : `${roles.added.length} role(s) given, ${roles.removed.length} taken`}; ${announced ? 'announced' : 'not announced'}`);
  await io.markLevelRewarded({ guildId, userId, generation: levelUp.generation, level });
  return { ...roles, announced };
}

export async function resyncLevelRoles(sync: RoleSyncInput): Promise<RoleSyncOutcome> {
  const rules = await io.loadLevelingRules({ guildId: sync.guildId });
  return io.syncRewardRoles({ guildId: sync.guildId, userId: sync.userId, rules });
}
