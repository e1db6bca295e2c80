// Raid protection's I/O: the server's lockdown rules, the snapshot of what a lockdown may touch, each level's
// changes, members who join during it, the restore, the alert card and the case in the moderation log. Every step
// is safe to retry: changes are set (not toggled), and the restore compares what is there with what the lockdown
// set and with the snapshot, so a second run finds its work done and a moderator's own change is kept.
import type { REST } from '@discordjs/rest';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { Routes, type APIChannel, type APIGuild, type APIMessage } from 'discord-api-types/v10';
import type { Database } from '../../src/db/database.js';
import { approvalSettings } from '../../src/features/approvals/store/approvals.js';
import { caseById, openCase, updateCase } from '../../src/features/moderation/store/cases.js';
import { lockableChannels } from '../../src/features/raid/lockable-channels.js';
import { raidSettings } from '../../src/features/raid/settings.js';
import type { CardMessage } from '../../workflows/shared/discord-kit.js';
import type { ChannelSnapshot, EveryoneOverwrite, LockdownLevel, LockdownRules, RestoreReport, ServerSnapshot } from '../../workflows/raid/messages.js';
import { channelBefore, restoreDecision, sameOverwrite, type LockdownChanges } from '../../workflows/raid/plan.js';
import { discordCall } from '../shared/discord-call.js';
import { nonceFor } from '../shared/nonce.js';

export interface RaidDependencies {
  database: Database;
  discord?: REST;
}

const INVITES_DISABLED = 'INVITES_DISABLED';
const UNKNOWN_CHANNEL = 10003;
const UNKNOWN_MEMBER = 10007;
const UNKNOWN_OVERWRITE = 10009;
/** Changes made at once: Discord's per-route limits queue the rest inside discord.js. */
const CHANNELS_IN_PARALLEL = 10;

export function createRaidActivities({ database, discord }: RaidDependencies) {
  const rest = (): REST => {
    if (!discord) throw ApplicationFailure.nonRetryable('Discord is not configured on this worker', 'DiscordNotConfigured');
    return discord;
  };
  const everyoneOf = (channel: APIChannel, guildId: string): EveryoneOverwrite | null => {
    const overwrite = ('permission_overwrites' in channel ? channel.permission_overwrites : undefined)?.find((candidate) => candidate.id === guildId);
    return overwrite ? { allow: overwrite.allow, deny: overwrite.deny } : null;
  };
  const slowmodeOf = (channel: APIChannel) => ('rate_limit_per_user' in channel ? (channel.rate_limit_per_user ?? 0) : 0);
  const channelNow = async (channelId: string): Promise<APIChannel | undefined> => {
    try {
      return (await rest().get(Routes.channel(channelId))) as APIChannel;
    } catch (error) {
      if ((error as { code?: number }).code === UNKNOWN_CHANNEL) return undefined;
      throw error;
    }
  };
  const setEveryone = async (guildId: string, channelId: string, overwrite: EveryoneOverwrite | null, reason: string) => {
    if (!overwrite || (BigInt(overwrite.allow) === 0n && BigInt(overwrite.deny) === 0n)) {
      await rest()
        .delete(Routes.channelPermission(channelId, guildId), { reason })
        .catch((error: { code?: number }) => {
          if (error.code !== UNKNOWN_OVERWRITE) throw error;
        });
    } else {
      await rest().put(Routes.channelPermission(channelId, guildId), { body: { type: 0, allow: overwrite.allow, deny: overwrite.deny }, reason });
    }
  };

  return {
    /** The server's rules for this lockdown, with its channels resolved (every channel the bot can change, if none were chosen). */
    async loadLockdownRules({ guildId }: { guildId: string }): Promise<LockdownRules> {
      const settings = await raidSettings(database.fork(), guildId);
      const approvals = await approvalSettings(database.fork(), guildId);
      const channelIds = settings.channelIds.length > 0 ? settings.channelIds : (await lockableChannels(rest(), guildId)).lockable.map((channel) => channel.id);
      return {
        channelIds,
        alertChannelId: settings.alertChannelId ?? approvals?.channelId ?? null,
        startLevel: settings.startLevel as LockdownLevel,
        slowmodeSeconds: settings.slowmodeSeconds,
        raisedVerificationLevel: settings.raisedVerificationLevel,
        quietMinutes: settings.quietMinutes,
        joinAction: settings.joinAction,
        joinTimeoutMinutes: settings.joinTimeoutMinutes,
        approverRoleIds: approvals?.approverRoleIds ?? [],
      };
    },

    /** What the lockdown may touch, as it is now: read only, so a retry reads it again. */
    async takeSnapshot({ guildId, channelIds }: { guildId: string; channelIds: string[] }): Promise<ServerSnapshot> {
      const guild = (await discordCall(() => rest().get(Routes.guild(guildId)))) as APIGuild;
      const channels: ChannelSnapshot[] = [];
      await inBatches(channelIds, async (channelId) => {
        const channel = await channelNow(channelId);
        if (channel) channels.push({ channelId, name: 'name' in channel ? (channel.name ?? channelId) : channelId, everyone: everyoneOf(channel, guildId), slowmodeSeconds: slowmodeOf(channel) });
      });
      channels.sort((a, b) => channelIds.indexOf(a.channelId) - channelIds.indexOf(b.channelId));
      return { guildId, channels, verificationLevel: guild.verification_level, invitesDisabled: guild.features.includes(INVITES_DISABLED as never) };
    },

    /**
     * One level's changes, set to the values the plan worked out from the snapshot (so a retry sets the same). What
     * Discord refuses (a permission the bot lost since the settings were checked) is returned, not thrown: the
     * lockdown goes on with the rest and its card says what it could not do.
     */
    async applyLockdownStep({ guildId, step, changes }: { guildId: string; step: 'slowmode' | 'invites' | 'send' | 'verification'; changes: LockdownChanges }): Promise<{ refused: string[] }> {
      const reason = 'Steward raid lockdown';
      const refused: string[] = [];
      const attempt = async (what: string, change: () => Promise<unknown>) => {
        try {
          await discordCall(change);
        } catch (error) {
          if (!(error instanceof ApplicationFailure) || error.type !== 'DiscordRefused') throw error;
          refused.push(`${what}: ${error.message.replace(/^Discord refused: /, '')}`);
        }
      };
      if (step === 'slowmode' || step === 'send') {
        await inBatches(changes.channels, async (change) => {
          if (step === 'slowmode' && change.slowmodeSeconds !== undefined) {
            await attempt(`<#${change.channelId}> slowmode`, () => rest().patch(Routes.channel(change.channelId), { body: { rate_limit_per_user: change.slowmodeSeconds }, reason }));
          }
          if (step === 'send' && change.everyone) await attempt(`<#${change.channelId}> @everyone`, () => setEveryone(guildId, change.channelId, change.everyone!, reason));
        });
      } else if (step === 'invites' && changes.invitesDisabled) {
        const guild = (await discordCall(() => rest().get(Routes.guild(guildId)))) as APIGuild;
        if (!guild.features.includes(INVITES_DISABLED as never)) {
          await attempt('pausing invites', () => rest().patch(Routes.guild(guildId), { body: { features: [...guild.features, INVITES_DISABLED] }, reason }));
        }
      } else if (step === 'verification' && changes.verificationLevel !== undefined) {
        await attempt('the verification level', () => rest().patch(Routes.guild(guildId), { body: { verification_level: changes.verificationLevel }, reason }));
      }
      return { refused };
    },

    /**
     * Puts back what the lockdown changed. Each thing is compared with what the lockdown set: still that → restored;
     * already as before (a lift that ran before a crash) → left; anything else was changed by hand → kept, reported.
     */
    async restoreSnapshot({ snapshot, changes }: { snapshot: ServerSnapshot; changes: LockdownChanges }): Promise<RestoreReport> {
      const { guildId } = snapshot;
      const reason = 'Steward raid lockdown lifted';
      const report: RestoreReport = { restored: [], keptByHand: [] };
      await inBatches(changes.channels, async (change) => {
        const before = channelBefore(snapshot, change.channelId);
        const channel = await channelNow(change.channelId);
        if (!channel) return;
        const label = `#${before.name}`;
        if (change.slowmodeSeconds !== undefined) {
          const decision = restoreDecision(slowmodeOf(channel), change.slowmodeSeconds, before.slowmodeSeconds, (a, b) => a === b);
          if (decision === 'restore') await discordCall(() => rest().patch(Routes.channel(change.channelId), { body: { rate_limit_per_user: before.slowmodeSeconds }, reason }));
          if (decision === 'keep') report.keptByHand.push(`${label}: slowmode (now ${slowmodeOf(channel)} s)`);
          else report.restored.push(`${label} slowmode`);
        }
        if (change.everyone) {
          const decision = restoreDecision(everyoneOf(channel, guildId), change.everyone, before.everyone, sameOverwrite);
          if (decision === 'restore') await discordCall(() => setEveryone(guildId, change.channelId, before.everyone, reason));
          if (decision === 'keep') report.keptByHand.push(`${label}: @everyone's permissions`);
          else report.restored.push(`${label} @everyone`);
        }
      });
      if (changes.invitesDisabled || changes.verificationLevel !== undefined) {
        const guild = (await discordCall(() => rest().get(Routes.guild(guildId)))) as APIGuild;
        const patch: { features?: string[]; verification_level?: number } = {};
        // Invites resumed by hand are simply resumed: either way they end as they were.
        if (changes.invitesDisabled) {
          if (guild.features.includes(INVITES_DISABLED as never)) patch.features = guild.features.filter((feature) => feature !== INVITES_DISABLED);
          report.restored.push('invites');
        }
        if (changes.verificationLevel !== undefined) {
          const decision = restoreDecision(guild.verification_level as number, changes.verificationLevel, snapshot.verificationLevel, (a, b) => a === b);
          if (decision === 'restore') patch.verification_level = snapshot.verificationLevel;
          if (decision === 'keep') report.keptByHand.push(`verification level (now ${guild.verification_level})`);
          else report.restored.push('verification level');
        }
        if (Object.keys(patch).length > 0) await discordCall(() => rest().patch(Routes.guild(guildId), { body: patch, reason }));
      }
      return report;
    },

    /** Members who joined during the raid: timed out or kicked (a member who already left is skipped). Returns those acted on. */
    async actOnJoiners(input: { guildId: string; userIds: string[]; action: 'timeout' | 'kick'; timeoutMinutes: number; reason: string }): Promise<string[]> {
      const acted: string[] = [];
      const until = new Date(Date.now() + input.timeoutMinutes * 60_000).toISOString();
      await inBatches(input.userIds, async (userId) => {
        try {
          if (input.action === 'kick') await rest().delete(Routes.guildMember(input.guildId, userId), { reason: input.reason });
          else await rest().patch(Routes.guildMember(input.guildId, userId), { body: { communication_disabled_until: until }, reason: input.reason });
          acted.push(userId);
        } catch (error) {
          if ((error as { code?: number }).code !== UNKNOWN_MEMBER) throw error;
        }
      });
      return acted;
    },

    /** The screening gate's member role, for a member who verified (giving a role twice is one). */
    async grantMemberRole(input: { guildId: string; memberId: string; roleId: string }): Promise<'granted' | 'refused'> {
      return (await refusalCode(() => rest().put(Routes.guildMemberRole(input.guildId, input.memberId, input.roleId), { reason: 'Verified at the screening gate' }))) === undefined ? 'granted' : 'refused';
    },

    /** A member who did not verify in time: kicked, already gone, or out of Steward's reach (above its role). */
    async kickUnverified(input: { guildId: string; memberId: string; reason: string }): Promise<'kicked' | 'gone' | 'refused'> {
      const code = await refusalCode(() => rest().delete(Routes.guildMember(input.guildId, input.memberId), { reason: input.reason }));
      return code === undefined ? 'kicked' : code === UNKNOWN_MEMBER ? 'gone' : 'refused';
    },

    async postAlertCard(input: { channelId: string; nonceKey: string; card: CardMessage }): Promise<string> {
      const message = (await discordCall(() =>
        rest().post(Routes.channelMessages(input.channelId), { body: { ...input.card, allowed_mentions: { parse: [] }, nonce: nonceFor(input.nonceKey), enforce_nonce: true } }),
      )) as APIMessage;
      return message.id;
    },

    async editAlertCard(input: { channelId: string; messageId: string; card: CardMessage }): Promise<void> {
      await discordCall(() => rest().patch(Routes.channelMessage(input.channelId, input.messageId), { body: input.card }));
    },

    /** The lockdown as a case in the moderation log (once per lockdown: its key), with its timeline so far. */
    async openLockdownCase(input: { guildId: string; key: string; reason: string; timeline: { at: number; what: string }[] }): Promise<number> {
      const opened = await database.transaction((em) =>
        openCase(em, { guildId: input.guildId, key: input.key, kind: 'lockdown', targetId: input.guildId, source: 'raid', reason: input.reason.slice(0, 512), evidence: [], timeline: input.timeline }, 'applied'),
      );
      return opened.number;
    },

    async closeLockdownCase(input: { guildId: string; key: string; timeline: { at: number; what: string }[] }): Promise<void> {
      await database.transaction(async (em) => {
        if (await caseById(em, `${input.guildId}:${input.key}`)) await updateCase(em, `${input.guildId}:${input.key}`, { status: 'lifted', timeline: input.timeline });
      });
    },
  };
}

export type RaidActivities = ReturnType<typeof createRaidActivities>;

/** Runs a Discord call; undefined when it worked, Discord's error code when it refused (a 4xx no retry fixes). */
async function refusalCode(call: () => Promise<unknown>): Promise<number | undefined> {
  try {
    await discordCall(call);
    return undefined;
  } catch (error) {
    if (!(error instanceof ApplicationFailure) || error.type !== 'DiscordRefused') throw error;
    return (error.details?.[0] as { code?: number } | undefined)?.code ?? 0;
  }
}

/**
 * Acts on a batch at a time, heartbeating after each item (when run as an activity), so a worker that dies midway
 * is noticed within the heartbeat timeout and the retry, which finds its work half done, finishes it.
 */
async function inBatches<T>(items: readonly T[], act: (item: T) => Promise<void>): Promise<void> {
  for (let index = 0; index < items.length; index += CHANNELS_IN_PARALLEL) {
    await Promise.all(
      items.slice(index, index + CHANNELS_IN_PARALLEL).map(async (item) => {
        await act(item);
        heartbeat();
      }),
    );
  }
}

function heartbeat(): void {
  try {
    Context.current().heartbeat();
  } catch {
    // Not inside an activity (a direct call): nothing to tell.
  }
}
