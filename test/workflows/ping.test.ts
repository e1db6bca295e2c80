// The ping flow against the real Temporal dev server and a real PostgreSQL database.
import type { Client } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger, type NativeConnection } from '@temporalio/worker';
import { createPingActivities } from '../../activities/ping/index.js';
import type { RecordedPing } from '../../activities/ping/index.js';
import { createStewardWorker } from '../../worker/worker.js';
import { ping } from '../../workflows/ping/ping.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { testClient, testNativeConnection, uniqueTaskQueue } from '../support/temporal.js';

let db: TestDatabase;
let client: Client;
let connection: NativeConnection;

beforeAll(async () => {
  db = await createTestDatabase();
  client = await testClient();
  connection = await testNativeConnection();
});

afterAll(async () => {
  await connection.close();
  await client.connection.close();
  await db.drop();
});

async function withWorker<T>(taskQueue: string, work: () => Promise<T>): Promise<T> {
  const worker = await createStewardWorker({
    connection,
    namespace: 'default',
    taskQueue,
    activities: createPingActivities({ database: db.database }),
    tuning: { workflowTaskSlots: 10, activitySlots: 20, pollers: 2, cachedWorkflows: 100 },
  });
  return worker.runUntil(work);
}

test('a ping writes one row and returns it to the caller', async () => {
  const taskQueue = uniqueTaskQueue('ping');
  const workflowId = `ping:${taskQueue}`;
  const result = await withWorker(taskQueue, () =>
    client.workflow.execute(ping, { taskQueue, workflowId, args: [{ message: 'hello' }] }),
  );

  expect(result).toMatchObject({ pingId: workflowId, message: 'hello', attempts: 1 });
  const rows = await db.query('select id, message, attempts from pings where id = $1', [workflowId]);
  expect(rows).toEqual([{ id: workflowId, message: 'hello', attempts: 1 }]);
});

test('the activity is idempotent: a second attempt counts, it does not duplicate', async () => {
  const activities = createPingActivities({ database: db.database });
  const environment = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('WARN') });
  const input = { pingId: `direct-${Date.now()}`, message: 'twice', holdMs: 0 };

  await environment.run(activities.recordPing, input);
  const second = (await environment.run(activities.recordPing, input)) as RecordedPing;

  expect(second.attempts).toBe(2);
  const rows = await db.query('select count(*)::int as count from pings where id = $1', [input.pingId]);
  expect(rows).toEqual([{ count: 1 }]);
});
