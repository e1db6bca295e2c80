// Activities of the record review: claim the message, read the conversation from Discord, ask the LLM, write
// confirmed records (idempotently), and show cards through the interaction webhook.
import type { REST } from '@discordjs/rest';
import { Routes, type APIMessage } from 'discord-api-types/v10';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Database } from '../../src/db/database.js';
import { hasMessageContentIntent } from '../../src/discord/message-content.js';
import { fetchContextCandidates } from './conversation.js';
import { availableProviders, callProvider, toActivityFailure, type ProviderChain, type ProviderName } from '../../src/llm/index.js';
import { attributeAuthor } from './attribution.js';
import { selectContext, type ConversationMessage } from './context-window.js';
import { buildSuggestionRequest } from './prompt/build-request.js';
import type { RecordTypeConfig } from '../../workflows/records/record-types.js';
import type { ReviewCard, SourceFacts } from '../../workflows/records/review-card.js';
import type { Subject } from '../../workflows/records/subjects.js';
import type { Suggestion } from '../../workflows/records/suggestions.js';
import { validateSuggestions } from './suggestions.js';
import { findLink, linkMaintainer, listMaintainers } from '../../src/features/records/store/maintainers.js';
import { createRecord, recordedMessageIds } from '../../src/features/records/store/records.js';
import { finishReview, openReview, type FinishReviewInput, type OpenReviewInput } from '../../src/features/records/store/reviews.js';
import { recordSettings } from '../../src/features/records/store/settings.js';
import { listSubjects } from '../../src/features/records/store/subjects.js';
import { recordLlmUsage, type LlmUsageEntry } from '../../src/llm/usage.js';
import { StoreError } from '../../src/db/store-error.js';
import { RECORD_REFUSED } from '../../workflows/records/review-messages.js';
import { discordCall } from '../shared/discord-call.js';
import { createdAt } from '../../src/discord/snowflake.js';
import { nonceFor } from '../shared/nonce.js';
import { DirectChannels } from '../shared/direct-channels.js';

export interface ReviewDependencies {
  database: Database;
  /** Discord's REST API (or the local sandbox's); undefined when this worker has no bot token. */
  discord?: REST;
  llm: ProviderChain;
}

export interface CreateReviewedRecordInput {
  idempotencyKey: string;
  recordId: string;
  guildId: string;
  channelId: string;
  recordType: string;
  description: string;
  subjectId?: string;
  parentId?: string;
  authorId: string;
  authorName?: string;
  sourceMessageIds: string[];
  createdBy: string;
  /** The review's own snapshot of the record types, which the record is checked against. */
  recordTypes: RecordTypeConfig[];
}

export interface SuggestedRecords {
  suggestions: Suggestion[];
  provider: ProviderName;
  dropped: number;
  usage: { model: string; inputTokens: number; outputTokens: number; costUsd: number };
}

export interface SuggestRecordsInput {
  provider: ProviderName;
  conversation: ConversationMessage[];
  targetId: string;
  recordTypes: RecordTypeConfig[];
  subjects: Subject[];
}

export function createReviewActivities({ database, discord, llm }: ReviewDependencies) {
  const rest = (): REST => {
    if (!discord) throw ApplicationFailure.nonRetryable('Discord is not configured on this worker', 'DiscordNotConfigured');
    return discord;
  };
  const directChannels = new DirectChannels(database, rest);

  /** Read from the application's flags, at most every few minutes: an operator may switch the intent on any time. */
  let intentCheck: { at: number; enabled: Promise<boolean> } | undefined;
  const messageContentIntent = (): Promise<boolean> => {
    if (!intentCheck || Date.now() - intentCheck.at > INTENT_CHECK_MS) {
      const enabled = discordCall(() => hasMessageContentIntent(rest()));
      enabled.catch(() => (intentCheck = undefined));
      intentCheck = { at: Date.now(), enabled };
    }
    return intentCheck.enabled;
  };

  return {
    openReview: (input: OpenReviewInput) => database.transaction((em) => openReview(em, input)),

    finishReview: (input: FinishReviewInput) => database.transaction((em) => finishReview(em, input)),

    async gatherConversation(input: { guildId: string; channelId: string; messageId: string; targetMessage?: APIMessage }) {
      const canReadContent = await messageContentIntent();
      const candidates = await discordCall(async () => {
        // Runs started before the adapter passed the resolved target read it over REST.
        const target = input.targetMessage ?? ((await rest().get(Routes.channelMessage(input.channelId, input.messageId))) as APIMessage);
        return fetchContextCandidates(rest(), input.channelId, target, canReadContent);
      });
      const everyId = [
        candidates.target,
        ...candidates.before,
        ...(candidates.thread ? [candidates.thread.starter, ...candidates.thread.parentBefore] : []),
        ...(candidates.replyChain ? [...candidates.replyChain.messages, ...candidates.replyChain.beforeOrigin] : []),
      ].map((message) => message.id);
      const recorded = new Set(await database.transaction((em) => recordedMessageIds(em, input.guildId, everyId)));
      const mark = (message: ConversationMessage) => ({ ...message, alreadyRecorded: recorded.has(message.id) });
      const messages = selectContext({
        target: mark(candidates.target),
        before: candidates.before.map(mark),
        ...(candidates.thread
          ? { thread: { starter: mark(candidates.thread.starter), parentBefore: candidates.thread.parentBefore.map(mark) } }
          : {}),
        ...(candidates.replyChain
          ? {
              replyChain: {
                messages: candidates.replyChain.messages.map(mark),
                beforeOrigin: candidates.replyChain.beforeOrigin.map(mark),
              },
            }
          : {}),
      });
      const sources: SourceFacts = {
        guildId: input.guildId,
        channelId: input.channelId,
        authors: Object.fromEntries(messages.map((message) => [message.authorId, message.authorName])),
        attachmentCounts: Object.fromEntries(messages.map((message) => [message.id, message.attachments.length])),
      };
      return { messages, sources, onlyTarget: !canReadContent };
    },

    async loadReviewCatalogue(guildId: string) {
      return database.transaction(async (em) => {
        const settings = await recordSettings(em, guildId);
        const subjects = await listSubjects(em, guildId);
        return {
          recordTypes: settings.recordTypes,
          subjects: subjects.map(({ id, name }) => ({ id, name })),
          ...(settings.recordsUrl ? { recordsUrl: settings.recordsUrl } : {}),
        };
      });
    },

    /** Idempotent by the entry's id (the review run and the provider), so a retried write counts once. */
    recordSuggestionUsage: (entry: LlmUsageEntry) => database.transaction((em) => recordLlmUsage(em, entry)),

    async listSuggestionProviders(): Promise<ProviderName[]> {
      return availableProviders(llm);
    },

    /**
     * One paid call and nothing else: its usage goes back to the workflow, which records it with an activity of its
     * own, so a database outage is retried there and never calls (and pays) the provider again.
     */
    async suggestRecords(input: SuggestRecordsInput): Promise<SuggestedRecords> {
      const context = Context.current();
      const request = buildSuggestionRequest({
        conversation: input.conversation,
        targetId: input.targetId,
        recordTypes: input.recordTypes,
        subjects: input.subjects,
      });
      try {
        const result = await callProvider(llm, input.provider, request, { signal: context.cancellationSignal });
        const check = validateSuggestions(result.toolInput, {
          recordTypes: input.recordTypes,
          subjects: input.subjects,
          contextMessageIds: input.conversation.map((message) => message.id),
        });
        for (const dropped of check.dropped) context.log.warn('Suggestion dropped', { ...dropped, provider: input.provider });
        return {
          suggestions: check.accepted,
          provider: result.provider,
          dropped: check.dropped.length,
          usage: { model: result.model, ...result.usage, costUsd: result.costUsd },
        };
      } catch (error) {
        throw toActivityFailure(error, input.provider);
      }
    },

    /**
     * Written once per (review, step): a retry or a redelivered click finds the record its key already made. A
     * record the store refuses (its subject was deleted meanwhile, say) fails for good, saying why.
     */
    async createReviewedRecord(input: CreateReviewedRecordInput): Promise<{ recordId: string }> {
      return refusalsAsFinal(() => database.transaction(async (em) => {
        const maintainerId = await maintainerFor(em, input);
        const { record, created } = await createRecord(
          em,
          {
            id: input.recordId,
            idempotencyKey: input.idempotencyKey,
            guildId: input.guildId,
            recordType: input.recordType,
            description: input.description,
            ...(input.subjectId ? { subjectId: input.subjectId } : {}),
            ...(input.parentId ? { parentId: input.parentId } : {}),
            authorDiscordId: input.authorId,
            ...(maintainerId ? { maintainerId } : {}),
            origin: 'discord',
            createdBy: input.createdBy,
            occurredAt: occurredAtOf(input.sourceMessageIds),
            sources: input.sourceMessageIds.map((messageId) => ({ messageId, channelId: input.channelId })),
          },
          input.recordTypes,
        );
        // Seen after a crash between the write's commit and its report: the retry finds the record, writes nothing.
        if (!created) Context.current().log.info('Record found from an earlier attempt', { recordId: record.id, idempotencyKey: input.idempotencyKey });
        return { recordId: record.id };
      }));
    },

    /**
     * The member's word when their card can no longer be edited (Discord retires an interaction's token after 15
     * minutes): a DM, sent once (its nonce and the DM ledger), or nothing when they do not accept DMs.
     */
    async tellReviewerByDm(input: { reviewerId: string; workflowId: string; content: string }): Promise<'sent' | 'refused'> {
      return discordCall(() => directChannels.send(input.reviewerId, { content: input.content, allowed_mentions: { parse: [] }, nonce: nonceFor(`review-dm:${input.workflowId}`), enforce_nonce: true }));
    },

    async showReviewCard(input: { applicationId: string; interactionToken: string; card: ReviewCard }): Promise<void> {
      await discordCall(() =>
        rest().patch(Routes.webhookMessage(input.applicationId, input.interactionToken, '@original'), {
          body: input.card,
          auth: false,
        }),
      );
    },
  };

  /** An existing link wins; otherwise a unique name match is linked and remembered for next time. */
  async function maintainerFor(em: Parameters<typeof findLink>[0], input: CreateReviewedRecordInput): Promise<string | null> {
    const link = await findLink(em, input.guildId, input.authorId);
    if (link) return link.maintainerId;
    const maintainers = await listMaintainers(em, input.guildId);
    const attribution = attributeAuthor(
      { id: input.authorId, username: input.authorName ?? '', displayName: input.authorName },
      { links: [], maintainers },
    );
    if (attribution.kind === 'none') return null;
    await linkMaintainer(em, input.guildId, input.authorId, attribution.maintainerId, 'matched');
    return attribution.maintainerId;
  }

}

/** The latest source message's time, read from its snowflake: a record is dated by the conversation. */
function occurredAtOf(sourceMessageIds: string[]): Date {
  const times = sourceMessageIds.map(createdAt);
  return new Date(Math.max(...times));
}

const INTENT_CHECK_MS = 5 * 60_000;

/** The store's refusals are no transient error: no retry of the same write can succeed. */
async function refusalsAsFinal<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    const reason = error.issues.length > 0 ? error.issues.map((issue) => issue.message).join('; ') : error.message;
    throw ApplicationFailure.nonRetryable(reason, RECORD_REFUSED);
  }
}
