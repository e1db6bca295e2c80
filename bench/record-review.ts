// Record review pace: click → next card with 20 members reviewing as fast as they can (closed loop; goal p99 < 300 ms),
// then at fixed click rates over many open reviews (open loop: what members feel at a given load), and reviews/s started.
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { readSuggestionRequest, type PromptText } from '../activities/records/offline-suggester.js';
import { createWorld } from '../test/sandbox/world.js';
import { anthropicProtocol } from '../test/support/llm-servers/anthropic-server.js';
import { startScriptedServer, type WireProtocol } from '../test/support/llm-servers/scripted-server.js';
import { cpuSeconds, machineCpuSeconds } from './proc.js';
import { startBenchStack, type TemporalTopology } from './stack.js';
import { round, runConcurrently, summarize, writeResults } from './stats.js';

const COMMAND = 'Add to records';
const MEMBERS = 20;
const SUGGESTIONS = 6;
/** Measured reviews per member, one after another: 20 × 2 × 6 = 240 click samples. */
const ROUNDS = 2;
const SATURATION_REVIEWS = 200;
const SATURATION_CONCURRENCY = 50;
const GOAL_P99_MS = 300;
/** Open loop: clicks at these fixed rates whatever the answers, each rate for OPEN_LOOP_SECONDS. */
const OPEN_LOOP_RATES = [5, 10, 20, 40];
/** Long enough for a p99 from hundreds of clicks at 10 clicks/s (at 20 s, runs of one build differed by 40 ms). */
const OPEN_LOOP_SECONDS = 40;
/** Reviews held open per click per second, so a ready card is there for every tick (members spread over many). */
const OPEN_REVIEWS_PER_RATE = 2;
const OPEN_LOOP_MIN_REVIEWS = 10;
/** The open-loop goal: p99 under 100 ms at 10 clicks/s on the dev server. */
const OPEN_LOOP_GOAL = { clicksPerSecond: 10, p99Ms: 100 };
/** Spreads the members' first reviews over a second, as independent members would. */
const STAGGER_MS = 50;
const CARD_TIMEOUT_MS = 30_000;
const RECORD_TYPES = ['log_entry', 'problem_report', 'part_request'];
/** The worker's histograms (Prometheus, milliseconds) that tell queueing for it from its own work. */
const TASK_METRICS = {
  workflowTaskQueued: 'temporal_workflow_task_schedule_to_start_latency',
  workflowTaskRun: 'temporal_workflow_task_execution_latency',
  activityQueued: 'temporal_activity_schedule_to_start_latency',
  activityRun: 'temporal_activity_execution_latency',
};

interface Card {
  id: string;
  interaction_metadata?: { id: string };
  embeds?: { title: string }[];
  components?: { components: { custom_id: string; label: string }[] }[];
}

interface Member {
  id: string;
  channelId: string;
}

/** Anthropic's wire protocol, answering at once with SUGGESTIONS records of the message under review. */
const suggestingProtocol: WireProtocol = {
  ...anthropicProtocol,
  success: (_reply, model, body) =>
    anthropicProtocol.success({ kind: 'tool', input: suggestionsFor(body) }, model, body),
};

export async function benchmarkRecordReview() {
  const devServer = await measure('dev-server');
  const cluster = await measure('cluster');
  const figures = {
    devServer,
    cluster,
    goalP99Ms: GOAL_P99_MS,
    goalMet: devServer.clickToNextCardMs.p99 < GOAL_P99_MS && cluster.clickToNextCardMs.p99 < GOAL_P99_MS,
    openLoopGoal: OPEN_LOOP_GOAL,
    openLoopGoalMet: (devServer.openLoop.find((run) => run.clicksPerSecond === OPEN_LOOP_GOAL.clicksPerSecond)?.p99 ?? Infinity) < OPEN_LOOP_GOAL.p99Ms,
    setup: [
      'Each topology on a fresh stack: the temporal dev server (SQLite WAL, synchronous=NORMAL, 1 history shard) with one',
      'worker process, then the full Temporal server v1.29.1 (PostgreSQL, 4 history shards) with two worker processes on',
      `the task queue. Click phase: ${MEMBERS} members, each in their own channel, run ${ROUNDS} reviews one after another (after`,
      `one warm-up review each; first reviews ${STAGGER_MS} ms apart). A review is "${COMMAND}" on a fresh message;`,
      `the LLM suggests ${SUGGESTIONS} records and the member clicks Create/Skip alternately (Create on the last`,
      'card) as soon as each card shows. Latency: from the driver.clickButton call to the sandbox applying the card',
      'edit with the next title (its message event), i.e. interaction → adapter ack → Update (validator, record',
      'write activity on Create) → card PATCH. Open loop: clicks sent at a fixed rate whatever the answers',
      `(${OPEN_LOOP_RATES.join(', ')} clicks/s, ${OPEN_LOOP_SECONDS} s each), each on a random review whose card is showing, out of`,
      `${OPEN_REVIEWS_PER_RATE} open reviews per click/s (at least ${OPEN_LOOP_MIN_REVIEWS}) spread over the ${MEMBERS} members; a finished review is`,
      'replaced by a new one (its command runs during the phase); missed = ticks with no card showing;',
      'p99Passes300MsAt = the first rate whose p99 is over 300 ms; each rate carries the CPU and worker task times over it. Saturation: "Add to records" on',
      `${SATURATION_REVIEWS} fresh messages, ${SATURATION_CONCURRENCY} in flight; latency: command to first card`,
      '(claim, conversation fetch, catalogue, LLM call, card PATCH). LLM: local Anthropic-compatible server',
      '(real @anthropic-ai/sdk over HTTP) answering every request at once with a tool call built from its',
      'target message. Steward adapters process (discord.js gateway) + worker processes (10 wf slots, 20 activity',
      'slots, 2 pollers each) + the Temporal server + PostgreSQL, all on this machine; sandbox (with Discord\'s rate',
      'limits) and LLM server in the benchmark process. CPU percentages: 100 = one core; other = the rest of the',
      'machine; worker = all workers. workerMeanMs: from the workers\' metrics, how long workflow tasks and',
      'activities waited in the task queue (queued) and ran (run).',
    ].join(' '),
  };
  return { path: writeResults('record-review', figures), figures };
}

async function measure(topology: TemporalTopology) {
  // The database is migrated by the stack, so the subject every suggestion names exists before the worker starts.
  const { db, shutdown, ...stack } = await startBenchStack({ topology });
  try {
    const llm = await startScriptedServer(suggestingProtocol, { apiKey: 'bench-anthropic-key' });
    shutdown.push('llm server', () => llm.close());

    const world = await createWorld();
    shutdown.push('sandbox', () => world.sandbox.close());
    const { driver } = world.sandbox;
    await db.query('insert into subjects (id, guild_id, name) values ($1, $2, $3)', [
      'machine-3',
      world.guildId,
      'Machine 3',
    ]);
    const members: Member[] = Array.from({ length: MEMBERS }, (_, index) => {
      const { id } = driver.createUser({ username: `member${index}` });
      driver.addMember(world.guildId, id);
      return { id, channelId: driver.createChannel(world.guildId, { name: `workshop-${index}` }).id };
    });
    const content = 'coil on machine 3 was dead: replaced it, ordered a spare';
    const post = (member: Member) => String(driver.sendMessage(member.id, member.channelId, { content }).id);

    const discord = {
      DISCORD_TOKEN: world.app.token,
      DISCORD_APPLICATION_ID: world.app.applicationId,
      DISCORD_GUILD_ID: world.guildId,
      DISCORD_API_URL: `${world.sandbox.url}/api`,
    };
    const [, adapters] = await Promise.all([
      stack.startSteward('worker', {
        ...discord,
        LOG_LEVEL: 'warn',
        ANTHROPIC_API_KEY: 'bench-anthropic-key',
        ANTHROPIC_BASE_URL: llm.baseUrl,
        LLM_PROVIDERS: 'anthropic',
      }),
      stack.startSteward('adapters', discord),
    ]);
    await adapters.waitForLog((line) => line.msg === 'Steward is running', 60_000);

    // Every edit of a review's card carries the command's interaction id, so each review waits under that id.
    const watchers = new Map<string, { title: RegExp; seen: (card: Card, at: number) => void }>();
    const stopWatching = driver.on('message', ({ action, message }) => {
      const card = message as unknown as Card;
      const reviewId = card.interaction_metadata?.id ?? '';
      const watcher = watchers.get(reviewId);
      if (action !== 'update' || !watcher || !card.embeds?.some((embed) => watcher.title.test(embed.title))) return;
      watchers.delete(reviewId);
      watcher.seen(card, performance.now());
    });
    shutdown.push('card watcher', async () => stopWatching());
    /** Resolves with the card of review `reviewId`, and when the sandbox held it, once its title matches. */
    const cardTitled = (reviewId: string, title: RegExp) =>
      new Promise<{ card: Card; at: number }>((resolve, reject) => {
        const timer = setTimeout(() => {
          watchers.delete(reviewId);
          reject(new Error(`No card titled ${title} for review ${reviewId} within ${CARD_TIMEOUT_MS} ms`));
        }, CARD_TIMEOUT_MS);
        watchers.set(reviewId, { title, seen: (card, at) => (clearTimeout(timer), resolve({ card, at })) });
      });

    /** A member's review: "Add to records", then Create or Skip on each card the moment it shows. */
    const review = async (member: Member) => {
      const messageId = post(member);
      const started = performance.now();
      const command = driver.runMessageCommand(member.id, world.guildId, member.channelId, COMMAND, messageId);
      let { card, at } = await cardTitled(command.id, /^Item 1 of /);
      const firstCardMs = at - started;
      const clickMs: number[] = [];
      for (let step = 0; step < SUGGESTIONS; step++) {
        const last = step === SUGGESTIONS - 1;
        const next = cardTitled(command.id, last ? /^Review finished$/ : new RegExp(`^Item ${step + 2} of `));
        const clicked = performance.now();
        const choice = last || step % 2 === 0 ? 'Create' : 'Skip';
        driver.clickButton(member.id, member.channelId, card.id, button(card, choice));
        ({ card, at } = await next);
        clickMs.push(at - clicked);
      }
      return { firstCardMs, clickMs };
    };
    const everyMemberReviews = (rounds: number) =>
      Promise.all(
        members.map(async (member, index) => {
          await sleep(index * STAGGER_MS);
          const reviews = [];
          for (let round = 0; round < rounds; round++) reviews.push(await review(member));
          return reviews;
        }),
      );

    // The warm-up also waits out the worker's start-up (workflow bundling) and warms every code path.
    await everyMemberReviews(1);

    const watched = {
      metricsUrls: stack.workers.map((worker) => worker.metricsUrl),
      processes: {
        worker: () => stack.workers.map((worker) => worker.process.child.pid),
        adapters: () => [adapters.child.pid],
        temporal: () => [stack.temporalPid],
        postgres: postgresProcesses,
        benchmark: () => [process.pid],
      },
    };
    const clicking = await observe(watched, () => everyMemberReviews(ROUNDS));
    const reviews = clicking.result.flat();
    const clicks = reviews.flatMap((done) => done.clickMs);
    const clickSummary = summarize(clicks);

    /** A review held open for the open loop, its card showing and waiting for the next click. */
    interface OpenReview {
      member: Member;
      reviewId: string;
      card: Card;
      step: number;
    }
    let nextMember = 0;
    const openReview = async (): Promise<OpenReview> => {
      const member = members[nextMember++ % members.length]!;
      const command = driver.runMessageCommand(member.id, world.guildId, member.channelId, COMMAND, post(member));
      const { card } = await cardTitled(command.id, /^Item 1 of /);
      return { member, reviewId: command.id, card, step: 0 };
    };
    /** Clicks at `rate` a second for OPEN_LOOP_SECONDS, each on a random showing card, never waiting for answers. */
    const clicksAtRate = async (rate: number) => {
      const ready: OpenReview[] = [];
      const opening: Promise<void>[] = [];
      const replenish = () => {
        const opened = openReview().then((open) => void ready.push(open));
        opening.push(opened);
        return opened;
      };
      await Promise.all(Array.from({ length: Math.max(OPEN_LOOP_MIN_REVIEWS, rate * OPEN_REVIEWS_PER_RATE) }, replenish));
      const latencies: number[] = [];
      const answered: Promise<void>[] = [];
      let missed = 0;
      const click = async (open: OpenReview) => {
        const last = open.step === SUGGESTIONS - 1;
        const next = cardTitled(open.reviewId, last ? /^Review finished$/ : new RegExp(`^Item ${open.step + 2} of `));
        const clicked = performance.now();
        driver.clickButton(open.member.id, open.member.channelId, open.card.id, button(open.card, last || open.step % 2 === 0 ? 'Create' : 'Skip'));
        const { card, at } = await next;
        latencies.push(at - clicked);
        if (last) await replenish();
        else ready.push({ ...open, card, step: open.step + 1 });
      };
      const started = performance.now();
      const ticks = rate * OPEN_LOOP_SECONDS;
      for (let tick = 0; tick < ticks; tick++) {
        const wait = started + (tick * 1000) / rate - performance.now();
        if (wait > 0) await sleep(wait);
        const [open] = ready.splice(Math.floor(Math.random() * ready.length), 1);
        if (open) answered.push(click(open));
        else missed++;
      }
      await Promise.all(answered);
      await Promise.all(opening);
      return { clicksPerSecond: rate, clicks: latencies.length, missed, ...summarize(latencies) };
    };
    /** One rate's figures with the machine's load over it: where the time went at that rate. */
    const openLoopAt = async (rate: number) => {
      const { result, load } = await observe(watched, () => clicksAtRate(rate));
      return { ...result, ...load };
    };
    const openLoop = [];
    for (const rate of OPEN_LOOP_RATES) openLoop.push(await openLoopAt(rate));

    const targets = Array.from({ length: SATURATION_REVIEWS }, (_, index) => {
      const member = members[index % MEMBERS]!;
      return { member, messageId: post(member) };
    });
    const saturation = await observe(watched, () =>
      runConcurrently(SATURATION_REVIEWS, SATURATION_CONCURRENCY, async (index) => {
        const { member, messageId } = targets[index]!;
        const command = driver.runMessageCommand(member.id, world.guildId, member.channelId, COMMAND, messageId);
        await cardTitled(command.id, /^Item 1 of /);
      }),
    );

    return {
      workers: stack.workers.length,
      clickToNextCardMs: { reviewers: MEMBERS, ...clickSummary },
      openLoop,
      p99Passes300MsAt: openLoop.find((run) => run.p99 > GOAL_P99_MS)?.clicksPerSecond ?? `above ${OPEN_LOOP_RATES.at(-1)} clicks/s`,
      clicking: {
        reviews: reviews.length,
        clicksPerSecond: round(clicks.length / clicking.seconds, 1),
        firstCardMs: summarize(reviews.map((done) => done.firstCardMs)),
        ...clicking.load,
      },
      saturation: {
        reviews: SATURATION_REVIEWS,
        concurrency: SATURATION_CONCURRENCY,
        reviewsPerSecond: round(SATURATION_REVIEWS / saturation.seconds, 1),
        firstCardMs: summarize(saturation.result.latencies),
        ...saturation.load,
      },
      postgres: stack.postgresVersion,
    };
  } finally {
    await shutdown.unwind();
  }
}

/** SUGGESTIONS records of the request's target message, about the first subject of the catalogue. */
function suggestionsFor(body: unknown) {
  const request = readSuggestionRequest(body as PromptText);
  const target = request?.conversation.find((message) => message.id === request.targetId);
  const subject = request?.subjects[0];
  if (!target || !subject) return { suggestions: [] };
  return {
    suggestions: Array.from({ length: SUGGESTIONS }, (_, index) => ({
      record_type: RECORD_TYPES[index % RECORD_TYPES.length],
      description: `Finding ${index + 1}: ${target.content}`,
      source_message_ids: [target.id],
      author_id: target.authorId,
      subject_id: subject.id,
    })),
  };
}

function button(card: Card, label: string): string {
  const found = card.components?.flatMap((row) => row.components).find((component) => component.label === label);
  if (!found) throw new Error(`no ${label} button on ${JSON.stringify(card)}`);
  return found.custom_id;
}

/**
 * Runs one phase and reports over it each process group's CPU (100 = one core; `other` is the rest of the machine)
 * and the worker's mean task times from its metrics: queued = schedule-to-start, run = execution.
 */
async function observe<T>(
  watched: { metricsUrls: string[]; processes: Record<string, () => (number | undefined)[]> },
  run: () => Promise<T>,
) {
  const groups = Object.entries(watched.processes);
  const sample = () => groups.map(([, pids]) => new Map(pids().map((pid) => [pid, cpuSeconds(pid)])));
  const before = { cpu: sample(), machine: machineCpuSeconds(), tasks: await workerTaskTimes(watched.metricsUrls) };
  const started = performance.now();
  const result = await run();
  const seconds = (performance.now() - started) / 1000;
  const after = { cpu: sample(), machine: machineCpuSeconds(), tasks: await workerTaskTimes(watched.metricsUrls) };
  // Per process, so a PostgreSQL backend opened during the phase counts in full and one that closed is left out.
  const used = after.cpu.map((pids, index) =>
    [...pids].reduce((sum, [pid, cpu]) => sum + cpu - (before.cpu[index]!.get(pid) ?? 0), 0),
  );
  const machine = after.machine - before.machine;
  const percent = (cpu: number) => round((cpu / seconds) * 100, 1);
  const mean = (name: string) => {
    const [now, then] = [after.tasks[name]!, before.tasks[name]!];
    return round((now.sum - then.sum) / (now.count - then.count));
  };
  return {
    result,
    seconds,
    load: {
      cpuPercent: {
        ...Object.fromEntries(groups.map(([name], index) => [name, percent(used[index]!)])),
        other: percent(machine - used.reduce((sum, cpu) => sum + cpu, 0)),
        machine: percent(machine),
      },
      workerMeanMs: Object.fromEntries(Object.keys(TASK_METRICS).map((name) => [name, mean(name)])),
    },
  };
}

/** Sum (ms) and count of each TASK_METRICS histogram over all its label sets, from every worker's Prometheus text. */
async function workerTaskTimes(metricsUrls: string[]): Promise<Record<string, { sum: number; count: number }>> {
  const texts = await Promise.all(metricsUrls.map(async (url) => (await fetch(url)).text()));
  const lines = texts.join('\n').split('\n');
  const total = (metric: string) =>
    lines
      .filter((line) => line.startsWith(`${metric}{`) || line.startsWith(`${metric} `))
      .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
  const histogram = (metric: string) => ({ sum: total(`${metric}_sum`), count: total(`${metric}_count`) });
  return Object.fromEntries(Object.entries(TASK_METRICS).map(([name, metric]) => [name, histogram(metric)]));
}

/** PostgreSQL's server and backend processes (every client's), whose pool connections stay open through a phase. */
function postgresProcesses(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
      } catch {
        return false;
      }
    })
    .map(Number);
}
