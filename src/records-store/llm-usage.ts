// Token usage and estimated cost of LLM calls, per server and flow. Keyed by workflow and activity, so a retried
// activity that reached the write twice counts once.
import type { EntityManager } from '../db/database.js';

export interface LlmUsageEntry {
  id: string;
  guildId: string;
  flow: string;
  provider: string;
  model: string;
  usage: { inputTokens: number; outputTokens: number };
  costUsd: number;
}

export async function recordLlmUsage(em: EntityManager, entry: LlmUsageEntry): Promise<void> {
  await em.execute(
    `insert into llm_usage (id, guild_id, flow, provider, model, input_tokens, output_tokens, cost_usd)
     values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (id) do nothing`,
    [entry.id, entry.guildId, entry.flow, entry.provider, entry.model, entry.usage.inputTokens, entry.usage.outputTokens, entry.costUsd],
  );
}
