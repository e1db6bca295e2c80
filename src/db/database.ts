// The data layer: MikroORM over `pg`. Each unit of work (one activity attempt, one HTTP request) gets its own
// EntityManager fork, so identity maps never leak between concurrent activities.
import type { EntitySchema } from '@mikro-orm/core';
import { MikroORM, type EntityManager, defineConfig } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { migrations } from './migrations/index.js';
import type { Logger } from '../observability/logger.js';

export type { EntityManager };

export interface DatabaseOptions {
  url: string;
  poolSize: number;
  /** Every entity the ORM maps: the features' stores and the platform's (src/features/index.ts lists them). */
  entities: readonly EntitySchema[];
  /**
   * The longest any statement may run, and a transaction may sit idle, before PostgreSQL ends it: an activity
   * attempt that timed out must not hold its connection (and its locks) until the pool runs dry.
   */
  statementTimeoutMs?: number;
  logger?: Logger;
}

export function ormConfig({ url, poolSize, entities, statementTimeoutMs = DEFAULT_STATEMENT_TIMEOUT_MS, logger }: DatabaseOptions) {
  return defineConfig({
    clientUrl: url,
    entities: [...entities],
    extensions: [Migrator],
    pool: { max: poolSize },
    // Passed to `pg`: the server cancels a statement past the limit and closes a session idle in a transaction.
    driverOptions: {
      statement_timeout: statementTimeoutMs,
      lock_timeout: statementTimeoutMs,
      idle_in_transaction_session_timeout: statementTimeoutMs * 2,
      connectionTimeoutMillis: statementTimeoutMs,
    },
    migrations: { migrationsList: migrations, transactional: true, allOrNothing: true, snapshot: false },
    // Schema changes happen through committed migrations only, never by synchronising entities at run time.
    ensureDatabase: false,
    logger: (message) => logger?.debug({ component: 'orm' }, message),
  });
}

const DEFAULT_STATEMENT_TIMEOUT_MS = 10_000;
/** PostgreSQL's invalid_catalog_name: the database a connection asked for does not exist. */
const NO_SUCH_DATABASE = '3D000';

function causedBy(error: unknown, sqlState: string): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    if ((current as { code?: unknown }).code === sqlState) return true;
  }
  return false;
}

export class Database {
  private constructor(readonly orm: MikroORM) {}

  static async connect(options: DatabaseOptions): Promise<Database> {
    return new Database(await MikroORM.init(ormConfig(options)));
  }

  /** Applies pending migrations; returns the names it applied. */
  async migrate(): Promise<string[]> {
    await this.requireExistingDatabase();
    const applied = await this.orm.migrator.up();
    return applied.map((migration) => migration.name);
  }

  /**
   * MikroORM's migrator creates a database that does not exist (whatever `ensureDatabase` says), so a mistyped
   * DATABASE_URL would start Steward on an empty one. It refuses instead, naming the database.
   */
  private async requireExistingDatabase(): Promise<void> {
    try {
      await this.orm.em.getConnection().execute('select 1');
    } catch (error) {
      if (!causedBy(error, NO_SUCH_DATABASE)) throw error;
      const name = this.orm.config.get('dbName');
      throw new Error(`The database "${name}" in DATABASE_URL does not exist; create it or correct DATABASE_URL (Steward never creates databases).`, { cause: error });
    }
  }

  /** Runs `work` in a transaction on a fresh EntityManager fork. */
  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.orm.em.fork().transactional(work);
  }

  /** A fresh EntityManager for reads outside a transaction. */
  fork(): EntityManager {
    return this.orm.em.fork();
  }

  async isReachable(): Promise<boolean> {
    try {
      await this.orm.em.getConnection().execute('select 1');
      return true;
    } catch {
      return false;
    }
  }

  close(): Promise<void> {
    return this.orm.close(true);
  }
}
