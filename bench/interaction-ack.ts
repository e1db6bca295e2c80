// Acknowledgement latency of Steward's gateway adapter under 50 concurrent /ping interactions: Discord fails any
// interaction not acknowledged within 3 seconds, so this is the adapter's hard deadline (goal: p99 < 50 ms).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { InteractionResponseType } from 'discord-api-types/v10';
import { createWorld } from '../test/sandbox/world.js';
import { cpuSeconds } from './proc.js';
import { BOTH_TOPOLOGIES, onBothTopologies, type BenchStack } from './stack.js';
import { round, runConcurrently, summarize, writeResults } from './stats.js';

const CONCURRENCY = 50;
const WARMUP = 100;
const SUSTAINED = 500;
const BURST = 500;
const ANSWER_TIMEOUT_MS = 60_000;
/** Spreads the members' first /pings over a second, as independent members would; the burst phase is the other case. */
const STAGGER_MS = 20;

export async function benchmarkInteractionAck() {
  const { devServer, cluster } = await onBothTopologies(measure);
  const figures = {
    devServer,
    cluster,
    setup: [
      `${WARMUP} warm-up /pings; then ${SUSTAINED} with ${CONCURRENCY} members each waiting for the answer before`,
      `the next (first /pings ${STAGGER_MS} ms apart); then ${BURST} with ${CONCURRENCY} always awaiting their ack`,
      '(answers drained after). Latency: the sandbox dispatching INTERACTION_CREATE to it handling the callback',
      'POST. Steward adapters process (discord.js gateway, dispatcher, /ping) + worker processes',
      `+ PostgreSQL ${devServer.postgres}, all on this machine; sandbox (with Discord's rate limits) in the benchmark process.`,
      'CPU percentages: 100 = one core.',
      BOTH_TOPOLOGIES,
    ].join(' '),
  };
  return { path: writeResults('interaction-ack', figures), figures };
}

async function measure(stack: BenchStack) {
  // The sandbox stays in this process and Steward's adapters run in their own, as in production, so measuring
  // never queues on the adapter's event loop.
  const world = await createWorld();
  const { driver } = world.sandbox;
  const members = Array.from({ length: CONCURRENCY }, (_, index) => {
    const { id } = driver.createUser({ username: `member${index}` });
    driver.addMember(world.guildId, id);
    return id;
  });
  stack.shutdown.push('sandbox', () => world.sandbox.close());
  const worker = stack.startSteward('worker', { LOG_LEVEL: 'warn' });
  const adapters = stack.startSteward('adapters', {
    DISCORD_TOKEN: world.app.token,
    DISCORD_APPLICATION_ID: world.app.applicationId,
    DISCORD_GUILD_ID: world.guildId,
    DISCORD_API_URL: `${world.sandbox.url}/api`,
  });

  // A /ping is answered when its workflow's result is edited into the deferred reply.
  let answered = 0;
  const answerWaiters = new Map<string, () => void>();
  const stopWatching = driver.on('message', ({ action, message }) => {
    const interaction = message.interaction_metadata as { id: string } | undefined;
    if (action !== 'update' || !interaction) return;
    answered++;
    answerWaiters.get(interaction.id)?.();
  });
  const answerTo = (interactionId: string) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`/ping ${interactionId} unanswered after ${ANSWER_TIMEOUT_MS} ms`)),
        ANSWER_TIMEOUT_MS,
      );
      answerWaiters.set(interactionId, () => (clearTimeout(timer), answerWaiters.delete(interactionId), resolve()));
    });

  let acknowledged = 0;
  let missed = 0;
  /** Runs /ping as member `index % CONCURRENCY`; resolves with its start and ack latency, or undefined if it failed. */
  const ping = async (label: string, index: number) => {
    const started = performance.now();
    const handle = driver.runSlashCommand(members[index % CONCURRENCY]!, world.guildId, world.channelId, 'ping', {
      message: `${label}-${index}`,
    });
    const ack = await handle.waitForAck().catch(() => undefined);
    if (!ack) return void missed++;
    if (ack.type !== InteractionResponseType.DeferredChannelMessageWithSource) {
      throw new Error(`/ping acknowledged with type ${ack.type}`);
    }
    acknowledged++;
    return { started, latencyMs: performance.now() - started, interactionId: handle.id };
  };
  const allAnswered = () => driver.waitFor(() => answered >= acknowledged, ANSWER_TIMEOUT_MS);

  try {
    const [adapterProcess] = await Promise.all([adapters, worker]);
    await adapterProcess.waitForLog((line) => line.msg === 'Steward is running', 60_000);
    // The warm-up's answers also wait out the worker's start-up (workflow bundling), which would otherwise
    // compete for the CPU during the measured runs.
    await runConcurrently(WARMUP, CONCURRENCY, (index) => ping('warmup', index));
    await allAnswered();

    // Sustained: each member waits for the answer before the next /ping, so the workflows run alongside the acks.
    const sustainedAcks: number[] = [];
    const sustainedAnswers: number[] = [];
    const sustained = await observe(adapterProcess.child.pid, () =>
      runConcurrently(SUSTAINED, CONCURRENCY, async (index) => {
        if (index < CONCURRENCY) await sleep(index * STAGGER_MS);
        const result = await ping('sustained', index);
        if (!result) return;
        sustainedAcks.push(result.latencyMs);
        await answerTo(result.interactionId);
        sustainedAnswers.push(performance.now() - result.started);
      }),
    );
    // Burst: a member acts again as soon as the ack arrives, so this finds how many acks per second the setup gives.
    const burst = await observe(adapterProcess.child.pid, () =>
      runConcurrently(BURST, CONCURRENCY, (index) => ping('burst', index)),
    );
    await allAnswered();

    const figures = {
      sustained: {
        interactions: SUSTAINED,
        ackLatencyMs: { concurrency: CONCURRENCY, ...summarize(sustainedAcks) },
        acksPerSecond: round((SUSTAINED / sustained.result.elapsedMs) * 1000, 1),
        answerLatencyMs: summarize(sustainedAnswers),
        ...sustained.load,
      },
      burst: {
        interactions: BURST,
        ackLatencyMs: { concurrency: CONCURRENCY, ...summarize(burst.result.latencies) },
        acksPerSecond: round((BURST / burst.result.elapsedMs) * 1000, 1),
        ...burst.load,
      },
      missedDeadline: missed,
      postgres: stack.postgresVersion,
    };
    return figures;
  } finally {
    stopWatching();
  }
}

/**
 * Runs one phase while watching the CPU of the adapter and of the sandbox (which one limits?) and this process's
 * event-loop delay (how late the sandbox may have noticed a callback, which the latencies then include).
 */
async function observe<T>(adapterPid: number | undefined, run: () => Promise<T>) {
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  const adapterCpuBefore = cpuSeconds(adapterPid);
  const sandboxCpuBefore = process.cpuUsage();
  const started = performance.now();
  const result = await run();
  const elapsedSeconds = (performance.now() - started) / 1000;
  const sandboxCpu = process.cpuUsage(sandboxCpuBefore);
  loopDelay.disable();
  return {
    result,
    load: {
      adapterCpuPercent: round(((cpuSeconds(adapterPid) - adapterCpuBefore) / elapsedSeconds) * 100, 1),
      sandboxCpuPercent: round((sandboxCpu.user + sandboxCpu.system) / 1e4 / elapsedSeconds, 1),
      sandboxEventLoopDelayMs: { p99: round(loopDelay.percentile(99) / 1e6), max: round(loopDelay.max / 1e6) },
    },
  };
}
