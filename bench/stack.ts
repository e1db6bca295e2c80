// What every end-to-end benchmark runs against: a Temporal dev server with npm start's durable settings, or the
// production topology (the full Temporal server on PostgreSQL with 4 history shards, and two workers on the task
// queue wherever a benchmark starts one), and a fresh PostgreSQL database; torn down in reverse order by the
// returned shutdown stack.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { migrations } from '../src/db/migrations/index.js';
import { ShutdownStack } from '../src/lifecycle.js';
import { freePort } from '../src/net.js';
import { createLogger } from '../src/observability/logger.js';
import { resolveTemporalCli } from '../src/temporal/cli.js';
import { startTemporalCluster } from '../src/temporal/cluster.js';
import { startDevServer } from '../src/temporal/dev-server.js';
import { createTestDatabase, dropDatabases, type TestDatabase } from '../test/support/database.js';
import { spawnSteward, type StewardProcess } from '../test/support/steward-process.js';

export type TemporalTopology = 'dev-server' | 'cluster';

export interface BenchStack {
  topology: TemporalTopology;
  temporalAddress: string;
  /** The dev server's process, for CPU accounting. */
  temporalPid: number | undefined;
  db: TestDatabase;
  postgresVersion: string;
  /** Environment every Steward process of this run shares: Temporal, its task queue and the database. */
  stewardEnv: Record<string, string>;
  /**
   * Starts a Steward process (`worker` or `adapters`), stopped with the stack; the caller waits for it to be ready.
   * On the cluster a worker comes with a second one on the same task queue (returned: the first).
   */
  startSteward(role: 'worker' | 'adapters', env?: Record<string, string>): Promise<StewardProcess>;
  /** Every worker started so far, with its Prometheus endpoint, so a benchmark can add up all of them. */
  workers: StartedWorker[];
  shutdown: ShutdownStack;
}

export interface StartedWorker {
  process: StewardProcess;
  metricsUrl: string;
}

export async function startBenchStack({ topology = 'dev-server' }: { topology?: TemporalTopology } = {}): Promise<BenchStack> {
  const shutdown = new ShutdownStack(createLogger({ level: 'warn' }));
  try {
    const folder = mkdtempSync(join(tmpdir(), 'steward-bench-'));
    shutdown.push('temporal folder', async () => rmSync(folder, { recursive: true, force: true }));
    const server = topology === 'cluster' ? await startBenchCluster(folder, shutdown) : await startBenchDevServer(folder, shutdown);
    const db = await createTestDatabase();
    shutdown.push('database', () => db.drop());
    const [version] = await db.query<{ server_version: string }>('show server_version');
    const stewardEnv = {
      TEMPORAL_ADDRESS: server.address,
      TEMPORAL_TASK_QUEUE: `bench-${randomUUID().slice(0, 8)}`,
      DATABASE_URL: db.url,
    };
    const workers: StartedWorker[] = [];
    return {
      topology,
      workers,
      temporalAddress: server.address,
      temporalPid: server.pid,
      db,
      postgresVersion: version?.server_version ?? 'unknown',
      stewardEnv,
      shutdown,
      async startSteward(role, env = {}) {
        const spawnOne = async () => {
          // Each process its own metrics port: two workers on one machine cannot share one.
          const metricsPort = String(await freePort());
          const steward = spawnSteward(role, { ...stewardEnv, HTTP_PORT: '0', ...env, TEMPORAL_METRICS_PORT: metricsPort });
          if (role === 'worker') workers.push({ process: steward, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics` });
          shutdown.push(`steward ${role}`, async () => {
            steward.child.kill('SIGTERM');
            await steward.exited;
          });
          return steward;
        };
        const first = await spawnOne();
        if (role === 'worker' && topology === 'cluster') {
          // The second worker starts once the first has migrated the database (two would race to create tables).
          await migrated(db, first);
          await spawnOne();
        }
        return first;
      },
    };
  } catch (error) {
    await shutdown.unwind();
    throw error;
  }
}

export interface SideBySide<T> {
  devServer: T;
  cluster: T;
}

/**
 * Runs `measure` on a fresh stack of each topology, the dev server first, so every end-to-end benchmark reports the
 * two side by side (one worker on the dev server, two on the cluster, wherever `measure` starts one).
 */
export async function onBothTopologies<T>(measure: (stack: BenchStack) => Promise<T>): Promise<SideBySide<T>> {
  const measured: Partial<SideBySide<T>> = {};
  for (const topology of ['dev-server', 'cluster'] as const) {
    const stack = await startBenchStack({ topology });
    try {
      measured[topology === 'dev-server' ? 'devServer' : 'cluster'] = await measure(stack);
    } finally {
      await stack.shutdown.unwind();
    }
  }
  return measured as SideBySide<T>;
}

/** What the setup line says about the two stacks. */
export const BOTH_TOPOLOGIES =
  'Each topology on a fresh stack: the temporal dev server (SQLite WAL, synchronous=NORMAL, 1 history shard) with one worker process, ' +
  'then the full Temporal server v1.29.1 (PostgreSQL, 4 history shards) with two worker processes on the task queue.';

/** Waits until every committed migration is applied (MikroORM's `mikro_orm_migrations` lists them). */
async function migrated(db: TestDatabase, worker: StewardProcess): Promise<void> {
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; await sleep(200)) {
    if (worker.child.exitCode !== null) throw new Error(`The first worker exited: ${worker.stderr()}`);
    const applied = await db.query<{ count: string }>('select count(*) from mikro_orm_migrations').catch(() => [{ count: '0' }]);
    if (Number(applied[0]?.count) >= migrations.length) return;
  }
  throw new Error('The first worker did not migrate the database within two minutes');
}

async function startBenchDevServer(folder: string, shutdown: ShutdownStack) {
  const cli = await resolveTemporalCli({ allowDownload: false, explicitPath: process.env.TEMPORAL_CLI_PATH });
  const server = await startDevServer({ cli, port: await freePort(), namespace: 'default', dbFile: join(folder, 'temporal.db'), durability: 'durable' });
  shutdown.push('temporal dev server', () => server.stop());
  return { address: server.address, pid: server.pid };
}

/** The full server on its own databases for this run, dropped afterwards. */
async function startBenchCluster(folder: string, shutdown: ShutdownStack) {
  const cluster = await startTemporalCluster({ folder, databasePrefix: `steward_bench_${randomUUID().slice(0, 8)}_`, progress: (line) => console.log(line) });
  shutdown.push('temporal cluster databases', () => dropDatabases(cluster.databases));
  shutdown.push('temporal cluster', () => cluster.stop());
  return { address: cluster.address, pid: cluster.pid };
}
