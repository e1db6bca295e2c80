// Token usage and estimated cost of LLM calls, per server and flow. Keyed by workflow and activity, so a retried
// activity that reached the write twice counts once.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { EntityManager } from '../db/database.js';

/** LLM tokens and estimated cost, per server and flow; one row per successful call. */
export const LlmUsageSchema = defineEntity({
  name: 'LlmUsage',
  tableName: 'llm_usage',
  properties: {
    id: p.string().length(200).primary(),
    guildId: p.string().length(20).index(),
    flow: p.string().length(50),
    provider: p.string().length(20),
    model: p.string().length(100),
    inputTokens: p.integer(),
    outputTokens: p.integer(),
    costUsd: p.decimal().precision(12).scale(6),
    createdAt: p.datetime().defaultRaw('now()'),
  },
});
export type LlmUsage = InferEntity<typeof LlmUsageSchema>;

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
  const { usage, ...row } = entry;
  await em
    .createQueryBuilder(LlmUsageSchema)
    .insert({ ...row, inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, costUsd: String(entry.costUsd) })
    .onConflict('id')
    .ignore()
    .execute('run');
}
