// Tells a passing outage of what Steward stands on (PostgreSQL, the Temporal service) from a real failure. The
// adapters wait an outage out (a database failing over, Temporal restarting) instead of telling a member
// "something went wrong" for what a minute would fix; an API caller gets a 503 with Retry-After.
import { ServiceError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';

export type Dependency = 'database' | 'temporal';

/** Socket errors seen when a peer is down, restarting or cut off. */
const SOCKET_OUTAGES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);
/** PostgreSQL's connection-exception class (08) and its shutdown codes (57P01-57P03). */
const POSTGRES_OUTAGE = /^(08...|57P0[123])$/;
/** What pg says when its connection dies mid-query or cannot be had in time. */
const POSTGRES_OUTAGE_MESSAGE = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i;
/** gRPC's UNAVAILABLE and DEADLINE_EXCEEDED, once the client's own retries (about 20 s) have run out. */
const TEMPORAL_OUTAGE_CODES = new Set([14, 4]);
/**
 * A workflow that cannot take an Update for now: its workflow task failed (a worker died holding it) and waits for a
 * retry, or too many Updates are in flight. The Update (its id is the interaction's) can simply be sent again.
 */
const WORKFLOW_BUSY = [
  { code: 9, message: /Workflow Task in failed state/i },
  { code: 8, message: /concurrent in-flight updates/i },
];

/** Which dependency is out, when `error` (or its cause) says one is; undefined for anything else. */
export function dependencyOutage(error: unknown): Dependency | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    if (current instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return 'temporal';
    if (current instanceof ServiceError) return temporalOutage(current) ? 'temporal' : undefined;
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (SOCKET_OUTAGES.has(code) || POSTGRES_OUTAGE.test(code))) return 'database';
    if (POSTGRES_OUTAGE_MESSAGE.test(current.message)) return 'database';
  }
  return undefined;
}

function temporalOutage(error: ServiceError): boolean {
  const cause = error.cause as { code?: unknown; message?: string } | undefined;
  if (typeof cause?.code !== 'number') return false;
  const code = cause.code;
  return TEMPORAL_OUTAGE_CODES.has(code) || WORKFLOW_BUSY.some((busy) => busy.code === code && busy.message.test(cause.message ?? error.message));
}

/** In the member's words. */
export function outageWords(dependency: Dependency): string {
  return dependency === 'database'
    ? 'Steward cannot reach its database right now. Please try again in a minute.'
    : 'Steward could not get to that in time (its workflows are restarting or catching up). Please try again in a minute.';
}
