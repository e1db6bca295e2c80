// What every end-to-end benchmark runs against: a Temporal dev server with npm start's durable settings and a
// fresh PostgreSQL database, torn down in reverse order by the returned shutdown stack.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { ShutdownStack } from '../src/lifecycle.js';
import { freePort } from '../src/net.js';
import { createLogger } from '../src/observability/logger.js';
import { resolveTemporalCli } from '../src/temporal/cli.js';
import { startDevServer } from '../src/temporal/dev-server.js';
import { createTestDatabase, type TestDatabase } from '../test/support/database.js';
import { spawnSteward, type StewardProcess } from '../test/support/steward-process.js';

export interface BenchStack {
  temporalAddress: string;
  /** The dev server's process, for CPU accounting. */
  temporalPid: number | undefined;
  db: TestDatabase;
  postgresVersion: string;
  /** Environment every Steward process of this run shares: Temporal, its task queue and the database. */
  stewardEnv: Record<string, string>;
  /** Starts a Steward process (`worker` or `adapters`), stopped with the stack; the caller waits for it to be ready. */
  startSteward(role: 'worker' | 'adapters', env?: Record<string, string>): Promise<StewardProcess>;
  shutdown: ShutdownStack;
}

export async function startBenchStack(): Promise<BenchStack> {
  const shutdown = new ShutdownStack(createLogger({ level: 'warn' }));
  try {
    const cli = await resolveTemporalCli({ allowDownload: false, explicitPath: process.env.TEMPORAL_CLI_PATH });
    const folder = mkdtempSync(join(tmpdir(), 'steward-bench-'));
    shutdown.push('temporal folder', async () => rmSync(folder, { recursive: true, force: true }));
    const server = await startDevServer({
      cli,
      port: await freePort(),
      namespace: 'default',
      dbFile: join(folder, 'temporal.db'),
      durability: 'durable',
    });
    shutdown.push('temporal dev server', () => server.stop());
    const db = await createTestDatabase();
    shutdown.push('database', () => db.drop());
    const [version] = await db.query<{ server_version: string }>('show server_version');
    const stewardEnv = {
      TEMPORAL_ADDRESS: server.address,
      TEMPORAL_TASK_QUEUE: `bench-${randomUUID().slice(0, 8)}`,
      DATABASE_URL: db.url,
    };
    return {
      temporalAddress: server.address,
      temporalPid: server.pid,
      db,
      postgresVersion: version?.server_version ?? 'unknown',
      stewardEnv,
      shutdown,
      async startSteward(role, env = {}) {
        const steward = spawnSteward(role, {
          ...stewardEnv,
          TEMPORAL_METRICS_PORT: String(await freePort()),
          HTTP_PORT: '0',
          ...env,
        });
        shutdown.push(`steward ${role}`, async () => {
          steward.child.kill('SIGTERM');
          await steward.exited;
        });
        return steward;
      },
    };
  } catch (error) {
    await shutdown.unwind();
    throw error;
  }
}
