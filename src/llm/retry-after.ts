// How long a provider asked us to wait before retrying: HTTP headers (Anthropic, OpenAI) or Google's RetryInfo detail.
import { record } from './json.js';

export function retryAfterMs(headers: Headers | undefined, body: unknown): number | undefined {
  return fromRetryAfterMsHeader(headers) ?? fromRetryAfterHeader(headers) ?? fromGoogleRetryInfo(body);
}

function fromRetryAfterMsHeader(headers: Headers | undefined): number | undefined {
  return nonNegative(Number.parseFloat(headers?.get('retry-after-ms') ?? ''));
}

/** `retry-after` holds either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
function fromRetryAfterHeader(headers: Headers | undefined): number | undefined {
  const value = headers?.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return nonNegative(Number.parseFloat(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** `{ error: { details: [{ '@type': '…google.rpc.RetryInfo', retryDelay: '12.5s' }] } }` */
function fromGoogleRetryInfo(body: unknown): number | undefined {
  const details = record(record(body)?.error)?.details;
  if (!Array.isArray(details)) return undefined;
  for (const detail of details) {
    const delay = record(detail)?.retryDelay;
    const seconds = typeof delay === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(delay)?.[1] : undefined;
    if (seconds !== undefined) return nonNegative(Number.parseFloat(seconds) * 1000);
  }
  return undefined;
}

function nonNegative(ms: number): number | undefined {
  return Number.isFinite(ms) && ms >= 0 ? Math.round(ms) : undefined;
}
