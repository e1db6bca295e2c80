// A reminder outlives its worker: the worker is SIGKILLed a few seconds before an event's reminder is due and is
// down when it falls due; a new worker starts, and the reminder is sent then, once.
import { randomUUID } from 'node:crypto';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import type { Client } from '@temporalio/client';
import type { RunningSteward } from '../../src/steward.js';
import { eventOccurrence } from '../../workflows/events/event-workflow.js';
import { eventWorkflowId, rsvp, type EventInput } from '../../workflows/events/messages.js';
import { BOT_PERMISSIONS, createWorld, type World } from '../sandbox/world.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { eventually } from '../support/steward-process.js';
import { discordEnv, startTestSteward } from '../support/steward.js';
import { testClient, testTemporalAddress, uniqueTaskQueue } from '../support/temporal.js';
import { WorkerProcesses } from '../support/worker-processes.js';

let world: World;
let db: TestDatabase;
let adapters: RunningSteward;
let temporal: Client;
let sharedEnv: Record<string, string>;
const workers = new WorkerProcesses(() => sharedEnv);

beforeAll(async () => {
  world = await createWorld();
  world.sandbox.driver.addBotToGuild(world.app.applicationId, world.guildId, { permissions: BOT_PERMISSIONS | PermissionFlagsBits.ManageEvents });
  db = await createTestDatabase();
  sharedEnv = { TEMPORAL_ADDRESS: testTemporalAddress(), TEMPORAL_TASK_QUEUE: uniqueTaskQueue('events-crash'), DATABASE_URL: db.url, ...discordEnv(world) };
  adapters = await startTestSteward(db, { world, env: sharedEnv, role: 'adapters' });
  temporal = await testClient();
});

afterAll(async () => {
  workers.killAll();
  await adapters?.stop();
  await temporal?.connection.close();
  await world?.sandbox.close();
  await db?.drop();
});

const startWorker = () => workers.start();

test('the worker is down when the reminder falls due; the next worker sends it once', async () => {
  const { driver } = world.sandbox;
  const member = driver.createUser({ username: 'attendee' }).id;
  driver.addMember(world.guildId, member);
  const worker = await startWorker();
  const eventId = `crash${randomUUID().slice(0, 6)}`;
  const remindAt = Date.now() + 12_000;
  const input: EventInput = {
    guildId: world.guildId,
    eventId,
    organiserId: world.ownerId,
    managerRoleIds: [],
    details: {
      title: 'Crash-proof meetup',
      description: '',
      startsAt: remindAt + 60_000,
      durationMinutes: 60,
      capacity: null,
      channelId: world.channelId,
      reminderOffsetsSeconds: [60],
      remindMaybe: false,
      signupRoleId: null,
      rsvpCutoff: null,
      claimWindowSeconds: 600,
      timeZone: 'UTC',
    },
  };
  const handle = await temporal.workflow.start(eventOccurrence, { taskQueue: sharedEnv.TEMPORAL_TASK_QUEUE!, workflowId: eventWorkflowId(world.guildId, eventId), args: [input] });
  await handle.executeUpdate(rsvp, { args: [{ member: { userId: member, roleIds: [], permissions: '0' }, answer: 'going' }] });

  worker.child.kill('SIGKILL');
  await worker.exited;
  // The kill landed before the reminder: nothing was sent yet, and the worker stays down past its time.
  expect(driver.dmsFor(member)).toEqual([]);
  await new Promise((resolve) => setTimeout(resolve, Math.max(remindAt - Date.now(), 0) + 3_000));
  expect(driver.dmsFor(member)).toEqual([]);

  const restartedAt = Date.now();
  await startWorker();
  const reminder = await eventually(async () => (driver.dmsFor(member) as unknown as { content: string; timestamp: string }[]).find((message) => message.content.startsWith('Reminder: **Crash-proof meetup**')), 60_000, 'the reminder after the restart');
  expect(Date.parse(reminder.timestamp)).toBeGreaterThanOrEqual(restartedAt);
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  expect(driver.dmsFor(member).filter((message) => String((message as { content: string }).content).startsWith('Reminder:'))).toHaveLength(1);
}, 120_000);
