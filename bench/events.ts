// Events: how late reminders arrive, and how long a click takes to show on the card.
// 1. Reminder lateness: 1,000 events, each with one attendee and a reminder; the reminders fall evenly across one
//    minute. Lateness is the reminder's scheduled time → its DM stored by the sandbox. BENCH_OPEN_EVENTS (default
//    1,000) adds quiet events (announced, reminders a day away) so that many are open in the worker at once; they are
//    set up with the sandbox's rate limits off, to save the 20 minutes Discord's 50 requests a second would take.
// 2. RSVP click → the card showing the member, with 50 members clicking Going on one card within a second.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { eventOccurrence } from '../workflows/events/event-workflow.js';
import { eventWorkflowId, rsvp, type EventInput } from '../workflows/events/messages.js';
import { BOT_PERMISSIONS, createWorld, type World } from '../test/sandbox/world.js';
import { startBenchStack, type TemporalTopology } from './stack.js';
import { runConcurrently, summarize, writeResults } from './stats.js';

const EVENTS = 1_000;
const OPEN_EVENTS = Math.max(EVENTS, Number(process.env.BENCH_OPEN_EVENTS ?? EVENTS));
const REMINDER_SPREAD_MS = 60_000;
/** Time to announce the events (a card, three reactions, an answer and two rows each, within Discord's 50 requests a second) before the first reminder. */
const SETUP_MS = EVENTS * 480;
const CLICKERS = 50;

export async function benchmarkEvents() {
  const devServer = await measure('dev-server');
  const cluster = await measure('cluster');
  const figures = {
    devServer,
    cluster,
    setup: [
      'Each topology on a fresh stack: the temporal dev server (SQLite WAL, synchronous=NORMAL, 1 history shard) with one worker',
      'process, then the full Temporal server v1.29.1 (PostgreSQL, 4 history shards) with two worker processes on the task queue.',
      `Reminders: ${OPEN_EVENTS} event workflows open at once; ${EVENTS} of them, each in its own channel with one attendee, have one reminder`,
      `each, falling evenly over ${REMINDER_SPREAD_MS / 1000} s (the others are announced, with reminders a day away). Lateness: scheduled time → the DM's timestamp in the sandbox (Discord's`,
      `rate limits on: 50 requests/s for the bot). Clicks: ${CLICKERS} members click Going on one card within a second;`,
      'latency is the click → the card listing them (edits are coalesced to one per 2 s, within Discord\'s 5 edits per 5 s',
      'per channel). Steward adapters + worker processes + the Temporal server + PostgreSQL + sandbox on this machine.',
    ].join(' '),
  };
  // The usual run is events.json; a run with more open events is kept beside it.
  return { path: writeResults(OPEN_EVENTS === EVENTS ? 'events' : `events-${OPEN_EVENTS}-open`, figures), figures };
}

async function measure(topology: TemporalTopology) {
  const { shutdown, ...stack } = await startBenchStack({ topology });
  try {
    const world = await createWorld();
    shutdown.push('sandbox', () => world.sandbox.close());
    world.sandbox.driver.addBotToGuild(world.app.applicationId, world.guildId, { permissions: BOT_PERMISSIONS });
    const env = {
      DISCORD_TOKEN: world.app.token,
      DISCORD_APPLICATION_ID: world.app.applicationId,
      DISCORD_GUILD_ID: world.guildId,
      DISCORD_API_URL: `${world.sandbox.url}/api`,
      LOG_LEVEL: 'warn',
    };
    const [, adapters] = await Promise.all([stack.startSteward('worker', env), stack.startSteward('adapters', { ...env, LOG_LEVEL: 'info' })]);
    await adapters.waitForLog((line) => line.msg === 'Steward is running', 60_000);
    const client = new Client({ connection: await Connection.connect({ address: stack.temporalAddress }) });
    shutdown.push('temporal client', () => client.connection.close());
    const taskQueue = stack.stewardEnv.TEMPORAL_TASK_QUEUE!;

    await openQuietEvents(world, client, taskQueue, OPEN_EVENTS - EVENTS);
    const lateness = await reminderLateness(world, client, taskQueue);
    // What Discord's rate limits did while the reminders went out.
    const log = world.sandbox.driver.restLog().filter((entry) => entry.timestamp >= lateness.window[0] && entry.timestamp <= lateness.window[1]);
    const limited = log.filter((entry) => entry.status === 429).length;
    const clicks = await clickToCard(world, client, taskQueue);
    return {
      workers: stack.workers.length,
      reminderLatenessMs: { openEvents: OPEN_EVENTS, ...summarize(lateness.samples) },
      restDuringReminders: { requests: log.length, requestsPerSecond: Math.round((log.length / ((lateness.window[1] - lateness.window[0]) / 1000)) * 10) / 10, served429: limited },
      rsvpClickToCardMs: { clickers: CLICKERS, ...summarize(clicks) },
    };
  } finally {
    await shutdown.unwind();
  }
}

function eventInput(world: World, channelId: string, startsAt: number, offsetsSeconds: number[]): EventInput {
  const eventId = `b${randomUUID().slice(0, 10)}`;
  return {
    guildId: world.guildId,
    eventId,
    organiserId: world.ownerId,
    managerRoleIds: [],
    details: {
      title: `Bench ${eventId}`,
      description: '',
      startsAt,
      durationMinutes: 60,
      capacity: null,
      channelId,
      reminderOffsetsSeconds: offsetsSeconds,
      remindMaybe: false,
      signupRoleId: null,
      rsvpCutoff: null,
      claimWindowSeconds: 600,
      timeZone: 'UTC',
    },
  };
}

/** Events that stay open and quiet through the measurement, set up with Discord's rate limits off. */
async function openQuietEvents(world: World, client: Client, taskQueue: string, count: number): Promise<void> {
  if (count <= 0) return;
  const { driver } = world.sandbox;
  world.sandbox.rateLimits.configure({ enabled: false });
  const channels = Array.from({ length: 100 }, (_, index) => driver.createChannel(world.guildId, { name: `quiet-${index}` }).id);
  const startsAt = Date.now() + 2 * 86_400_000;
  const started = performance.now();
  await runConcurrently(count, 20, async (index) => {
    const input = eventInput(world, channels[index % channels.length]!, startsAt, [86_400]);
    await client.workflow.start(eventOccurrence, { taskQueue, workflowId: eventWorkflowId(world.guildId, input.eventId), args: [input] });
  });
  // Announced, and settled: every card is posted and the worker has no workflow task left from setting them up.
  const cards = () => channels.reduce((total, channelId) => total + driver.channelMessages(channelId).length, 0);
  while (cards() < count) await sleep(1_000);
  for (let idle = 0; idle < 3; idle = (await workflowBacklog(client, taskQueue)) === 0 ? idle + 1 : 0) await sleep(1_000);
  console.log(`${count} quiet events open and settled in ${Math.round((performance.now() - started) / 1000)} s`);
  world.sandbox.rateLimits.configure({ enabled: true });
}

/** Temporal's TaskQueueType enum value for workflow tasks. */
const TASK_QUEUE_TYPE_WORKFLOW = 1;

/** Workflow tasks waiting on the task queue (the server's approximate count). */
async function workflowBacklog(client: Client, taskQueue: string): Promise<number> {
  const { stats } = await client.workflowService.describeTaskQueue({
    namespace: 'default',
    taskQueue: { name: taskQueue },
    taskQueueType: TASK_QUEUE_TYPE_WORKFLOW,
    reportStats: true,
  });
  return Number(stats?.approximateBacklogCount ?? 0);
}

async function reminderLateness(world: World, client: Client, taskQueue: string): Promise<{ samples: number[]; window: [number, number] }> {
  const { driver } = world.sandbox;
  const firstReminder = Date.now() + SETUP_MS;
  const offsetSeconds = 600;
  const planned: { userId: string; at: number }[] = [];
  await runConcurrently(EVENTS, 20, async (index) => {
    const channelId = driver.createChannel(world.guildId, { name: `event-${index}` }).id;
    const userId = driver.createUser({ username: `attendee${index}` }).id;
    driver.addMember(world.guildId, userId);
    const at = firstReminder + Math.floor((index / EVENTS) * REMINDER_SPREAD_MS);
    const input = eventInput(world, channelId, at + offsetSeconds * 1000, [offsetSeconds]);
    const handle = await client.workflow.start(eventOccurrence, { taskQueue, workflowId: eventWorkflowId(world.guildId, input.eventId), args: [input] });
    await handle.executeUpdate(rsvp, { args: [{ member: { userId, roleIds: [], permissions: '0' }, answer: 'going' }] });
    planned.push({ userId, at });
  });
  if (Date.now() > firstReminder) throw new Error(`Setting up ${EVENTS} events took longer than ${SETUP_MS / 1000} s`);
  const deadline = firstReminder + REMINDER_SPREAD_MS + 120_000;
  for (;;) {
    const arrived = planned.filter(({ userId }) => driver.dmsFor(userId).length > 0).length;
    if (arrived === planned.length) break;
    if (Date.now() > deadline) throw new Error(`Only ${arrived} of ${planned.length} reminders arrived`);
    await sleep(500);
  }
  const samples = planned.map(({ userId, at }) => Date.parse(String((driver.dmsFor(userId)[0] as { timestamp: string }).timestamp)) - at);
  return { samples, window: [firstReminder, firstReminder + REMINDER_SPREAD_MS + Math.max(...samples)] };
}

async function clickToCard(world: World, client: Client, taskQueue: string): Promise<number[]> {
  const { driver } = world.sandbox;
  const input = eventInput(world, world.channelId, Date.now() + 3_600_000, []);
  await client.workflow.start(eventOccurrence, { taskQueue, workflowId: eventWorkflowId(world.guildId, input.eventId), args: [input] });
  type CardMessage = { id: string; embeds?: { footer?: { text: string }; fields?: { name: string; value: string }[] }[]; components?: { components: { custom_id: string; label: string }[] }[] };
  const card = await driver.waitFor(() => (driver.channelMessages(world.channelId) as unknown as CardMessage[]).find((message) => message.embeds?.[0]?.footer?.text.startsWith(`Event ${input.eventId} `)), 30_000);
  const going = card.components![0]!.components.find((component) => component.label === 'Going')!.custom_id;
  const members = Array.from({ length: CLICKERS }, (_, index) => {
    const id = driver.createUser({ username: `clicker${index}` }).id;
    driver.addMember(world.guildId, id);
    return id;
  });
  const clicked = new Map<string, number>();
  for (const userId of members) {
    clicked.set(userId, performance.now());
    driver.clickButton(userId, world.channelId, card.id, going);
    await sleep(1_000 / CLICKERS);
  }
  const seen = new Map<string, number>();
  const deadline = Date.now() + 60_000;
  while (seen.size < members.length && Date.now() < deadline) {
    const shown = (driver.channelMessages(world.channelId) as unknown as CardMessage[]).find((message) => message.id === card.id)?.embeds?.[0]?.fields?.find((field) => field.name.startsWith('Going'))?.value ?? '';
    // The card lists the first 30 by name; the count covers the rest.
    const count = Number(/Going \((\d+)/.exec((driver.channelMessages(world.channelId) as unknown as CardMessage[]).find((message) => message.id === card.id)?.embeds?.[0]?.fields?.find((field) => field.name.startsWith('Going'))?.name ?? '')?.[1] ?? 0);
    members.forEach((userId, index) => {
      if (!seen.has(userId) && (shown.includes(`<@${userId}>`) || index < count)) seen.set(userId, performance.now());
    });
    await sleep(20);
  }
  return members.filter((userId) => seen.has(userId)).map((userId) => seen.get(userId)! - clicked.get(userId)!);
}
