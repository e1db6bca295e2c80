// Tells a passing outage of what Steward stands on (PostgreSQL, the Temporal service) from a real failure. The
// adapters wait an outage out (a database failing over, Temporal restarting) instead of telling a member
// "something went wrong" for what a minute would fix; an API caller gets a 503 with Retry-After.
import { ServiceError } from '@temporalio/client';

export type Dependency = 'database' | 'temporal';

/** Socket errors seen when a peer is down, restarting or cut off. */
const SOCKET_OUTAGES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);
/** PostgreSQL's connection-exception class (08) and its shutdown codes (57P01-57P03). */
const POSTGRES_OUTAGE = /^(08...|57P0[123])$/;
/** What pg says when its connection dies mid-query or cannot be had in time. */
const POSTGRES_OUTAGE_MESSAGE = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i;
/** gRPC's UNAVAILABLE and DEADLINE_EXCEEDED, once the client's own retries (about 20 s) have run out. */
const TEMPORAL_OUTAGE_CODES = new Set([14, 4]);

/** Which dependency is out, when `error` (or its cause) says one is; undefined for anything else. */
export function dependencyOutage(error: unknown): Dependency | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    if (current instanceof ServiceError) return temporalOutage(current) ? 'temporal' : undefined;
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (SOCKET_OUTAGES.has(code) || POSTGRES_OUTAGE.test(code))) return 'database';
    if (POSTGRES_OUTAGE_MESSAGE.test(current.message)) return 'database';
  }
  return undefined;
}

function temporalOutage(error: ServiceError): boolean {
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' && TEMPORAL_OUTAGE_CODES.has(code);
}

/** In the member's words. */
export function outageWords(dependency: Dependency): string {
  return dependency === 'database'
    ? 'Steward cannot reach its database right now. Please try again in a minute.'
    : 'Steward cannot reach its workflow service right now. Please try again in a minute.';
}
