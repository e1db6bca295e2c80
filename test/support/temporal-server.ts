// Starts one real Temporal dev server for the whole test run (the SDK's own launcher allows it only 5 s to come
// up, too little on a busy 2-core machine) and hands its address to the test files through the environment.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveTemporalCli } from '../../src/temporal/cli.js';
import { startDevServer, type DevServer } from '../../src/temporal/dev-server.js';
import { freePort } from '../../src/net.js';

declare global {
  var stewardTestTemporal: DevServer | undefined;
}

export async function startTestTemporal(): Promise<void> {
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
}
