// Volunteer engagement: how fast a member gets their /feedback receipt (the adapter answers before anything else;
// goal p99 < 100 ms), and how many signed milestone webhooks one adapter process accepts per second with crossing
// detection (goal ≥ 1,000/s), with replays mixed in. Steward's adapters and worker run as their own processes; the
// sandbox, a local Q2Q, a local platform and the webhook senders run in this one.
import { randomUUID } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { InteractionResponseType } from 'discord-api-types/v10';
import { DEFAULT_ENGAGEMENT_SETTINGS, saveEngagementSettings } from '../src/features/engagement/settings.js';
import { signedHeaders } from '../src/http/signed-webhooks.js';
import { crossedThresholds, type MilestoneMetric } from '../workflows/engagement/milestones.js';
import { createWorld } from '../test/sandbox/world.js';
import { startPlatformServer } from '../test/support/platform-server.js';
import { startQ2qServer } from '../test/support/q2q-server.js';
import { freePort } from '../src/net.js';
import { cpuSeconds } from './proc.js';
import { BOTH_TOPOLOGIES, onBothTopologies, type BenchStack } from './stack.js';
import { round, runConcurrently, summarize, writeResults } from './stats.js';

const SECRET = 'bench-platform-webhook-secret-0123456789abcdef';
const MEMBERS = 50;
const FEEDBACK_WARMUP = 100;
/** Members giving feedback at a steady rate (a very busy community), the receipt's latency as they feel it. */
const FEEDBACK = 1_000;
const FEEDBACK_PER_SECOND = 20;
/** Then members sending the next as soon as the receipt arrives: the most the adapter acknowledges. */
const SATURATION = 500;
const WEBHOOK_WARMUP = 1_024;
const WEBHOOKS = 20_480;
const WEBHOOK_CONCURRENCY = 32;
/** A multiple of the concurrency: each connection sends its own programmes' updates, in order. */
const PROGRAMMES = 512;
/** One webhook in ten is a replay of one already sent (a retried delivery): ignored, never celebrated. */
const REPLAY_EVERY = 10;

export async function benchmarkEngagement() {
  const { devServer, cluster } = await onBothTopologies(measure);
  const figures = {
    devServer,
    cluster,
    setup: [
      `${FEEDBACK_WARMUP} warm-up /feedback commands, then ${FEEDBACK} at ${FEEDBACK_PER_SECOND}/s from ${MEMBERS} members, then ${SATURATION} with each member sending the next as its receipt arrives;`,
      'receipt latency: the sandbox dispatching INTERACTION_CREATE to the adapter answering with the receipt; then every',
      `feedback analysed by a local Q2Q and delivered to a local platform. ${WEBHOOK_WARMUP} warm-up then ${WEBHOOKS} signed milestone`,
      `webhooks from ${WEBHOOK_CONCURRENCY} keep-alive connections over ${PROGRAMMES} programmes (each programme's updates in order; one in`,
      `${REPLAY_EVERY} a replay), each a PostgreSQL transaction that locks the metric's row; crossings go to an outbox drained into one`,
      `celebration workflow per server per half second. Steward adapters and worker processes + PostgreSQL ${devServer.postgres} on this machine;`,
      'sandbox, Q2Q, platform and senders in the benchmark process. CPU: 100 = one core.',
      BOTH_TOPOLOGIES,
    ].join(' '),
  };
  return { path: writeResults('engagement', figures), figures };
}

async function measure(stack: BenchStack) {
  const world = await createWorld();
  const { driver } = world.sandbox;
  stack.shutdown.push('sandbox', () => world.sandbox.close());
  const q2q = await startQ2qServer();
  stack.shutdown.push('q2q', () => q2q.close());
  const platform = await startPlatformServer(SECRET);
  stack.shutdown.push('platform', () => platform.close());
  const members = Array.from({ length: MEMBERS }, (_, index) => {
    const { id } = driver.createUser({ username: `volunteer${index}` });
    driver.addMember(world.guildId, id);
    return id;
  });
  const milestoneChannel = driver.createChannel(world.guildId, { name: 'milestones' }).id;
  const engagementEnv = { Q2Q_URL: q2q.url, PLATFORM_URL: platform.url, PLATFORM_WEBHOOK_SECRET: SECRET };
  const worker = stack.startSteward('worker', { LOG_LEVEL: 'warn', ...engagementEnv, DISCORD_TOKEN: world.app.token, DISCORD_APPLICATION_ID: world.app.applicationId, DISCORD_API_URL: `${world.sandbox.url}/api` });
  // The adapters log warnings only: at info, a thousand request lines a second through a pipe to this busy process
  // block the adapter's synchronous logger, which measures the pipe, not Steward.
  const httpPort = await freePort();
  const adapters = stack.startSteward('adapters', {
    ...engagementEnv,
    LOG_LEVEL: 'warn',
    HTTP_PORT: String(httpPort),
    DISCORD_TOKEN: world.app.token,
    DISCORD_APPLICATION_ID: world.app.applicationId,
    DISCORD_GUILD_ID: world.guildId,
    DISCORD_API_URL: `${world.sandbox.url}/api`,
  });
  const [adapterProcess, workerProcess] = await Promise.all([adapters, worker]);
  const httpUrl = `http://127.0.0.1:${httpPort}`;
  await untilAnswered(() => fetch(`${httpUrl}/readyz`).then((response) => response.ok));
  await stack.db.database.transaction((em) => saveEngagementSettings(em, world.guildId, { ...DEFAULT_ENGAGEMENT_SETTINGS, milestoneChannelId: milestoneChannel }));

  // /feedback: the receipt is the interaction's first response, so its latency is the adapter's acknowledgement.
  const feedback = async (index: number) => {
    const started = performance.now();
    const handle = driver.runSlashCommand(members[index % MEMBERS]!, world.guildId, world.channelId, 'feedback', { message: `Feedback number ${index}: the sessions help me a lot.` });
    const ack = await handle.waitForAck(10_000);
    if (ack.type !== InteractionResponseType.ChannelMessageWithSource) throw new Error(`/feedback acknowledged with type ${ack.type}`);
    return performance.now() - started;
  };
  // Ready once the gateway is connected and the commands registered: the first /feedback is acknowledged.
  await untilAnswered(() => feedback(0).then(() => true));
  await runConcurrently(FEEDBACK_WARMUP, MEMBERS, feedback);
  const receipts: number[] = [];
  const adapterCpuBefore = cpuSeconds(adapterProcess.child.pid);
  const steadyStarted = performance.now();
  await Promise.all(
    Array.from({ length: FEEDBACK }, async (_, index) => {
      await sleep((index * 1000) / FEEDBACK_PER_SECOND);
      receipts.push(await feedback(FEEDBACK_WARMUP + index));
    }),
  );
  const steadySeconds = (performance.now() - steadyStarted) / 1000;
  const adapterCpuFeedback = cpuSeconds(adapterProcess.child.pid) - adapterCpuBefore;
  const saturation = await runConcurrently(SATURATION, MEMBERS, (index) => feedback(FEEDBACK_WARMUP + FEEDBACK + index));
  const total = 1 + FEEDBACK_WARMUP + FEEDBACK + SATURATION;
  // Every feedback reaches the platform analysed: nothing is lost behind the early receipt.
  const sharedBy = performance.now();
  await driver.waitFor(() => platform.events.filter((event) => event.type === 'feedback.shared').length >= total, 600_000);
  const drainSeconds = (performance.now() - sharedBy) / 1000;
  const [analysed] = await stack.db.query<{ count: string }>(`select count(*) from feedback where analysis_status = 'analysed'`);

  // The webhooks measure the adapter's intake: the worker (on other machines in production) is stopped, so that
  // posting the celebrations (one channel, five messages per five seconds) does not compete for these two cores.
  workerProcess.child.kill('SIGTERM');
  await workerProcess.exited;
  const idleTemporalBefore = cpuSeconds(stack.temporalPid);
  await sleep(5_000);
  const idleTemporalCpuPercent = round(((cpuSeconds(stack.temporalPid) - idleTemporalBefore) / 5) * 100, 1);

  // Milestone webhooks: each programme's hours climb by a random 0–12 per update, so about one update in sixteen
  // crosses a hundred; one in ten is a replay of an earlier delivery.
  const programmes = Array.from({ length: PROGRAMMES }, () => ({ id: `prog-${randomUUID().slice(0, 8)}`, hours: 0, minute: 0, sent: [] as string[] }));
  const expectedCrossings = new Map<string, number>();
  // node:http with a keep-alive agent: fetch costs this process a millisecond of CPU a request, which the two cores
  // Steward runs on would then lack.
  const agent = new Agent({ keepAlive: true, maxSockets: WEBHOOK_CONCURRENCY });
  const post = (body: string) =>
    new Promise<{ celebrations: { metric: MilestoneMetric; threshold: number }[]; ignored: string[] }>((resolve, reject) => {
      const request = httpRequest(`${httpUrl}/webhooks/milestones`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...signedHeaders(SECRET, body) } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (response.statusCode !== 200) reject(new Error(`webhook answered ${response.statusCode}: ${text}`));
          else resolve(JSON.parse(text) as never);
        });
      });
      request.on('error', reject);
      request.end(body);
    });
  let replays = 0;
  let ignored = 0;
  let celebrated = 0;
  const nextWebhook = (lane: number, step: number): string => {
    const programme = programmes[lane + WEBHOOK_CONCURRENCY * (step % (PROGRAMMES / WEBHOOK_CONCURRENCY))]!;
    if (step % REPLAY_EVERY === REPLAY_EVERY - 1 && programme.sent.length > 0) {
      replays++;
      return programme.sent[Math.floor(Math.random() * programme.sent.length)]!;
    }
    const before = programme.hours;
    programme.hours += Math.floor(Math.random() * 13);
    programme.minute += 1;
    if (programme.sent.length > 0) {
      const crossings = crossedThresholds('hours', before, programme.hours).length;
      expectedCrossings.set(programme.id, (expectedCrossings.get(programme.id) ?? 0) + crossings);
    }
    const body = JSON.stringify({ guild_id: world.guildId, program_id: programme.id, program_name: `Programme ${programme.id}`, observed_at: new Date(Date.UTC(2026, 0, 1, 0, programme.minute)).toISOString(), hours: programme.hours });
    programme.sent.push(body);
    return body;
  };
  // One platform sends one programme's updates in order: each connection owns its programmes.
  let steps = 0;
  const runWebhooks = async (count: number) => {
    const latencies: number[] = [];
    const started = performance.now();
    const first = steps;
    steps += count / WEBHOOK_CONCURRENCY;
    await Promise.all(
      Array.from({ length: WEBHOOK_CONCURRENCY }, async (_, lane) => {
        for (let step = first; step < steps; step++) {
          const body = nextWebhook(lane, step);
          const begin = performance.now();
          const answer = await post(body);
          latencies.push(performance.now() - begin);
          if (answer.ignored.length > 0) ignored++;
          celebrated += answer.celebrations.length;
        }
      }),
    );
    return { latencies, elapsedMs: performance.now() - started };
  };
  await runWebhooks(WEBHOOK_WARMUP);
  const celebratedBefore = celebrated;
  const adapterCpuBeforeWebhooks = cpuSeconds(adapterProcess.child.pid);
  const senderCpuBefore = process.cpuUsage();
  const temporalCpuBefore = cpuSeconds(stack.temporalPid);
  const webhooks = await runWebhooks(WEBHOOKS);
  const adapterCpuWebhooks = cpuSeconds(adapterProcess.child.pid) - adapterCpuBeforeWebhooks;
  const senderCpu = process.cpuUsage(senderCpuBefore);
  const temporalCpu = cpuSeconds(stack.temporalPid) - temporalCpuBefore;
  agent.destroy();
  const expected = [...expectedCrossings.values()].reduce((sum, count) => sum + count, 0);
  const [rows] = await stack.db.query<{ count: string }>('select count(*) from milestone_celebrations');
  // The outbox drains shortly after each burst: wait for it, then count the workflows the celebrations took.
  await untilAnswered(async () => Number((await stack.db.query<{ count: string }>(`select count(*) from milestone_celebrations where status = 'pending'`))[0]?.count) === 0);
  const [started] = await stack.db.query<{ count: string; workflows: string }>(`select count(*), count(distinct batch_id) as workflows from milestone_celebrations where status = 'started'`);

  return {
    feedbackReceipt: {
      steady: { interactions: FEEDBACK, perSecond: FEEDBACK_PER_SECOND, receiptLatencyMs: summarize(receipts), adapterCpuPercent: round((adapterCpuFeedback / steadySeconds) * 100, 1) },
      saturation: { interactions: SATURATION, concurrency: MEMBERS, receiptLatencyMs: summarize(saturation.latencies), perSecond: round((SATURATION / saturation.elapsedMs) * 1000, 1) },
      allSharedWithinSecondsAfter: round(drainSeconds, 1),
      analysedByQ2q: Number(analysed?.count ?? 0),
      lost: total - platform.events.filter((event) => event.type === 'feedback.shared').length,
    },
    milestoneWebhooks: {
      webhooks: WEBHOOKS,
      concurrency: WEBHOOK_CONCURRENCY,
      programmes: PROGRAMMES,
      acceptedPerSecond: round((WEBHOOKS / webhooks.elapsedMs) * 1000, 1),
      latencyMs: summarize(webhooks.latencies),
      adapterCpuPercent: round((adapterCpuWebhooks / (webhooks.elapsedMs / 1000)) * 100, 1),
      senderCpuPercent: round((senderCpu.user + senderCpu.system) / 1e4 / (webhooks.elapsedMs / 1000), 1),
      temporalCpuPercent: round((temporalCpu / (webhooks.elapsedMs / 1000)) * 100, 1),
      idleTemporalCpuPercent,
      replaysSent: replays,
      ignoredAnswers: ignored,
      crossingsExpected: expected,
      crossingsCelebrated: celebrated,
      celebrationsDuringMeasurement: celebrated - celebratedBefore,
      celebrationRows: Number(rows?.count ?? 0),
      celebrationsStarted: Number(started?.count ?? 0),
      celebrationWorkflows: Number(started?.workflows ?? 0),
    },
    postgres: stack.postgresVersion,
  };
}

/** Tries `probe` every half second for a minute until it answers true. */
async function untilAnswered(probe: () => Promise<boolean>): Promise<void> {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(500)) {
    if (await probe().catch(() => false)) return;
  }
  throw new Error('Steward did not become ready within a minute');
}
