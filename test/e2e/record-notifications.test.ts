// Record notifications end to end: records created through the HTTP API (and by reviews) are announced in the
// server's channel, or through its webhook, by the real notification workflow on the real Temporal server, with
// settings in the real PostgreSQL and Discord played by the local sandbox. Timings are shortened to 1 s of quiet
// and 3 s at most; the production defaults are 5 and 15 minutes.
import { guildApi } from '../../src/http/guild-scope.js';
import { randomUUID } from 'node:crypto';
import { REST } from '@discordjs/rest';
import type { Client } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { createRecordsActivities, type RecordsActivities } from '../../activities/records/index.js';
import { createStewardWorker } from '../../worker/worker.js';
import {
  recordNotificationStatus,
  recordNotificationsWorkflowId,
  type RecordNotificationStatus,
} from '../../workflows/records/notification-messages.js';
import { createHttpApp } from '../../src/http/app.js';
import { recordsApiRoutes } from '../../src/features/records/http/index.js';
import { listen, type RunningHttpServer } from '../../src/http/server.js';
import { buildProviderChain } from '../../src/llm/index.js';
import { createLogger } from '../../src/observability/logger.js';
import { Metrics } from '../../src/observability/metrics.js';
import { defaultRecordTypes } from '../../workflows/records/record-types.js';
import { issueApiToken } from '../../src/http/api-tokens.js';
import type { RunningSteward } from '../../src/steward.js';
import { notifyRecordCreated } from '../../src/features/records/notify.js';
import { FlowStarter } from '../../src/temporal/start-flow.js';
import { BOT_PERMISSIONS, createWorld, type World } from '../sandbox/world.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestSteward } from '../support/steward.js';
import { testClient, testNativeConnection, uniqueTaskQueue } from '../support/temporal.js';

const TIMING = { quietMs: 1000, maxWaitMs: 3000, repeatWindowMs: 60_000 };
const subjectId = `subject-${randomUUID()}`;

interface SeenEmbed {
  title: string;
  description: string;
  url?: string;
  fields?: { name: string; value: string }[];
}
interface SeenMessage {
  id: string;
  author: { id: string };
  webhook_id?: string;
  embeds?: SeenEmbed[];
}

let world: World;
let db: TestDatabase;
let client: Client;
let connection: NativeConnection;
let worker: Worker;
let workerRun: Promise<void>;
let server: RunningHttpServer;
let activities: RecordsActivities;
/** The real composition root, for the wiring test; started first, as it installs the process's Temporal runtime. */
let steward: RunningSteward;

beforeAll(async () => {
  world = await createWorld();
  // Webhooks are made by a bot that may manage them (Steward itself only executes them).
  world.sandbox.driver.addBotToGuild(world.app.applicationId, world.guildId, {
    permissions: BOT_PERMISSIONS | PermissionFlagsBits.ManageWebhooks,
  });
  db = await createTestDatabase();
  await db.query('insert into subjects (id, guild_id, name) values ($1, $2, $3)', [subjectId, world.guildId, 'Machine 3']);
  steward = await startTestSteward(db, { world });

  const taskQueue = uniqueTaskQueue('notify');
  client = await testClient();
  connection = await testNativeConnection();
  const discord = new REST({ version: '10', api: `${world.sandbox.url}/api` }).setToken(world.app.token);
  activities = createRecordsActivities({
    database: db.database,
    discord,
    llm: buildProviderChain({}),
    flows: new FlowStarter(client, taskQueue),
    notificationTiming: TIMING,
    // The sandbox is this test's Discord API, so its webhooks may be executed.
    webhookOrigins: [world.sandbox.url],
  });
  worker = await createStewardWorker({
    connection,
    namespace: 'default',
    taskQueue,
    activities,
    tuning: { workflowTaskSlots: 20, activitySlots: 20, pollers: 2, cachedWorkflows: 100 },
  });
  workerRun = worker.run();

  const logger = createLogger({ level: 'silent' });
  const app = createHttpApp({
    logger,
    metrics: new Metrics(),
    bodyLimit: '100kb',
    routers: [
      guildApi(db.database, logger, [
        recordsApiRoutes({
          database: db.database,
          logger,
          // As src/steward.ts wires it, with the test's short timings.
          onRecordCreated: (record) => notifyRecordCreated(new FlowStarter(client, taskQueue), record, { timing: TIMING }).then(() => undefined),
        }),
      ]),
    ],
  });
  server = await listen(app, '127.0.0.1', 0);
});

afterAll(async () => {
  await server?.close();
  await steward?.stop();
  worker?.shutdown();
  await workerRun?.catch(() => {});
  await connection?.close();
  await client?.connection.close();
  await world.sandbox.close();
  await db.drop();
});

beforeEach(() => world.sandbox.faults.clear());

// ---- helpers ----

function newChannel(): string {
  return world.sandbox.driver.createChannel(world.guildId, { name: `feed-${randomUUID().slice(0, 6)}` }).id;
}

async function configure(settings: { channelId?: string | null; webhookUrl?: string | null; notifyTypes?: string[] | null; recordsUrl?: string | null }) {
  await db.query(
    `insert into record_settings (guild_id, notification_channel_id, notification_webhook_url, notify_types, records_url)
     values ($1, $2, $3, $4, $5)
     on conflict (guild_id) do update set notification_channel_id = excluded.notification_channel_id,
       notification_webhook_url = excluded.notification_webhook_url, notify_types = excluded.notify_types,
       records_url = excluded.records_url`,
    [
      world.guildId,
      settings.channelId ?? null,
      settings.webhookUrl ?? null,
      settings.notifyTypes === undefined || settings.notifyTypes === null ? null : JSON.stringify(settings.notifyTypes),
      settings.recordsUrl ?? null,
    ],
  );
}

/** A token of its own per test: its name is the burst's author key, so tests never share a workflow. */
async function newToken(): Promise<{ token: string; name: string }> {
  const name = `tok-${randomUUID().slice(0, 8)}`;
  const issued = await db.database.transaction((em) => issueApiToken(em, world.guildId, name));
  return { token: issued.token, name };
}

async function createRecord(
  token: string,
  body: Record<string, unknown>,
  idempotencyKey?: string,
): Promise<{ status: number; body: { id: string } }> {
  const response = await fetch(`${server.url}/api/v1/guilds/${world.guildId}/records`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { id: string } };
}

const problem = (description = 'Flipper coil on machine 3 is dead') => ({
  record_type: 'problem_report',
  description,
  subject_id: subjectId,
});
const logEntry = (description = 'Cleaned the playfield') => ({ record_type: 'log_entry', description });

const messagesIn = (channelId: string) => world.sandbox.driver.channelMessages(channelId) as unknown as SeenMessage[];

async function messagesAfterSettling(channelId: string, count: number): Promise<SeenMessage[]> {
  await world.sandbox.driver.waitFor(() => messagesIn(channelId).length >= count, 20_000);
  // Long enough for a duplicate (or a stray second burst) to show up if there were one.
  await sleep(TIMING.quietMs + 1500);
  return messagesIn(channelId);
}

async function status(authorKey: string): Promise<RecordNotificationStatus> {
  return client.workflow.getHandle(recordNotificationsWorkflowId(world.guildId, authorKey)).query(recordNotificationStatus);
}

async function until<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error('until: timed out');
    await sleep(100);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- tests ----

test('a lone API record is posted as one full embed, by the bot, once the quiet period is over', async () => {
  const channelId = newChannel();
  await configure({ channelId, recordsUrl: 'https://records.example.org/records' });
  const { token, name } = await newToken();
  const started = Date.now();
  const created = await createRecord(token, problem());
  expect(created.status).toBe(201);

  await world.sandbox.driver.waitFor(() => messagesIn(channelId).length > 0, 20_000);
  expect(Date.now() - started).toBeGreaterThanOrEqual(TIMING.quietMs - 100);
  const messages = await messagesAfterSettling(channelId, 1);
  expect(messages).toHaveLength(1);
  const [message] = messages;
  expect(message?.author.id).toBe(world.app.botUserId);
  expect(message?.embeds).toHaveLength(1);
  expect(message?.embeds?.[0]).toMatchObject({
    title: 'Problem report — Machine 3',
    description: 'Flipper coil on machine 3 is dead',
    url: `https://records.example.org/records/${created.body.id}`,
  });
  expect(message?.embeds?.[0]?.fields?.map((field) => [field.name, field.value])).toEqual([
    ['Author', '—'],
    ['Occurred', expect.stringMatching(/^<t:\d+:f>$/)],
    ['Added by', `the API (${name})`],
  ]);
  expect((await status(`api:${name}`)).lastOutcome).toMatchObject({ status: 'posted', destination: 'channel', announced: 1 });
});

test('several records from one author, created concurrently, become one digest message', async () => {
  const channelId = newChannel();
  await configure({ channelId });
  const { token, name } = await newToken();
  const created = await Promise.all([problem('Coil dead'), logEntry('Replaced the coil'), logEntry('Tested the flippers')].map((body) => createRecord(token, body)));
  expect(created.map((answer) => answer.status)).toEqual([201, 201, 201]);

  const messages = await messagesAfterSettling(channelId, 1);
  expect(messages).toHaveLength(1);
  const embeds = messages[0]?.embeds ?? [];
  expect(embeds).toHaveLength(1);
  expect(embeds[0]?.title).toBe('3 new records');
  const lines = embeds[0]?.description.split('\n') ?? [];
  expect(lines[0]).toBe(`Added by the API (${name})`);
  expect(lines.slice(1)).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^• \*\*Problem report — Machine 3\*\* · <t:\d+:d> — Coil dead$/),
      expect.stringMatching(/^• \*\*Log entry\*\* · <t:\d+:d> — Replaced the coil$/),
      expect.stringMatching(/^• \*\*Log entry\*\* · <t:\d+:d> — Tested the flippers$/),
    ]),
  );
  expect(lines).toHaveLength(4);
  expect(await status(`api:${name}`)).toMatchObject({ batches: 1, pending: 0 });
});

test('an author who never goes quiet is posted at the longest wait, and the rest in the next burst', async () => {
  const channelId = newChannel();
  await configure({ channelId });
  const { token } = await newToken();
  const started = Date.now();
  let firstPostedAt: number | undefined;
  const stop = world.sandbox.driver.on('message', () => {
    if (firstPostedAt === undefined && messagesIn(channelId).length > 0) firstPostedAt = Date.now();
  });
  // One record every 600 ms for about 4.5 s: never 1 s of quiet.
  for (let index = 0; index < 8; index++) {
    await createRecord(token, logEntry(`Step ${index}`));
    await sleep(600);
  }
  const messages = await messagesAfterSettling(channelId, 2);
  stop();
  expect(messages).toHaveLength(2);
  // The first burst was posted at its longest wait (3 s), while records were still coming.
  expect(firstPostedAt! - started).toBeGreaterThanOrEqual(TIMING.maxWaitMs - 200);
  expect(firstPostedAt! - started).toBeLessThan(TIMING.maxWaitMs + 1500);
  const count = (message: SeenMessage) => {
    const title = message.embeds?.[0]?.title ?? '';
    return /^(\d+) new records$/.exec(title) ? Number(/^(\d+)/.exec(title)![1]) : 1;
  };
  expect(messages.map(count).reduce((sum, n) => sum + n, 0)).toBe(8);
});

test('a record type switched off is not announced; the others still are', async () => {
  const channelId = newChannel();
  await configure({ channelId, notifyTypes: ['log_entry'] });

  const alone = await newToken();
  await createRecord(alone.token, problem());
  const outcome = await until(async () => (await status(`api:${alone.name}`)).lastOutcome);
  expect(outcome).toEqual({ status: 'skipped', reason: 'nothing_to_announce', skipped: 1 });
  expect(messagesIn(channelId)).toHaveLength(0);

  const mixed = await newToken();
  await createRecord(mixed.token, problem());
  await createRecord(mixed.token, logEntry('Oiled the hinges'));
  const messages = await messagesAfterSettling(channelId, 1);
  expect(messages).toHaveLength(1);
  // Only the log entry is left, so it is announced as a lone record with its full embed.
  expect(messages[0]?.embeds?.[0]).toMatchObject({ title: 'Log entry', description: 'Oiled the hinges' });
  expect((await status(`api:${mixed.name}`)).lastOutcome).toMatchObject({ status: 'posted', announced: 1, skipped: 1 });
});

test('echo rule: a reviewed record is not announced in the channel it came from, but is from any other', async () => {
  const feed = newChannel();
  const shop = newChannel();
  await configure({ channelId: feed });
  const reviewerId = world.memberId;
  const review = async (channelId: string, description: string) => {
    const source = world.sandbox.driver.sendMessage(world.memberId, channelId, { content: description }) as { id: string };
    const recordId = randomUUID();
    await activities.createReviewedRecord({
      idempotencyKey: `review:${world.guildId}:${source.id}:0`,
      recordId,
      guildId: world.guildId,
      channelId,
      recordType: 'log_entry',
      description,
      authorId: world.memberId,
      authorName: 'Alice',
      sourceMessageIds: [source.id],
      createdBy: reviewerId,
      recordTypes: [...defaultRecordTypes],
    });
    // What the review workflow does after the write.
    expect(await activities.announceRecord({ guildId: world.guildId, recordId })).toEqual({ status: 'signalled' });
    return recordId;
  };

  await review(feed, 'Discussed and recorded right here in the feed');
  const outcome = await until(async () => (await status(reviewerId)).lastOutcome);
  expect(outcome).toEqual({ status: 'skipped', reason: 'nothing_to_announce', skipped: 1 });

  await review(shop, 'Replaced the coil in the workshop');
  const messages = await messagesAfterSettling(feed, 2);
  // The feed has the member's own source message and the one announcement, of the workshop record.
  const announcements = messages.filter((message) => message.author.id === world.app.botUserId);
  expect(announcements).toHaveLength(1);
  expect(announcements[0]?.embeds?.[0]).toMatchObject({ title: 'Log entry', description: 'Replaced the coil in the workshop' });
  expect(announcements[0]?.embeds?.[0]?.fields).toContainEqual({ name: 'Added by', value: `<@${reviewerId}>`, inline: true });
  expect(announcements[0]?.embeds?.[0]?.fields).toContainEqual({ name: 'Author', value: `<@${world.memberId}>`, inline: true });
});

test('a repeated API create (same Idempotency-Key) is announced once', async () => {
  const channelId = newChannel();
  await configure({ channelId });
  const { token } = await newToken();
  const key = `once-${randomUUID()}`;
  const first = await createRecord(token, logEntry('Only once'), key);
  const again = await createRecord(token, logEntry('Only once'), key);
  expect([first.status, again.status]).toEqual([201, 200]);
  expect(again.body.id).toBe(first.body.id);
  const messages = await messagesAfterSettling(channelId, 1);
  expect(messages).toHaveLength(1);
  expect(messages[0]?.embeds?.[0]).toMatchObject({ title: 'Log entry', description: 'Only once' });
});

test('Discord failing with 500s: the post is retried and lands exactly once', async () => {
  const channelId = newChannel();
  await configure({ channelId });
  const { token, name } = await newToken();
  // discord.js retries a 500 three times itself; the fourth failure fails the activity attempt, which Temporal retries.
  world.sandbox.faults.serverError('POST /channels/:channel_id/messages', { times: 4 });
  await createRecord(token, logEntry('Posted despite the outage'));
  const messages = await messagesAfterSettling(channelId, 1);
  expect(messages).toHaveLength(1);
  const failures = world.sandbox.driver
    .restLog()
    .filter((entry) => entry.method === 'POST' && entry.path === `/channels/${channelId}/messages` && entry.status === 500);
  expect(failures).toHaveLength(4);
  expect((await status(`api:${name}`)).lastOutcome).toMatchObject({ status: 'posted', announced: 1 });
});

test('a post repeated after a lost answer (same idempotency key) finds the first message instead of sending another', async () => {
  const channelId = newChannel();
  await configure({ channelId });
  const record = {
    id: randomUUID(),
    guildId: world.guildId,
    recordType: 'log_entry',
    description: 'Sent twice, shown once',
    subjectId: null,
    authorDiscordId: null,
    origin: 'api' as const,
    createdBy: 'ci',
    occurredAt: new Date().toISOString(),
    createdAt: new Date().toISOString(),
    sourceChannelIds: [],
  };
  const input = { idempotencyKey: `notify:${world.guildId}:api:ci:${randomUUID()}:0`, guildId: world.guildId, records: [record] };
  // The first attempt's message exists; its answer never reached the activity, so the retry posts again.
  const first = await activities.postRecordNotification(input);
  const retry = await activities.postRecordNotification(input);
  expect(first).toMatchObject({ status: 'posted', destination: 'channel' });
  expect(retry).toEqual(first);
  expect(messagesIn(channelId)).toHaveLength(1);
  // Another batch (another key) is another message.
  await activities.postRecordNotification({ ...input, idempotencyKey: `${input.idempotencyKey}-next` });
  expect(messagesIn(channelId)).toHaveLength(2);
});

test('with a webhook URL and no channel, the announcement is executed through the webhook', async () => {
  const channelId = newChannel();
  const rest = new REST({ version: '10', api: `${world.sandbox.url}/api` }).setToken(world.app.token);
  const webhook = (await rest.post(`/channels/${channelId}/webhooks`, { body: { name: 'Records' } })) as { id: string; token: string };
  await configure({ webhookUrl: `${world.sandbox.url}/api/v10/webhooks/${webhook.id}/${webhook.token}` });
  const { token, name } = await newToken();
  await createRecord(token, problem('Through the webhook'));
  const messages = await messagesAfterSettling(channelId, 1);
  expect(messages).toHaveLength(1);
  expect(messages[0]?.webhook_id).toBe(webhook.id);
  expect(messages[0]?.embeds?.[0]).toMatchObject({ title: 'Problem report — Machine 3', description: 'Through the webhook' });
  expect((await status(`api:${name}`)).lastOutcome).toMatchObject({
    status: 'posted',
    destination: 'webhook',
    messageId: messages[0]?.id,
  });
});

test('src/steward.ts wires the records API to the notification workflow', async () => {
  const { token, name } = await newToken();
  const response = await fetch(`${steward.httpUrl}/api/v1/guilds/${world.guildId}/records`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(logEntry('Through the real composition root')),
  });
  expect(response.status).toBe(201);
  // The default timing holds it for 5 minutes of quiet: it is waiting in its author's workflow.
  expect(await until(async () => status(`api:${name}`))).toEqual({ pending: 1, batches: 0 });
  await client.workflow.getHandle(recordNotificationsWorkflowId(world.guildId, `api:${name}`)).terminate('test over');
});
