// Opening the database at start-up. A worker started while PostgreSQL is out of reach (restarting, failing over, a
// network cut) waits for it instead of exiting: a worker replaced during an outage would otherwise exit and be
// replaced again until the outage ends. Only connection failures are waited out; a wrong role or password or a
// failed migration fails at once, as no wait fixes them.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../observability/logger.js';
import { dependencyOutage } from '../outage.js';
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
      // The adapters' own test of a passing database outage (src/outage.ts): the same errors, waited out the same way.
      if (dependencyOutage(error) !== 'database' || Date.now() + waitMs > giveUpAt) throw error;
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
