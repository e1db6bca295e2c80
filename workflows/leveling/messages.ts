// XP leveling's messages: what its workflows read of a server's rules, their inputs, and their ids.
export type RewardMode = 'stack' | 'replace';
export type Announcement = 'off' | 'channel' | 'dm';

export interface RoleReward {
  level: number;
  roleId: string;
}

/** What the level-up workflow reads once when it starts. */
export interface LevelingRules {
  roleRewards: RoleReward[];
  rewardMode: RewardMode;
  announce: Announcement;
  /** Where channel announcements go; null: the channel the member was talking in. */
  announceChannelId: string | null;
}

export interface LevelUpInput {
  guildId: string;
  userId: string;
  /** The level reached, and the one the member's roles and announcements were last brought to. */
  level: number;
  previousLevel: number;
  /** The member's XP generation: an admin's /xp set or reset starts a new one, so a level can be reached again. */
  generation: number;
  /** The channel of the member's last message counted (for an announcement in place). */
  channelId: string | null;
}

export function levelUpWorkflowId({ guildId, userId, generation, level }: Pick<LevelUpInput, 'guildId' | 'userId' | 'generation' | 'level'>): string {
  return `level-up:${guildId}:${userId}:${generation}:${level}`;
}

export interface RoleSyncInput {
  guildId: string;
  userId: string;
  /** Why the roles are brought in line (an admin's command, a rejoin): names the workflow, once per cause. */
  cause: string;
}

export function roleSyncWorkflowId({ guildId, userId, cause }: RoleSyncInput): string {
  return `level-roles:${guildId}:${userId}:${cause}`;
}

export function levelRolesSummary({ userId, cause }: RoleSyncInput): string {
  return `Brings member ${userId}'s level roles in line with their level (${cause})`;
}

export interface RoleSyncOutcome {
  level: number;
  added: string[];
  removed: string[];
  /** The member has left (nothing to change), or no reward is configured. */
  skipped?: 'not_member' | 'no_rewards';
}
