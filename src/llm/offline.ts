// The provider used when no API key is configured: no network, no cost, and a result that says it is offline.
import type { LlmProvider, ToolCallRequest } from './types.js';

/** Produces the tool input without a model, from the request alone (e.g. keyword rules over the messages). */
export type OfflineRule = (request: ToolCallRequest) => unknown;

export const offlineModel = 'offline-rules';

/** Offline rules by the name of the tool they answer for; each feature brings the rules of its own tools. */
export type OfflineRules = Readonly<Record<string, OfflineRule>>;

/**
 * A tool without a rule gets `{}`: callers' schemas should accept "nothing found" as an empty answer.
 */
export function createOfflineProvider(rules: OfflineRules = {}): LlmProvider {
  return {
    name: 'offline',
    model: offlineModel,
    callTool: async (request) => ({
      provider: 'offline',
      model: offlineModel,
      toolInput: rules[request.tool.name]?.(request) ?? {},
      usage: { inputTokens: 0, outputTokens: 0 },
      costUsd: 0,
    }),
  };
}
