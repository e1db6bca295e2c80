// Starts one real Temporal dev server for the whole test run (the SDK's own launcher allows it only 5 s to come
// up, too little on a busy 2-core machine) and hands its address to the test files through the environment.
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveTemporalCli } from '../../src/temporal/cli.js';
import { startTemporalCluster, type TemporalCluster } from '../../src/temporal/cluster.js';
import { dropDatabases } from './database.js';
import { startDevServer, type DevServer } from '../../src/temporal/dev-server.js';
import { freePort } from '../../src/net.js';

declare global {
  var stewardTestTemporal: DevServer | undefined;
}

declare global {
  var stewardTestCluster: TemporalCluster | undefined;
}

export async function startTestTemporal(): Promise<void> {
  if (process.env.STEWARD_TEST_TEMPORAL === 'cluster') return startTestCluster();
  const cli = await resolveTemporalCli({
    explicitPath: process.env.TEMPORAL_CLI_PATH,
    allowDownload: false,
    progress: (line) => console.log(line),
  });
  const folder = mkdtempSync(join(tmpdir(), 'steward-test-temporal-'));
  const server = await startDevServer({
    cli,
    port: await freePort(),
    namespace: 'default',
    dbFile: join(folder, 'temporal.db'),
    durability: 'fast',
    readyTimeoutMs: 120_000,
  });
  globalThis.stewardTestTemporal = server;
  process.env.STEWARD_TEST_TEMPORAL_ADDRESS = server.address;
  if (cli.kind === 'binary') process.env.STEWARD_TEST_TEMPORAL_CLI = cli.path;
}

export async function stopTestTemporal(): Promise<void> {
  await globalThis.stewardTestTemporal?.stop();
  const cluster = globalThis.stewardTestCluster;
  if (cluster) {
    await cluster.stop();
    await dropDatabases(cluster.databases);
  }
}

/**
 * `npm run test:cluster`: the full Temporal server on PostgreSQL (its own databases for this run), and the CLI for
 * the tests that start a dev server of their own (to kill it).
 */
async function startTestCluster(): Promise<void> {
  const cluster = await startTemporalCluster({
    folder: mkdtempSync(join(tmpdir(), 'steward-test-cluster-')),
    databasePrefix: `steward_test_${randomUUID().slice(0, 8)}_`,
    progress: (line) => console.log(line),
  });
  globalThis.stewardTestCluster = cluster;
  process.env.STEWARD_TEST_TEMPORAL_ADDRESS = cluster.address;
  const cli = await resolveTemporalCli({ explicitPath: process.env.TEMPORAL_CLI_PATH, allowDownload: false });
  if (cli.kind === 'binary') process.env.STEWARD_TEST_TEMPORAL_CLI = cli.path;
}
