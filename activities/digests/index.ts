// Weekly digests' I/O: the server's digest rules, every feature's section (through the manifests' sources), the
// summary paragraph from the LLM chain, and Discord: the digest channel (each part once: a part recorded as posted
// is not posted again, and a retried post carries the same nonce), a member's preview, subscribers' DMs, and the
// admins' alert channel.
import type { REST } from '@discordjs/rest';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { MessageFlags, Routes, type APIMessage } from 'discord-api-types/v10';
import { z } from 'zod';
import type { Database } from '../../src/db/database.js';
import type { DigestSectionSource } from '../../src/features/feature.js';
import type { DigestsEnv } from '../../src/features/digests/env.js';
import { digestSettings, rulesOf } from '../../src/features/digests/settings.js';
import { digestSubscribers, postedPart, recordPostedPart } from '../../src/features/digests/store/digests.js';
import { callProvider, availableProviders, toActivityFailure, type ProviderChain } from '../../src/llm/index.js';
import type { DigestMessage, DigestRules } from '../../workflows/digests/messages.js';
import type { DigestPeriod, DigestSection } from '../../workflows/shared/digest.js';
import { discordCall, refusalsInWords } from '../shared/discord-call.js';
import { DirectChannels } from '../shared/direct-channels.js';
import { nonceFor } from '../shared/nonce.js';
import { buildSummaryRequest } from './summary-prompt.js';

export interface DigestDependencies {
  database: Database;
  discord?: REST;
  llm: ProviderChain;
  settings: DigestsEnv;
  /** Every feature's section source, in digest order. */
  sections: () => readonly DigestSectionSource[];
}

const POST_REFUSALS = {
  50001: 'Steward cannot see the digest channel (give it View Channel there).',
  50013: 'Steward may not post in the digest channel (give it Send Messages and Embed Links there).',
  10003: 'The digest channel no longer exists (choose another with /config digest set).',
} as const;

const summarySchema = z.object({ summary: z.string().trim().min(1).max(800) });

export function createDigestActivities({ database, discord, llm, settings, sections }: DigestDependencies) {
  const rest = (): REST => {
    if (!discord) throw ApplicationFailure.nonRetryable('Discord is not configured on this worker', 'DiscordNotConfigured');
    return discord;
  };
  const directChannels = new DirectChannels(database, rest);

  return {
    loadDigestRules: async ({ guildId }: { guildId: string }): Promise<DigestRules> => rulesOf(await digestSettings(database.fork(), guildId), settings.retrySeconds),

    digestSectionNames: async (): Promise<string[]> => sections().map((source) => source.name),

    async gatherDigestSection({ name, period }: { name: string; period: DigestPeriod }): Promise<DigestSection | null> {
      const source = sections().find((candidate) => candidate.name === name);
      if (!source) throw ApplicationFailure.nonRetryable(`No feature gives a digest section called ${name}`, 'UnknownSection');
      return source.gather(period);
    },

    /** The summary paragraph and who wrote it (a model, or the offline rules): the digest says which. */
    async summariseDigest({ sections: week }: { guildId: string; sections: DigestSection[] }): Promise<{ text: string; writtenBy: string }> {
      const context = Context.current();
      let lastFailure: ApplicationFailure | undefined;
      for (const provider of availableProviders(llm)) {
        try {
          const result = await callProvider(llm, provider, buildSummaryRequest(week), { signal: context.cancellationSignal });
          const parsed = summarySchema.safeParse(result.toolInput);
          if (!parsed.success) throw new Error(`${provider} answered outside the summary's shape`);
          return { text: parsed.data.summary, writtenBy: result.provider === 'offline' ? "Steward's offline rules (no model configured)" : `${result.provider} (${result.model})` };
        } catch (error) {
          lastFailure = toActivityFailure(error, provider);
          context.log.warn('A model could not summarise the digest; trying the next one', { provider, type: lastFailure.type });
        }
      }
      throw ApplicationFailure.retryable(`No model could summarise the digest: ${lastFailure?.message ?? 'no provider'}`, 'SummaryUnavailable');
    },

    /** Posts one part of a week's digest in its channel, unless it was posted before. */
    async postDigestPart({ guildId, channelId, periodEnd, part, message }: { guildId: string; channelId: string; periodEnd: string; part: number; message: DigestMessage }): Promise<string> {
      const target = `channel:${part}`;
      const posted = await postedPart(database.fork(), guildId, periodEnd, target);
      if (posted) return posted;
      const sent = (await refusalsInWords(
        () => rest().post(Routes.channelMessages(channelId), { body: { ...message, allowed_mentions: { parse: [] }, nonce: nonceFor(`digest:${guildId}:${periodEnd}:${part}`), enforce_nonce: true } }),
        POST_REFUSALS,
      )) as APIMessage;
      await recordPostedPart(database.fork(), { guildId, periodEnd, target, messageId: sent.id });
      return sent.id;
    },

    /** A preview: the first part in the command's deferred reply, the rest as ephemeral follow-ups. */
    async replyWithDigest({ reply, messages }: { reply: { applicationId: string; token: string }; messages: DigestMessage[] }): Promise<void> {
      const [first, ...rest_] = messages;
      await discordCall(() => rest().patch(Routes.webhookMessage(reply.applicationId, reply.token, '@original'), { body: { ...first, allowed_mentions: { parse: [] } }, auth: false }));
      for (const message of rest_) {
        await discordCall(() => rest().post(Routes.webhook(reply.applicationId, reply.token), { body: { ...message, flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } }, auth: false }));
      }
    },

    /** DMs the digest to each subscriber, each part once; members who do not accept DMs are skipped. */
    async sendDigestToSubscribers({ guildId, periodEnd, messages }: { guildId: string; periodEnd: string; messages: DigestMessage[] }): Promise<number> {
      let sent = 0;
      for (const userId of await digestSubscribers(database.fork(), guildId)) {
        let refused = false;
        for (const [part, message] of messages.entries()) {
          const target = `dm:${userId}:${part}`;
          if (await postedPart(database.fork(), guildId, periodEnd, target)) continue;
          const outcome = await directChannels.send(userId, { ...message, allowed_mentions: { parse: [] }, nonce: nonceFor(`digest-dm:${guildId}:${periodEnd}:${userId}:${part}`), enforce_nonce: true });
          if (outcome === 'refused') {
            refused = true;
            break;
          }
          await recordPostedPart(database.fork(), { guildId, periodEnd, target, messageId: 'dm' });
        }
        if (!refused) sent++;
        Context.current().heartbeat(sent);
      }
      return sent;
    },

    /** Tells the admins in their alert channel, when the server has one; a refusal there is not worth failing over. */
    async alertDigestAdmins({ alertChannelId, content, nonceKey }: { alertChannelId: string | null; content: string; nonceKey: string }): Promise<boolean> {
      if (!alertChannelId) return false;
      try {
        await discordCall(() => rest().post(Routes.channelMessages(alertChannelId), { body: { content, allowed_mentions: { parse: [] }, nonce: nonceFor(nonceKey), enforce_nonce: true } }));
        return true;
      } catch (error) {
        if (error instanceof ApplicationFailure && error.type === 'DiscordRefused') return false;
        throw error;
      }
    },
  };
}

export type DigestActivities = ReturnType<typeof createDigestActivities>;
