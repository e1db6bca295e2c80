// A worker started during a PostgreSQL outage waits for it and starts once it is back; a database that is wrong
// rather than unreachable fails at once.
import { Writable } from 'node:stream';
import { startPostgresProxy, type PostgresProxy } from '../../bench/chaos/postgres-proxy.js';
import { openDatabase } from '../../src/db/open.js';
import { dependencyOutage } from '../../src/outage.js';
import { stewardEntities } from '../../src/features/index.js';
import { createLogger } from '../../src/observability/logger.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let db: TestDatabase;
let proxy: PostgresProxy;
const warnings: string[] = [];
const logger = createLogger({
  level: 'warn',
  destination: new Writable({
    write(chunk: Buffer, _encoding, done) {
      warnings.push(...chunk.toString().split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { msg: string }).msg));
      done();
    },
  }),
});

beforeAll(async () => {
  db = await createTestDatabase();
  proxy = await startPostgresProxy();
});

afterAll(async () => {
  await proxy.close();
  await db.drop();
});

test('started during a cut, the worker waits it out and migrates once PostgreSQL answers', async () => {
  const cut = proxy.cut(2_000);
  const refusedBefore = proxy.connectionsCut;
  const started = Date.now();
  const { database, applied } = await openDatabase(
    { url: proxy.urlFor(db.url), poolSize: 2, entities: stewardEntities },
    { migrate: true, logger },
  );
  await cut;
  // The cut refused its connections, the start was logged as waiting, and it went on only after the cut.
  expect(proxy.connectionsCut).toBeGreaterThan(refusedBefore);
  expect(warnings).toContain('PostgreSQL is out of reach; waiting for it');
  expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
  expect(applied).toEqual([]);
  expect(await database.isReachable()).toBe(true);
  await database.close();
});

test('a role PostgreSQL does not know fails at once, without waiting', async () => {
  const stranger = new URL(db.url);
  stranger.username = 'steward_no_such_role';
  warnings.length = 0;
  const started = Date.now();
  await expect(openDatabase({ url: stranger.toString(), poolSize: 1, entities: stewardEntities }, { migrate: true, logger })).rejects.toThrow(/role "steward_no_such_role" does not exist/);
  expect(warnings).toEqual([]);
  expect(Date.now() - started).toBeLessThan(5_000);
});

test('a database that does not exist fails at once, naming it, and is not created', async () => {
  const missing = new URL(db.url);
  missing.pathname = `/${db.name}_missing`;
  warnings.length = 0;
  await expect(openDatabase({ url: missing.toString(), poolSize: 1, entities: stewardEntities }, { migrate: true, logger })).rejects.toThrow(
    `The database "${db.name}_missing" in DATABASE_URL does not exist`,
  );
  expect(warnings).toEqual([]);
  expect(await db.query('select 1 from pg_database where datname = $1', [`${db.name}_missing`])).toEqual([]);
});

test('an outage longer than the patience fails the start with the driver’s reason', async () => {
  const cut = proxy.cut(3_000);
  const failure = await openDatabase({ url: proxy.urlFor(db.url), poolSize: 1, entities: stewardEntities }, { migrate: true, logger, patienceMs: 1_000 }).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(Error);
  expect(dependencyOutage(failure)).toBe('database');
  await cut;
});
