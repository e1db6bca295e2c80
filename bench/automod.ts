// Automatic moderation under a busy server: messages arrive at a fixed rate (open loop) and pass the adapter's
// pre-filter; 1 % are candidates, which the server's automod inbox judges in batches with a language model that
// takes 200 ms to answer. The question is whether Steward keeps up: each candidate must reach the model soon after
// its message, as late in the run as early, and every candidate exactly once.
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { issueApiToken } from '../src/http/api-tokens.js';
import { createWorld } from '../test/sandbox/world.js';
import { startAnthropicServer } from '../test/support/llm-servers/index.js';
import { BOTH_TOPOLOGIES, onBothTopologies, type BenchStack } from './stack.js';
import { round, summarize, writeResults } from './stats.js';

const RATE_PER_SECOND = 10_000;
const SECONDS = 10;
/** One message in this many is a candidate (it holds a listed phrase). */
const CANDIDATE_EVERY = 100;
/** Messages sent between checks of the clock: 10 ms worth at the target rate. */
const TICK_MESSAGES = RATE_PER_SECOND / 100;
const MODEL_LATENCY_MS = 200;
const DRAIN_TIMEOUT_MS = 300_000;

export async function benchmarkAutomod() {
  const { devServer, cluster } = await onBothTopologies(measure);
  const figures = {
    targetMessagesPerSecond: RATE_PER_SECOND,
    devServer,
    cluster,
    setup: [
      `${RATE_PER_SECOND * SECONDS} MESSAGE_CREATE in one channel at ${RATE_PER_SECOND}/s (open loop, from the sandbox in the benchmark process,`,
      `rate limits on); every ${CANDIDATE_EVERY}th holds a listed phrase. Steward adapters process (discord.js gateway,`,
      'in-process pre-filter) signals each candidate to the server\'s automod inbox workflow; the workers judge',
      `batches against a local Anthropic-protocol server that answers after ${MODEL_LATENCY_MS} ms ("no violation").`,
      `Lag: when the message was due to when its request reached the model server. Steward adapters + workers + PostgreSQL ${devServer.postgres} + sandbox on this machine.`,
      BOTH_TOPOLOGIES,
    ].join(' '),
  };
  return { path: writeResults('automod', figures), figures };
}

async function measure({ db, shutdown, ...stack }: BenchStack) {
  const world = await createWorld();
  shutdown.push('sandbox', () => world.sandbox.close());
  const model = await startAnthropicServer({ apiKey: 'bench-key' });
  shutdown.push('model server', () => model.close());
  model.setDefaultReply({ kind: 'tool', delayMs: MODEL_LATENCY_MS, input: { violation: false, action: 'none', explanation: 'Fine.' } });
  const env = {
    DISCORD_TOKEN: world.app.token,
    DISCORD_APPLICATION_ID: world.app.applicationId,
    DISCORD_GUILD_ID: world.guildId,
    DISCORD_API_URL: `${world.sandbox.url}/api`,
    ANTHROPIC_API_KEY: 'bench-key',
    ANTHROPIC_BASE_URL: model.baseUrl,
    LLM_PROVIDERS: 'anthropic',
    LOG_LEVEL: 'warn',
  };
  const [, adapters] = await Promise.all([stack.startSteward('worker', env), stack.startSteward('adapters', { ...env, LOG_LEVEL: 'info' })]);
  const ready = await adapters.waitForLog((line) => line.msg === 'Steward is running', 60_000);
  const { token } = await db.database.transaction((em) => issueApiToken(em, world.guildId, 'bench'));
  const saved = await fetch(`${String(ready.http)}/api/v1/guilds/${world.guildId}/moderation/settings`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ automod: { enabled: true, words: ['free nitro'], blockInvites: true } }),
  });
  if (!saved.ok) throw new Error(`Could not enable automatic moderation: ${saved.status}`);

  const total = RATE_PER_SECOND * SECONDS;
  const adapterCpuBefore = cpuMillisecondsOf(adapters.child.pid!);
  const started = performance.now();
  const startedAt = Date.now();
  let behindMs = 0;
  for (let sent = 0; sent < total; ) {
    for (let index = 0; index < TICK_MESSAGES; index++, sent++) {
      const candidate = sent % CANDIDATE_EVERY === CANDIDATE_EVERY - 1;
      const content = candidate ? `free nitro for everyone, message ${sent}` : `Message ${sent}, about as long as a typical line of chat.`;
      world.sandbox.driver.sendMessage(world.memberId, world.channelId, { content });
    }
    const due = (sent / RATE_PER_SECOND) * 1000;
    const wait = due - (performance.now() - started);
    if (wait > 0) await sleep(wait);
    else behindMs = Math.max(behindMs, -wait);
  }
  const sendSeconds = (performance.now() - started) / 1000;

  const candidates = total / CANDIDATE_EVERY;
  await waitFor(() => model.requests.length >= candidates, DRAIN_TIMEOUT_MS, () => `${model.requests.length} of ${candidates} candidates reached the model`);
  const lastAsked = Math.max(...model.requests.map((request) => request.receivedAt));
  // Any request still to come would be a candidate judged twice.
  await sleep(2_000);
  const adapterCpuMs = cpuMillisecondsOf(adapters.child.pid!) - adapterCpuBefore;
  const judged = model.requests.map((request) => ({ index: messageIndexIn(request.body), at: request.receivedAt }));
  const distinct = new Set(judged.map((entry) => entry.index)).size;
  const lags = judged.sort((a, b) => a.index - b.index).map((entry) => entry.at - (startedAt + (entry.index / RATE_PER_SECOND) * 1000));
  const half = (which: 'first' | 'second') => summarize(lags.filter((_, index) => (which === 'first' ? index < lags.length / 2 : index >= lags.length / 2)));

  const figures = {
    targetMessagesPerSecond: RATE_PER_SECOND,
    messages: total,
    sentMessagesPerSecond: round(total / sendSeconds, 0),
    senderMaxBehindMs: round(behindMs),
    candidates,
    modelRequests: model.requests.length,
    distinctCandidatesJudged: distinct,
    /** Message due → its candidate's request reached the model: gateway, pre-filter, signal, inbox batch, activity. */
    candidateToModelMs: summarize(lags),
    candidateToModelFirstHalfMs: half('first'),
    candidateToModelSecondHalfMs: half('second'),
    /** Messages per second Steward got through: all messages / (first message due → last candidate at the model). */
    messagesPerSecondThroughPipeline: round(total / ((lastAsked - startedAt) / 1000), 0),
    adapterCpuMicrosecondsPerMessage: round((adapterCpuMs * 1000) / total),
    postgres: stack.postgresVersion,
  };
  return figures;
}

/** The message number a judge request is about, from the quoted message in its prompt. */
function messageIndexIn(body: unknown): number {
  const match = /message (\d+)/.exec(JSON.stringify((body as { messages: unknown }).messages));
  if (!match) throw new Error('A model request without a benchmark message');
  return Number(match[1]);
}

async function waitFor(done: () => boolean, timeoutMs: number, progress: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(progress());
    await sleep(200);
  }
}

/** User + system CPU time of a process, from /proc. */
function cpuMillisecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100;
}
