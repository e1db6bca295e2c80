// Volunteer engagement's I/O: the store, Q2Q and the LLM chain standing in for it, the platform's webhook, and
// Discord (cards, DMs, level roles, the admins' alert channel). Built from its dependencies; every activity is safe
// to retry (writes are keyed, posts carry nonces, role changes are idempotent).
import type { REST } from '@discordjs/rest';
import { Context, ApplicationFailure } from '@temporalio/activity';
import { Routes, type APIMessage } from 'discord-api-types/v10';
import type { Database } from '../../src/db/database.js';
import type { EngagementEnv } from '../../src/features/engagement/env.js';
import { engagementSettings, rulesOf } from '../../src/features/engagement/settings.js';
import { saveFeedback, updateFeedback, type FeedbackPatch } from '../../src/features/engagement/store/feedback.js';
import { platformUserOf } from '../../src/features/engagement/store/links.js';
import { awardRecognition } from '../../src/features/engagement/store/vis.js';
import { availableProviders, callProvider, MalformedOutputError, toActivityFailure, type ProviderChain } from '../../src/llm/index.js';
import { recordLlmUsage } from '../../src/llm/usage.js';
import type { EngagementRules, FeedbackAnalysis, FeedbackInput, LevelRoleIds, RecognitionInput } from '../../workflows/engagement/messages.js';
import { LEVELS, isHigher, type Level } from '../../workflows/engagement/vis.js';
import type { CardMessage } from '../../workflows/shared/discord-kit.js';
import { discordCall, editInteractionReply, memberOrNothing, refusalsInWords } from '../shared/discord-call.js';
import { DirectChannels } from '../shared/direct-channels.js';
import { nonceFor } from '../shared/nonce.js';
import { buildScoreRequest } from './analysis-prompt.js';
import { deliverToPlatform, type PlatformEvent } from './platform.js';
import { classifyText, outcomeScoresSchema } from './q2q.js';

export interface EngagementDependencies {
  database: Database;
  discord?: REST;
  llm: ProviderChain;
  settings: EngagementEnv;
}

export interface AnalysisRequest {
  guildId: string;
  feedbackId: string;
  userId: string;
  text: string;
  channelId: string | null;
}

const ROLE_REFUSALS = {
  50013: "Steward's role is not above the level role (move Steward's role higher in Server Settings → Roles).",
  10011: 'The level role no longer exists (choose another with /config engagement levels).',
} as const;

export function createEngagementActivities({ database, discord, llm, settings }: EngagementDependencies) {
  const rest = (): REST => {
    if (!discord) throw ApplicationFailure.nonRetryable('Discord is not configured on this worker', 'DiscordNotConfigured');
    return discord;
  };
  const directChannels = new DirectChannels(database, rest);

  return {
    async loadEngagementRules({ guildId }: { guildId: string }): Promise<EngagementRules> {
      return rulesOf(await engagementSettings(database.fork(), guildId), { analysisRetrySeconds: settings.analysisRetrySeconds, reviewAlertSeconds: settings.reviewAlertSeconds });
    },

    saveFeedback: ({ feedback, shareStatus }: { feedback: FeedbackInput; shareStatus: string }) => database.transaction((em) => saveFeedback(em, feedback, shareStatus)),

    updateFeedback: ({ feedbackId, ...patch }: FeedbackPatch & { feedbackId: string }) => database.transaction((em) => updateFeedback(em, feedbackId, patch)),

    /** Q2Q's scores; the member is known to Q2Q by their platform id where they are linked. */
    async classifyWithQ2Q(request: AnalysisRequest): Promise<FeedbackAnalysis> {
      if (!settings.q2q) throw ApplicationFailure.nonRetryable('Q2Q is not configured (Q2Q_URL)', 'Q2qNotConfigured');
      const platformUserId = await platformUserOf(database.fork(), request.guildId, request.userId);
      const answer = await classifyText(
        settings.q2q,
        { text: request.text, userId: platformUserId ?? `discord:${request.userId}`, ...(request.channelId ? { contextId: request.channelId } : {}), contextType: 'discord_feedback' },
        Context.current().cancellationSignal,
      );
      return { scores: answer.scores, labels: answer.labels, analysedBy: 'q2q', analysedAt: new Date().toISOString() };
    },

    /** The configured models in order, each answer checked against the scores' shape; none configured: final. */
    async classifyWithLlm(request: AnalysisRequest): Promise<FeedbackAnalysis> {
      const providers = availableProviders(llm).filter((name) => name !== 'offline');
      if (providers.length === 0) throw ApplicationFailure.nonRetryable('No LLM provider is configured to stand in for Q2Q', 'NoAnalyst');
      const context = Context.current();
      let lastFailure: ApplicationFailure | undefined;
      for (const provider of providers) {
        try {
          const result = await callProvider(llm, provider, buildScoreRequest(request.text), { signal: context.cancellationSignal });
          const { themes, ...scores } = (result.toolInput ?? {}) as { themes?: unknown };
          const parsed = outcomeScoresSchema.safeParse(scores);
          if (!parsed.success) throw new MalformedOutputError(provider, `${provider} answered outside the scores' shape: ${parsed.error.message}`);
          await database
            .transaction((em) => recordLlmUsage(em, { id: `feedback:${request.feedbackId}:${result.provider}`, guildId: request.guildId, flow: 'feedback', provider: result.provider, model: result.model, usage: result.usage, costUsd: result.costUsd }))
            .catch((error: unknown) => context.log.error("Could not record the model's usage", { error: (error as Error).message }));
          return { scores: parsed.data, labels: { themes: Array.isArray(themes) ? themes : [] }, analysedBy: result.provider, model: result.model, analysedAt: new Date().toISOString() };
        } catch (error) {
          lastFailure = toActivityFailure(error, provider);
          context.log.warn('A model could not score the feedback; trying the next one', { provider, type: lastFailure.type });
        }
      }
      throw ApplicationFailure.retryable(`No model could score the feedback: ${lastFailure?.message ?? 'unknown'}`, 'AnalysisUnavailable');
    },

    /** Posts a card once: a retry with the same nonce gets the first message back. */
    async postEngagementCard(input: { channelId: string; card: CardMessage; nonceKey: string; mentionUserIds?: string[] }): Promise<string> {
      const message = (await discordCall(() =>
        rest().post(Routes.channelMessages(input.channelId), {
          body: { ...input.card, allowed_mentions: { parse: [], users: input.mentionUserIds ?? [] }, nonce: nonceFor(input.nonceKey), enforce_nonce: true },
        }),
      )) as APIMessage;
      return message.id;
    },

    async editEngagementCard(input: { channelId: string; messageId: string; card: CardMessage }): Promise<void> {
      await discordCall(() => rest().patch(Routes.channelMessage(input.channelId, input.messageId), { body: { ...input.card, allowed_mentions: { parse: [] } } }));
    },

    /** A DM; a member who does not accept DMs is `refused`, for the caller to report. */
    async tellMember(input: { guildId: string; userId: string; content?: string; card?: CardMessage; nonceKey: string }): Promise<'sent' | 'refused'> {
      const body = { ...(input.card ?? { content: input.content ?? '' }), allowed_mentions: { parse: [] }, nonce: nonceFor(input.nonceKey), enforce_nonce: true };
      return discordCall(() => directChannels.send(input.userId, body));
    },

    /** A line in the server's admin alert channel, once per key; without a channel it is only logged. */
    async alertEngagementAdmins(input: { guildId: string; key: string; content: string }): Promise<'posted' | 'no_channel'> {
      const { adminAlertChannelId } = await engagementSettings(database.fork(), input.guildId);
      if (!adminAlertChannelId) {
        Context.current().log.warn('An admin alert has no channel to go to', { guildId: input.guildId, key: input.key, alert: input.content });
        return 'no_channel';
      }
      await discordCall(() =>
        rest().post(Routes.channelMessages(adminAlertChannelId), {
          body: { content: input.content.slice(0, 2000), allowed_mentions: { parse: [] }, nonce: nonceFor(`admin-alert:${input.guildId}:${input.key}`), enforce_nonce: true },
        }),
      );
      return 'posted';
    },

    async sendToPlatform(event: PlatformEvent): Promise<'sent' | 'not_configured'> {
      if (!settings.platform) return 'not_configured';
      await deliverToPlatform(settings.platform, event, Context.current().cancellationSignal);
      return 'sent';
    },

    awardRecognition: (input: Omit<RecognitionInput, 'reply' | 'channelId'> & { points: number }) => database.transaction((em) => awardRecognition(em, input)),

    /**
     * Gives the member their level's role and takes the lower levels' roles away (the higher ones too, where the
     * server demotes). Idempotent: it reads the member's roles first. A member who left is left alone.
     */
    async syncLevelRole(input: { guildId: string; userId: string; level: Level; levelRoleIds: LevelRoleIds; demote: boolean }): Promise<'synced' | 'not_member' | 'no_roles'> {
      if (!Object.values(input.levelRoleIds).some(Boolean)) return 'no_roles';
      const member = await discordCall(() => memberOrNothing(rest(), input.guildId, input.userId));
      if (!member) return 'not_member';
      const wanted = input.levelRoleIds[input.level];
      const headers = { 'x-audit-log-reason': encodeURIComponent(`VIS level: ${input.level}`) };
      for (const level of LEVELS) {
        const roleId = input.levelRoleIds[level];
        if (!roleId || roleId === wanted || !member.roles.includes(roleId)) continue;
        if (isHigher(level, input.level) && !input.demote) continue;
        await refusalsInWords(() => rest().delete(Routes.guildMemberRole(input.guildId, input.userId, roleId), { headers }), ROLE_REFUSALS);
      }
      const keepsHigher = LEVELS.some((level) => isHigher(level, input.level) && !input.demote && input.levelRoleIds[level] && member.roles.includes(input.levelRoleIds[level]!));
      if (wanted && !member.roles.includes(wanted) && !keepsHigher) {
        await refusalsInWords(() => rest().put(Routes.guildMemberRole(input.guildId, input.userId, wanted), { headers }), ROLE_REFUSALS);
      }
      return 'synced';
    },

    replyToInteraction: (input: { reply: { applicationId: string; token: string }; content: string }) => editInteractionReply(rest(), input.reply, input.content),
  };
}

export type EngagementActivities = ReturnType<typeof createEngagementActivities>;
