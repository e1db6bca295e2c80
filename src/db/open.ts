// Opening the database at start-up. A worker started while PostgreSQL is out of reach (restarting, failing over, a
// network cut) waits for it instead of exiting: a worker replaced during an outage would otherwise exit and be
// replaced again until the outage ends. Only connection failures are waited out; a wrong role or password or a
// failed migration fails at once, as no wait fixes them.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../observability/logger.js';
import { Database, type DatabaseOptions } from './database.js';

export interface OpenOptions {
  /** Applies pending migrations once connected (the worker's process does; the adapters do not). */
  migrate: boolean;
  logger: Logger;
  /** How long PostgreSQL may stay out of reach before start-up fails. */
  patienceMs?: number;
}

export interface OpenedDatabase {
  database: Database;
  /** The migrations this start applied. */
  applied: string[];
}

const DEFAULT_PATIENCE_MS = 5 * 60_000;
const FIRST_WAIT_MS = 250;
const LONGEST_WAIT_MS = 5_000;

export async function openDatabase(options: DatabaseOptions, { migrate, logger, patienceMs = DEFAULT_PATIENCE_MS }: OpenOptions): Promise<OpenedDatabase> {
  const giveUpAt = Date.now() + patienceMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await connectOnce(options, migrate);
    } catch (error) {
      const waitMs = Math.min(FIRST_WAIT_MS * 2 ** (attempt - 1), LONGEST_WAIT_MS);
      if (!isConnectionFailure(error) || Date.now() + waitMs > giveUpAt) throw error;
      logger.warn({ attempt, retryInMs: waitMs, reason: (error as Error).message }, 'PostgreSQL is out of reach; waiting for it');
      await sleep(waitMs);
    }
  }
}

async function connectOnce(options: DatabaseOptions, migrate: boolean): Promise<OpenedDatabase> {
  const database = await Database.connect(options);
  try {
    // Without migrations nothing is sent yet: the adapters start without PostgreSQL, as answering Discord needs none.
    return { database, applied: migrate ? await database.migrate() : [] };
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
}

/** Node's socket errors and PostgreSQL's "connection exception" and "not accepting connections now" classes. */
const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);
const CONNECTION_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Connection ended unexpectedly|the database system is (starting up|shutting down)/i;

/** Whether an error (or one it wraps) says the link to PostgreSQL failed, rather than what was sent over it. */
export function isConnectionFailure(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (CONNECTION_ERROR_CODES.has(code) || code.startsWith('08') || code === '57P01' || code === '57P03')) return true;
    if (CONNECTION_MESSAGES.test(current.message)) return true;
  }
  return false;
}
