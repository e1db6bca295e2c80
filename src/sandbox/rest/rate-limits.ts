// Discord-style rate limiting: per-route buckets keyed by major parameter, a global per-bot limit, and the headers.
import { createHash } from 'node:crypto';

export interface Window {
  limit: number;
  windowMs: number;
}

export interface RateLimitOptions {
  /** Disables all limits (headers are still sent). Defaults to true. */
  enabled?: boolean;
  /** Requests per second per bot across routes; interaction endpoints are exempt, as on Discord. */
  globalPerSecond?: number;
  /** Overrides by `METHOD /template`. */
  routes?: Record<string, Window>;
  /** Limit for routes without their own entry. */
  defaultRoute?: Window;
}

const DEFAULT_ROUTES: Record<string, Window> = {
  'POST /channels/:channel_id/messages': { limit: 5, windowMs: 5000 },
  'PUT /channels/:channel_id/messages/:message_id/reactions/:emoji/@me': { limit: 1, windowMs: 250 },
  'DELETE /channels/:channel_id/messages/:message_id/reactions/:emoji/@me': { limit: 1, windowMs: 250 },
  'DELETE /channels/:channel_id/messages/:message_id': { limit: 5, windowMs: 1000 },
  'PATCH /guilds/:guild_id/members/:user_id': { limit: 10, windowMs: 10_000 },
  'PUT /guilds/:guild_id/bans/:user_id': { limit: 5, windowMs: 5000 },
  'POST /guilds/:guild_id/channels': { limit: 5, windowMs: 5000 },
};

export interface Verdict {
  headers: Record<string, string>;
  /** Set when the request must be answered with 429. */
  limited?: { retryAfterMs: number; global: boolean };
}

interface Bucket {
  resetAt: number;
  used: number;
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

export class RateLimiter {
  private options: Required<RateLimitOptions>;
  private readonly buckets = new Map<string, Bucket>();
  private readonly global = new Map<string, Bucket>();

  constructor(options: RateLimitOptions = {}) {
    this.options = this.merge(options);
  }

  configure(options: RateLimitOptions): void {
    this.options = this.merge({ ...this.options, ...options, routes: { ...this.options.routes, ...options.routes } });
    this.buckets.clear();
  }

  /** Counts one request and returns the headers Discord would send, plus a 429 verdict when over a limit. */
  check(botId: string | undefined, routeKey: string, majorParameter: string, exemptFromGlobal: boolean): Verdict {
    const now = Date.now();
    if (this.options.enabled && botId && !exemptFromGlobal) {
      const global = this.take(this.global, botId, { limit: this.options.globalPerSecond, windowMs: 1000 }, now);
      if (global.used > this.options.globalPerSecond) {
        const retryAfterMs = global.resetAt - now;
        return { headers: { 'X-RateLimit-Global': 'true', 'X-RateLimit-Scope': 'global' }, limited: { retryAfterMs, global: true } };
      }
    }
    const window = this.options.routes[routeKey] ?? this.options.defaultRoute;
    const bucket = this.take(this.buckets, `${botId ?? ''}:${routeKey}:${majorParameter}`, window, now);
    const resetAfter = bucket.resetAt - now;
    const headers = {
      'X-RateLimit-Limit': String(window.limit),
      'X-RateLimit-Remaining': String(Math.max(0, window.limit - bucket.used)),
      'X-RateLimit-Reset': seconds(bucket.resetAt),
      'X-RateLimit-Reset-After': seconds(resetAfter),
      'X-RateLimit-Bucket': createHash('sha1').update(routeKey).digest('hex').slice(0, 32),
    };
    if (this.options.enabled && bucket.used > window.limit) {
      return { headers: { ...headers, 'X-RateLimit-Scope': 'user' }, limited: { retryAfterMs: resetAfter, global: false } };
    }
    return { headers };
  }

  private take(map: Map<string, Bucket>, key: string, window: Window, now: number): Bucket {
    let bucket = map.get(key);
    if (!bucket || bucket.resetAt <= now) map.set(key, (bucket = { resetAt: now + window.windowMs, used: 0 }));
    bucket.used++;
    return bucket;
  }

  private merge(options: RateLimitOptions): Required<RateLimitOptions> {
    return {
      enabled: options.enabled ?? true,
      globalPerSecond: options.globalPerSecond ?? 50,
      routes: { ...DEFAULT_ROUTES, ...options.routes },
      defaultRoute: options.defaultRoute ?? { limit: 50, windowMs: 1000 },
    };
  }
}

/** Discord's 429 body; `retry_after` is in seconds. */
export function rateLimitedBody(retryAfterMs: number, global: boolean): Record<string, unknown> {
  return { message: 'You are being rate limited.', retry_after: Number((retryAfterMs / 1000).toFixed(3)), global };
}
