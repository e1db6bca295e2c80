// The spine's benchmark: ping workflows (HTTP-less: client → Temporal → worker → PostgreSQL → result) against
// a local dev server with npm start's durable SQLite settings, and a worker in its own process, as in production.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import { freePort } from '../src/net.js';
import { resolveTemporalCli } from '../src/temporal/cli.js';
import { startDevServer } from '../src/temporal/dev-server.js';
import { ping } from '../workflows/ping.js';
import { spawnSteward } from '../test/support/steward-process.js';
import { round, runConcurrently, summarize, writeResults } from './stats.js';

const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export async function benchmarkPingFlow() {
  const cli = await resolveTemporalCli({ allowDownload: false, explicitPath: process.env.TEMPORAL_CLI_PATH });
  const folder = mkdtempSync(join(tmpdir(), 'steward-bench-'));
  const server = await startDevServer({
    cli,
    port: await freePort(),
    namespace: 'default',
    dbFile: join(folder, 'temporal.db'),
    durability: 'durable',
  });
  const database = `steward_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${database}`);
  const databaseUrl = Object.assign(new URL(adminUrl), { pathname: `/${database}` }).toString();

  const taskQueue = `bench-${randomUUID().slice(0, 8)}`;
  const worker = spawnSteward('worker', {
    TEMPORAL_ADDRESS: server.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    TEMPORAL_METRICS_PORT: String(await freePort()),
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'warn',
  });
  const client = new Client({ connection: await Connection.connect({ address: server.address }) });
  let peakRssMiB = 0;
  const sampler = setInterval(() => (peakRssMiB = Math.max(peakRssMiB, rssMiB(worker.child.pid))), 200);
  try {
    await waitForWorker(client, taskQueue);
    const runPing = (label: string) => (index: number) =>
      client.workflow.execute(ping, { taskQueue, workflowId: `ping:${label}-${index}-${randomUUID()}`, args: [{ message: 'bench' }] });

    await runConcurrently(50, 8, runPing('warmup'));
    const unloaded = await runConcurrently(200, 1, runPing('unloaded'));
    const latency = await runConcurrently(1_000, 16, runPing('latency'));
    const saturation = await runConcurrently(1_000, 64, runPing('saturation'));
    const figures = {
      unloadedLatencyMs: { concurrency: 1, ...summarize(unloaded.latencies) },
      latencyMs: { concurrency: 16, ...summarize(latency.latencies) },
      latencyThroughputPerSecond: round((1_000 / latency.elapsedMs) * 1000, 1),
      saturation: {
        concurrency: 64,
        workflowsPerSecond: round((1_000 / saturation.elapsedMs) * 1000, 1),
        latencyMs: summarize(saturation.latencies),
      },
      workerRssMiB: { peak: round(peakRssMiB, 1), end: round(rssMiB(worker.child.pid), 1) },
      setup: 'temporal dev server (SQLite WAL, synchronous=NORMAL) + worker process (10 wf slots, 20 activity slots) + PostgreSQL 15',
    };
    return { path: writeResults('ping-flow', figures), figures };
  } finally {
    clearInterval(sampler);
    worker.child.kill('SIGTERM');
    await worker.exited;
    await client.connection.close();
    await server.stop();
    rmSync(folder, { recursive: true, force: true });
    await admin.query(`drop database if exists ${database} with (force)`);
    await admin.end();
  }
}

/** The first workflow also waits out the worker's start-up (bundling), so it is not counted. */
async function waitForWorker(client: Client, taskQueue: string) {
  await client.workflow.execute(ping, { taskQueue, workflowId: `ping:ready-${randomUUID()}`, args: [{ message: 'ready?' }] });
}

function rssMiB(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}
