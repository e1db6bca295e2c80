// Runs each eval conversation through the production path: build the request, call one provider, validate the
// answer, then score the accepted suggestions against the expectations.
import { callProvider, LlmError, type TokenUsage } from '../src/llm/index.js';
import { buildSuggestionRequest } from '../activities/records/prompt/build-request.js';
import { defaultRecordTypes, type RecordTypeConfig } from '../workflows/records/record-types.js';
import { validateSuggestions, type DroppedSuggestion } from '../activities/records/suggestions.js';
import type { Suggestion } from '../workflows/records/suggestions.js';
import type { EvalConversation } from './dataset.js';
import type { EvalProvider } from './provider.js';
import { scoreConversation, type ConversationScore, type ExpectedRecord } from './score.js';

export interface ConversationResult {
  name: string;
  covers: string;
  score: ConversationScore;
  expected: ExpectedRecord[];
  accepted: Suggestion[];
  dropped: DroppedSuggestion[];
  usage: TokenUsage;
  costUsd: number;
  /** The call failed for good: the conversation scores 0. */
  error?: string;
}

const ATTEMPTS = 3;

export async function evaluate(
  conversations: readonly EvalConversation[],
  provider: EvalProvider,
  recordTypes: readonly RecordTypeConfig[] = defaultRecordTypes,
): Promise<ConversationResult[]> {
  const results: ConversationResult[] = [];
  // One at a time: rate limits stay out of the way, and results come back in the dataset's order.
  for (const conversation of conversations) {
    const { name, covers, subjects, messages, targetId, thread, expected } = conversation;
    const request = buildSuggestionRequest({ conversation: messages, targetId, recordTypes, subjects, thread });
    const base = { name, covers, expected };
    try {
      const result = await withRetries(() => callProvider(provider.chain, provider.name, request));
      const check = validateSuggestions(result.toolInput, {
        recordTypes,
        subjects,
        contextMessageIds: messages.map((message) => message.id),
      });
      const score = scoreConversation(check.accepted, expected);
      results.push({ ...base, score, ...check, usage: result.usage, costUsd: result.costUsd });
    } catch (error) {
      // Scoring nothing against the expectations would give a chatter case full marks: a failure earns 0.
      const score = { ...scoreConversation([], expected), score: 0 };
      const usage = { inputTokens: 0, outputTokens: 0 };
      results.push({ ...base, score, accepted: [], dropped: [], usage, costUsd: 0, error: String(error) });
    }
  }
  return results;
}

/** Transient failures (rate limits, overload) get a few more tries, as Temporal would give the activity. */
async function withRetries<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof LlmError) || error.kind !== 'transient' || attempt >= ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, error.info.retryAfterMs ?? 2_000 * attempt));
    }
  }
}
