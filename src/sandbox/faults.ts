// Fault injection for resilience tests: forced 429s, 5xx and latency on REST routes, and gateway disruptions.
import type { GatewayHub } from './gateway/hub.js';

/** `METHOD /route/:template` as logged in the REST log, or `*` for every route. */
export type RouteSelector = string;

export interface FaultScope {
  /** Only the next N matching calls; unlimited when omitted. */
  times?: number;
  /** Chance (0–1) that a matching call is affected; 1 when omitted. */
  probability?: number;
}

export type FaultAction =
  | { kind: 'rateLimit'; retryAfterMs: number; global: boolean }
  | { kind: 'serverError'; status: number }
  | { kind: 'latency'; ms: number };

interface FaultRule extends FaultScope {
  route: RouteSelector;
  action: FaultAction;
}

export class FaultInjector {
  private rules: FaultRule[] = [];
  /** How many responses each kind of fault has forced so far, for tests that must show their faults happened. */
  readonly injected: Record<FaultAction['kind'], number> = { rateLimit: 0, serverError: 0, latency: 0 };

  constructor(private readonly gateway: GatewayHub) {}

  rateLimit(route: RouteSelector, options: FaultScope & { retryAfterMs?: number; global?: boolean } = {}): void {
    const { retryAfterMs = 100, global = false, ...scope } = options;
    this.rules.push({ route, ...scope, action: { kind: 'rateLimit', retryAfterMs, global } });
  }

  serverError(route: RouteSelector, options: FaultScope & { status?: number } = {}): void {
    const { status = 500, ...scope } = options;
    this.rules.push({ route, ...scope, action: { kind: 'serverError', status } });
  }

  latency(route: RouteSelector, ms: number, scope: FaultScope = {}): void {
    this.rules.push({ route, ...scope, action: { kind: 'latency', ms } });
  }

  /** Closes every gateway connection without a close frame, so clients RESUME. */
  dropGateway(): void {
    this.gateway.dropConnections();
  }

  /** Sends op 7 RECONNECT to every connection. */
  requestReconnect(): void {
    this.gateway.requestReconnect();
  }

  /** Sends op 9 INVALID SESSION; a non-resumable one also forgets the sessions. */
  invalidateSession(resumable: boolean): void {
    this.gateway.invalidateSessions(resumable);
  }

  /** Sends op 1: the server asks for an immediate heartbeat. */
  requestHeartbeat(): void {
    this.gateway.requestHeartbeat();
  }

  clear(): void {
    this.rules = [];
  }

  /** The faults that apply to this call, consuming one use of each "next N calls" rule. */
  take(method: string, route: string): FaultAction[] {
    const key = `${method} ${route}`;
    const actions: FaultAction[] = [];
    for (const rule of this.rules) {
      if (rule.route !== '*' && rule.route !== key) continue;
      if (rule.probability !== undefined && Math.random() >= rule.probability) continue;
      // A call gets one answer: latencies add up, but only the first 429 or 5xx rule that matches is served.
      if (rule.action.kind !== 'latency' && actions.some((action) => action.kind !== 'latency')) continue;
      if (rule.times !== undefined) rule.times--;
      this.injected[rule.action.kind]++;
      actions.push(rule.action);
    }
    this.rules = this.rules.filter((rule) => rule.times === undefined || rule.times > 0);
    return actions;
  }
}
