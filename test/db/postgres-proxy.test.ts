// The chaos suite's PostgreSQL cut, against the real server: open connections die mid-session, new ones are
// refused while the cut lasts, and a pool reconnects once it is over.
import pg from 'pg';
import { startPostgresProxy, type PostgresProxy } from '../../bench/chaos/postgres-proxy.js';

let proxy: PostgresProxy;
let pool: pg.Pool;

beforeAll(async () => {
  proxy = await startPostgresProxy();
  pool = new pg.Pool({ connectionString: proxy.urlFor('postgresql://postgres@127.0.0.1:5432/postgres'), max: 2 });
  // A pool whose idle client dies emits 'error'; the pool replaces it.
  pool.on('error', () => undefined);
});

afterAll(async () => {
  await pool.end();
  await proxy.close();
});

test('a cut ends open connections and refuses new ones until it is over; then queries work again', async () => {
  const held = await pool.connect();
  const closed = new Promise<Error>((resolve) => held.once('error', resolve));
  expect((await held.query<{ one: number }>('select 1 as one')).rows).toEqual([{ one: 1 }]);

  const cut = proxy.cut(1_500);
  expect((await closed).message).toMatch(/terminated|ECONNRESET|Connection/i);
  held.release(true);
  await expect(pool.query('select 1')).rejects.toThrow();
  expect(proxy.connectionsCut).toBeGreaterThanOrEqual(2);

  await cut;
  expect((await pool.query<{ two: number }>('select 2 as two')).rows).toEqual([{ two: 2 }]);
});
