// An embedded PostgreSQL for `npm start` without DATABASE_URL: PGlite (PostgreSQL compiled to WASM) served over
// the PostgreSQL wire protocol, so the same `pg` driver and migrations run against it as against a real server.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/** PGlite runs one query at a time; the socket server queues the rest, so a small pool is enough. */
export const EMBEDDED_POOL_SIZE = 4;

export async function startEmbeddedPostgres(dataDir: string, port: number): Promise<EmbeddedPostgres> {
  const folder = join(dataDir, 'pglite');
  mkdirSync(folder, { recursive: true });
  const db = await PGlite.create(folder);
  const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections: EMBEDDED_POOL_SIZE * 2 });
  await server.start();
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
