// Events Steward sends the volunteer platform: `POST {PLATFORM_URL}/webhooks/steward`, signed (see
// src/http/signed-webhooks.ts) and carrying an Idempotency-Key, so a retried delivery is one event to the platform.
// A 4xx other than 408/429 is the platform refusing the event itself: final. Anything else is retried.
import { ApplicationFailure } from '@temporalio/activity';
import { signedHeaders } from '../../src/http/signed-webhooks.js';

export interface PlatformConfig {
  url: string;
  secret: string;
}

export interface PlatformEvent {
  /** Stable across retries: the platform's idempotency key. */
  eventId: string;
  type: string;
  guildId: string;
  data: Record<string, unknown>;
}

const TIMEOUT_MS = 15_000;

export async function deliverToPlatform(config: PlatformConfig, event: PlatformEvent, signal?: AbortSignal): Promise<void> {
  const body = JSON.stringify({ id: event.eventId, type: event.type, guild_id: event.guildId, sent_at: new Date().toISOString(), data: event.data });
  let response: Response;
  try {
    response = await fetch(`${config.url}/webhooks/steward`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': event.eventId, ...signedHeaders(config.secret, body) },
      body,
      signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(TIMEOUT_MS)]) : AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw ApplicationFailure.retryable(`The platform could not be reached: ${(error as Error).message}`, 'PlatformUnavailable');
  }
  if (response.ok) return;
  const message = `The platform answered ${response.status}: ${(await response.text().catch(() => '')).slice(0, 200)}`;
  if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) throw ApplicationFailure.nonRetryable(message, 'PlatformRefused');
  throw ApplicationFailure.retryable(message, 'PlatformUnavailable');
}
