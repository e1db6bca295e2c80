// The REST v10 request pipeline: routing, bot authentication, faults, rate limits, body parsing, errors and the REST log.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RestLogEntry } from '../core.js';
import { ApiError, notFound, unauthorized } from '../errors.js';
import type { FaultInjector } from '../faults.js';
import type { Services } from '../services.js';
import type { ApplicationRecord } from '../state.js';
import { parseBody } from './body.js';
import { RateLimiter, rateLimitedBody, type RateLimitOptions } from './rate-limits.js';
import { Router, type RestRequest } from './router.js';
import { channelRoutes } from './routes/channels.js';
import { guildRoutes } from './routes/guilds.js';
import { scheduledEventRoutes } from './routes/scheduled-events.js';
import { inviteRoutes } from './routes/invites.js';
import { interactionRoutes } from './routes/interactions.js';
import { messageRoutes } from './routes/messages.js';
import { metaRoutes } from './routes/meta.js';

const LOG_CAPACITY = 10_000;

interface Reply {
  status: number;
  body?: unknown;
  headers: Record<string, string>;
  errorCode?: number;
}

function majorParameter(params: Record<string, string>): string {
  return params.channel_id ?? params.guild_id ?? (params.webhook_id ? `${params.webhook_id}/${params.webhook_token}` : params.interaction_id ?? '');
}

export class RestApi {
  readonly rateLimits: RateLimiter;
  private readonly router = new Router();
  private log: RestLogEntry[] = [];

  constructor(
    private readonly services: Services,
    private readonly faults: FaultInjector,
    rateLimits: RateLimitOptions | undefined,
    gatewayUrl: () => string,
  ) {
    this.rateLimits = new RateLimiter(rateLimits);
    this.router.add(
      ...metaRoutes(services, gatewayUrl),
      ...messageRoutes(services),
      ...channelRoutes(services),
      ...guildRoutes(services),
      ...scheduledEventRoutes(services),
      ...inviteRoutes(services),
      ...interactionRoutes(services),
    );
  }

  entries(): RestLogEntry[] {
    return [...this.log];
  }

  /** Handles `path` relative to `/api/v10`. */
  async handle(request: IncomingMessage, response: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
    const started = performance.now();
    const method = request.method ?? 'GET';
    const match = this.router.match(method, path);
    const route = match && 'route' in match ? match.route : undefined;
    const template = route?.template ?? path;
    const header = request.headers['x-audit-log-reason'];
    const auditLogReason = typeof header === 'string' ? decodeURIComponent(header) : undefined;
    let body: unknown;
    const reply = await this.process(request, method, path, query, match, (parsed) => (body = parsed), auditLogReason);
    response.writeHead(reply.status, { ...reply.headers, ...(reply.body !== undefined ? { 'content-type': 'application/json' } : {}) });
    response.end(reply.body !== undefined ? JSON.stringify(reply.body) : undefined);
    const entry: RestLogEntry = {
      method,
      route: template,
      path,
      status: reply.status,
      timestamp: Date.now(),
      durationMs: performance.now() - started,
      ...(auditLogReason !== undefined ? { auditLogReason } : {}),
      ...(reply.errorCode !== undefined ? { errorCode: reply.errorCode } : {}),
      ...(body !== undefined ? { body } : {}),
    };
    this.log.push(entry);
    if (this.log.length > LOG_CAPACITY * 2) this.log = this.log.slice(-LOG_CAPACITY);
    this.services.core.events.emit('rest', entry);
  }

  private authenticate(request: IncomingMessage): ApplicationRecord | undefined {
    const authorization = request.headers.authorization ?? '';
    if (!authorization.startsWith('Bot ')) return undefined;
    return this.services.core.state.applicationByToken(authorization.slice(4));
  }

  private async process(
    request: IncomingMessage,
    method: string,
    path: string,
    query: URLSearchParams,
    match: ReturnType<Router['match']>,
    onBody: (body: unknown) => void,
    auditLogReason: string | undefined,
  ): Promise<Reply> {
    if (!match) return this.error(notFound(), {});
    if (!('route' in match)) return { status: 405, body: { message: '405: Method Not Allowed', code: 0 }, headers: { allow: match.allowed.join(', ') } };
    const { route, params } = match;
    const app = route.auth === false ? undefined : this.authenticate(request);
    if (route.auth !== false && !app) return this.error(unauthorized(), {});
    const routeKey = `${method} ${route.template}`;
    for (const fault of this.faults.take(method, route.template)) {
      if (fault.kind === 'latency') await sleep(fault.ms);
      else if (fault.kind === 'serverError') return { status: fault.status, body: { message: `${fault.status}: Internal Server Error`, code: 0 }, headers: {} };
      else return this.tooManyRequests(fault.retryAfterMs, fault.global, { 'X-RateLimit-Scope': fault.global ? 'global' : 'user' });
    }
    const exempt = route.template.startsWith('/interactions') || route.template.startsWith('/webhooks');
    const verdict = this.rateLimits.check(app?.id, routeKey, majorParameter(params), exempt);
    if (verdict.limited) return this.tooManyRequests(verdict.limited.retryAfterMs, verdict.limited.global, verdict.headers);
    try {
      const { body, files } = await parseBody(request);
      onBody(body);
      const restRequest: RestRequest = { method, path, params, query, body, files, headers: request.headers, ...(app ? { app } : {}), ...(auditLogReason !== undefined ? { auditLogReason } : {}) };
      const result = await route.handler(restRequest);
      return { status: result.status, ...(result.body !== undefined ? { body: result.body } : {}), headers: verdict.headers };
    } catch (error) {
      if (error instanceof ApiError) return this.error(error, verdict.headers);
      console.error('[discord-sandbox] route failed', routeKey, error);
      return { status: 500, body: { message: '500: Internal Server Error', code: 0 }, headers: verdict.headers };
    }
  }

  private error(error: ApiError, headers: Record<string, string>): Reply {
    return { status: error.status, body: error.body, headers, errorCode: error.code };
  }

  private tooManyRequests(retryAfterMs: number, global: boolean, headers: Record<string, string>): Reply {
    const retryAfter = (retryAfterMs / 1000).toFixed(3);
    return {
      status: 429,
      body: rateLimitedBody(retryAfterMs, global),
      headers: {
        'X-RateLimit-Limit': headers['X-RateLimit-Limit'] ?? '1',
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-Reset': ((Date.now() + retryAfterMs) / 1000).toFixed(3),
        'X-RateLimit-Reset-After': retryAfter,
        ...headers,
        'Retry-After': retryAfter,
        ...(global ? { 'X-RateLimit-Global': 'true' } : {}),
      },
    };
  }
}
