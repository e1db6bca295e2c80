// Crash recovery, black-box: real Steward processes, a real Temporal dev server and a real PostgreSQL.
// A worker SIGKILLed while its activity is in flight, and a Temporal server killed and restarted mid-workflow,
// must both end with the workflow completed and its row written exactly once.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { ping } from '../../workflows/ping/ping.js';
import { freePort } from '../../src/net.js';
import { resolveTemporalCli } from '../../src/temporal/cli.js';
import { startDevServer } from '../../src/temporal/dev-server.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { eventually, spawnSteward, type StewardProcess } from '../support/steward-process.js';
import { testClient, testTemporalAddress, uniqueTaskQueue } from '../support/temporal.js';

let db: TestDatabase;
let client: Client;
const running: StewardProcess[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  client = await testClient();
});

afterAll(async () => {
  for (const steward of running) steward.child.kill('SIGKILL');
  await client.connection.close();
  await db.drop();
});

async function startProcess(role: 'worker' | 'all', env: Record<string, string>): Promise<StewardProcess> {
  const steward = spawnSteward(role, {
    DATABASE_URL: db.url,
    TEMPORAL_METRICS_PORT: String(await freePort()),
    HTTP_PORT: String(await freePort()),
    DISCORD_SANDBOX_PORT: '0',
    ...env,
  });
  running.push(steward);
  await steward.waitForLog((line) => line.msg === 'Steward is running');
  return steward;
}

const pingRows = (id: string) =>
  db.query<{ attempts: number }>('select attempts from pings where id = $1', [id]);

test('a worker SIGKILLed mid-activity: a new worker finishes the workflow, and the row exists once', async () => {
  const taskQueue = uniqueTaskQueue('sigkill');
  const env = { TEMPORAL_ADDRESS: testTemporalAddress(), TEMPORAL_TASK_QUEUE: taskQueue };
  const first = await startProcess('worker', env);

  const workflowId = `ping:sigkill-${randomUUID()}`;
  const handle = await client.workflow.start(ping, { taskQueue, workflowId, args: [{ message: 'survive', holdMs: 3_000 }] });
  await eventually(async () => (await pingRows(workflowId))[0], 20_000, 'the first attempt to write its row');

  first.child.kill('SIGKILL');
  expect(await first.exited).toBe('SIGKILL');
  const second = await startProcess('worker', env);

  const result = await handle.result();
  expect(result).toMatchObject({ pingId: workflowId, message: 'survive', attempts: 2 });
  expect(await pingRows(workflowId)).toEqual([{ attempts: 2 }]);

  second.child.kill('SIGTERM');
  expect(await second.exited).toBe(0);
  expect(second.logs.map((line) => line.msg)).toContain('Stopped worker');
});

test('the Temporal server killed and restarted mid-workflow: the HTTP caller still gets its answer', async () => {
  const cli = await resolveTemporalCli({ allowBuild: false, allowDownload: false, explicitPath: process.env.STEWARD_TEST_TEMPORAL_CLI });
  const port = await freePort();
  const dbFile = join(mkdtempSync(join(tmpdir(), 'steward-restart-')), 'temporal.db');
  const serverOptions = { cli, port, namespace: 'default', dbFile, durability: 'durable' as const };
  let server = await startDevServer(serverOptions);

  const steward = await startProcess('all', { TEMPORAL_ADDRESS: server.address, TEMPORAL_TASK_QUEUE: uniqueTaskQueue('restart') });
  const httpUrl = (await steward.waitForLog((line) => line.msg === 'HTTP API listening')).url as string;
  const key = `restart-${randomUUID()}`;
  const answer = fetch(`${httpUrl}/api/ping`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify({ message: 'still here', holdMs: 2_000 }),
  });
  await eventually(async () => (await pingRows(`ping:${key}`))[0], 20_000, 'the activity to write its row');

  await server.kill();
  const readiness = await fetch(`${httpUrl}/readyz`);
  expect(readiness.status).toBe(503);
  expect(await readiness.json()).toEqual({ status: 'not_ready', checks: { temporal: 'unreachable', database: 'ok' } });

  server = await startDevServer(serverOptions);
  try {
    const response = await answer;
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ workflowId: `ping:${key}`, message: 'still here' });
    expect(await pingRows(`ping:${key}`)).toHaveLength(1);
    expect((await fetch(`${httpUrl}/readyz`)).status).toBe(200);
  } finally {
    steward.child.kill('SIGTERM');
    await steward.exited;
    await server.stop();
  }
});
