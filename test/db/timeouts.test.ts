// Every query's time is bounded: a statement stuck behind a lock fails after DATABASE_STATEMENT_TIMEOUT_MS instead
// of holding its pool connection, so an abandoned activity attempt cannot drain the pool.
import pg from 'pg';
import { Database } from '../../src/db/database.js';
import { stewardEntities } from '../../src/features/index.js';
import { SubjectSchema } from '../../src/features/records/store/entities.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db.drop();
});

test('a query behind a lock fails within the statement timeout, and its connection serves the next query', async () => {
  const database = await Database.connect({ url: db.url, poolSize: 1, entities: stewardEntities, statementTimeoutMs: 500 });
  const holder = new pg.Client({ connectionString: db.url });
  await holder.connect();
  try {
    await holder.query('begin');
    await holder.query('lock table subjects in access exclusive mode');
    const started = Date.now();
    const blocked = database.transaction((em) => em.find(SubjectSchema, { guildId: '1' }));
    // 55P03: lock_not_available (lock_timeout), 57014: query_canceled (statement_timeout).
    await expect(blocked).rejects.toMatchObject({ code: expect.stringMatching(/^(55P03|57014)$/) });
    expect(Date.now() - started).toBeLessThan(3_000);
    await holder.query('rollback');
    // The pool's only connection was given back: the next unit of work runs.
    expect(await database.transaction((em) => em.find(SubjectSchema, { guildId: '1' }))).toEqual([]);
  } finally {
    await holder.end();
    await database.close();
  }
});
