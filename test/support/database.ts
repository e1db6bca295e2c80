// Each test file gets its own PostgreSQL database on the real server, created fresh and dropped afterwards.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Database } from '../../src/db/database.js';
import { stewardEntities } from '../../src/features/index.js';

const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  url: string;
  name: string;
  database: Database;
  /** Runs one SQL query on a plain connection, outside the ORM. */
  query<Row extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<Row[]>;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `steward_test_${randomBytes(6).toString('hex')}`;
  await withAdmin((admin) => admin.query(`create database ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await Database.connect({ url: url.toString(), poolSize: 5, entities: stewardEntities });
  await database.migrate();
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  return {
    url: url.toString(),
    name,
    database,
    query: async (sql, params) => (await pool.query(sql, params)).rows,
    async drop() {
      await pool.end();
      await database.close();
      await withAdmin((admin) => admin.query(`drop database if exists ${name} with (force)`));
    },
  };
}

/** Drops databases something else created for the run (a Temporal cluster's), ending their sessions. */
export async function dropDatabases(names: readonly string[]): Promise<void> {
  await withAdmin(async (admin) => {
    for (const name of names) await admin.query(`drop database if exists ${name} with (force)`);
  });
}

async function withAdmin<T>(work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}
