// The Q2Q analysis service's client: `POST {Q2Q_URL}/v1/classify/text` with `{text, userId, contextId?,
// contextType}`, answered `{scores: {confidence, belonging, lang_level_proxy, job_readiness, well_being}, ...}`.
// Every way an attempt can fail is a failure of that attempt for Temporal to retry (the network, a timeout, a 5xx
// or 429, an answer that is malformed, partial or out of range, never stored as scores), except Q2Q saying the
// request itself is wrong (other 4xx): retrying that cannot help.
import { ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';
import { DIMENSIONS, type Dimension, type OutcomeScores } from '../../workflows/engagement/messages.js';

const score = z.number().finite().min(0).max(1);
/** The five scores, all present and in range: anything else is a failed attempt, never stored. */
export const outcomeScoresSchema = z.object(
  Object.fromEntries(DIMENSIONS.map((dimension) => [dimension, score])) as Record<Dimension, typeof score>,
) satisfies z.ZodType<OutcomeScores>;

export interface Q2qConfig {
  url: string;
  apiKey?: string | undefined;
  timeoutMs: number;
}

export interface ClassifyRequest {
  text: string;
  userId: string;
  contextId?: string;
  contextType: string;
}

export interface Q2qAnswer {
  scores: OutcomeScores;
  /** Everything else Q2Q returned (labels, evidence, model version), kept as it came. */
  labels: Record<string, unknown>;
}

export async function classifyText(config: Q2qConfig, request: ClassifyRequest, signal?: AbortSignal): Promise<Q2qAnswer> {
  let response: Response;
  try {
    response = await fetch(`${config.url}/v1/classify/text`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...(config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {}) },
      body: JSON.stringify(request),
      signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(config.timeoutMs)]) : AbortSignal.timeout(config.timeoutMs),
    });
  } catch (error) {
    const timedOut = (error as Error).name === 'TimeoutError';
    throw ApplicationFailure.retryable(timedOut ? `Q2Q did not answer within ${config.timeoutMs} ms` : `Q2Q could not be reached: ${(error as Error).message}`, 'Q2qUnavailable');
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) {
    const message = `Q2Q answered ${response.status}: ${text.slice(0, 200)}`;
    if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) throw ApplicationFailure.nonRetryable(message, 'Q2qRefused');
    throw ApplicationFailure.retryable(message, 'Q2qUnavailable');
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw ApplicationFailure.retryable(`Q2Q answered something that is not JSON: ${text.slice(0, 100)}`, 'Q2qMalformed');
  }
  const { scores, ...labels } = (body && typeof body === 'object' ? body : {}) as { scores?: unknown } & Record<string, unknown>;
  const parsed = outcomeScoresSchema.safeParse(scores);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'scores'}: ${issue.message}`).join('; ');
    throw ApplicationFailure.retryable(`Q2Q's scores are unusable (${problems})`, 'Q2qMalformed');
  }
  return { scores: parsed.data, labels };
}
