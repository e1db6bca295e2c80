// XP leveling's I/O: the server's rules, a member's reward roles brought in line with their level, the level-up
// announcement (in a channel or by DM), and the level marked rewarded. Every activity is safe to retry: role
// changes are idempotent, posts carry nonces, the mark only ever raises.
import type { REST } from '@discordjs/rest';
import { ApplicationFailure } from '@temporalio/activity';
import { Routes } from 'discord-api-types/v10';
import type { Database } from '../../src/db/database.js';
import { levelingSettings, rulesOf } from '../../src/features/leveling/settings.js';
import { levelOf, markLevelRewarded } from '../../src/features/leveling/store/levels.js';
import type { Announcement, LevelingRules, RoleSyncOutcome } from '../../workflows/leveling/messages.js';
import { rewardRolesFor } from '../../workflows/leveling/rewards.js';
import { discordCall, memberOrNothing, refusalsInWords } from '../shared/discord-call.js';
import { DirectChannels } from '../shared/direct-channels.js';
import { nonceFor } from '../shared/nonce.js';

export interface LevelingDependencies {
  database: Database;
  discord?: REST;
}

const ROLE_REFUSALS = {
  50013: "Steward's role is not above the reward role (move Steward's role higher in Server Settings → Roles).",
  10011: 'The reward role no longer exists (change it with /config xp reward).',
} as const;

export function createLevelingActivities({ database, discord }: LevelingDependencies) {
  const rest = (): REST => {
    if (!discord) throw ApplicationFailure.nonRetryable('Discord is not configured on this worker', 'DiscordNotConfigured');
    return discord;
  };
  const directChannels = new DirectChannels(database, rest);

  return {
    loadLevelingRules: async ({ guildId }: { guildId: string }): Promise<LevelingRules> => rulesOf(await levelingSettings(database.fork(), guildId)),

    /** Adds the rewards the member's stored level gives and takes back the others they hold. */
    async syncRewardRoles({ guildId, userId, rules }: { guildId: string; userId: string; rules: LevelingRules }): Promise<RoleSyncOutcome> {
      const level = await levelOf(database.fork(), guildId, userId);
      if (rules.roleRewards.length === 0) return { level, added: [], removed: [], skipped: 'no_rewards' };
      const member = await discordCall(() => memberOrNothing(rest(), guildId, userId));
      if (!member) return { level, added: [], removed: [], skipped: 'not_member' };
      const { wanted, unwanted } = rewardRolesFor(level, rules.roleRewards, rules.rewardMode);
      const headers = { 'x-audit-log-reason': encodeURIComponent(`XP level ${level}`) };
      const added = wanted.filter((roleId) => !member.roles.includes(roleId));
      const removed = unwanted.filter((roleId) => member.roles.includes(roleId));
      for (const roleId of added) await refusalsInWords(() => rest().put(Routes.guildMemberRole(guildId, userId, roleId), { headers }), ROLE_REFUSALS);
      for (const roleId of removed) await refusalsInWords(() => rest().delete(Routes.guildMemberRole(guildId, userId, roleId), { headers }), ROLE_REFUSALS);
      return { level, added, removed };
    },

    /** True when told; a closed DM or a channel Steward cannot post in is not worth failing the level-up over. */
    async announceLevelUp(input: { guildId: string; userId: string; level: number; newRoleIds: string[]; announce: Exclude<Announcement, 'off'>; channelId: string | null; nonceKey: string }): Promise<boolean> {
      const rewards = input.newRoleIds.length ? ` and earned ${input.newRoleIds.map((roleId) => `<@&${roleId}>`).join(', ')}` : '';
      const body = { nonce: nonceFor(input.nonceKey), enforce_nonce: true, allowed_mentions: { users: [input.userId] } };
      if (input.announce === 'dm') return (await directChannels.send(input.userId, { ...body, content: `🎉 You reached level ${input.level} in the server${rewards}!` })) === 'sent';
      if (!input.channelId) return false;
      try {
        await discordCall(() => rest().post(Routes.channelMessages(input.channelId!), { body: { ...body, content: `🎉 <@${input.userId}> reached level ${input.level}${rewards}!` } }));
        return true;
      } catch (error) {
        if (error instanceof ApplicationFailure && error.type === 'DiscordRefused') return false;
        throw error;
      }
    },

    markLevelRewarded: (input: { guildId: string; userId: string; generation: number; level: number }) => markLevelRewarded(database.fork(), input),
  };
}

export type LevelingActivities = ReturnType<typeof createLevelingActivities>;
