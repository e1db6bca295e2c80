// XP and statistics ingest: how many members' messages one adapter process takes in, counted for XP (MEE6's
// cooldown) and statistics in memory and written in batches, and how many rows a second those writes are. Messages
// arrive at a fixed rate (open loop) from 2,000 members over 20 channels; the adapter keeps up when every message is
// counted in PostgreSQL within a flush or two of the last one sent.
import { setTimeout as sleep } from 'node:timers/promises';
import { createWorld } from '../test/sandbox/world.js';
import { discordEnv } from '../test/support/steward.js';
import { cpuSeconds } from './proc.js';
import { BOTH_TOPOLOGIES, startBenchStack, type TemporalTopology } from './stack.js';
import { round, writeResults } from './stats.js';

/** The goal's rate, then twice it, each on a fresh stack. */
const RATES_PER_SECOND = [10_000, 20_000];
const SECONDS = 10;
const MEMBERS = 2_000;
const CHANNELS = 20;
const WRITTEN_TABLES = ['channel_hours', 'member_days', 'member_levels', 'xp_days'];

export async function benchmarkActivityIngest() {
  const runsOn = async (topology: TemporalTopology) => {
    const runs = [];
    for (const rate of RATES_PER_SECOND) runs.push(await measureAt(rate, topology));
    return runs.map(({ setup: _setup, ...run }) => run);
  };
  const devServer = await runsOn('dev-server');
  const cluster = await runsOn('cluster');
  const figures = {
    devServer,
    cluster,
    setup: [
      `${SECONDS} s of MESSAGE_CREATE at each rate (open loop) from ${MEMBERS} members over ${CHANNELS} channels, sent by the sandbox in the`,
      'benchmark process (rate limits on). The Steward adapters process counts each message for XP (MEE6 defaults: one award',
      'per member per minute) and for statistics (per channel and hour, members per day), alongside raid and automod checks,',
      'and writes both every two seconds (one statement per table per write). Rows: inserts + updates on channel_hours,',
      `member_days, member_levels and xp_days (pg_stat_user_tables). Steward adapters + workers + PostgreSQL ${devServer[0]?.postgres} + sandbox on this machine.`,
      BOTH_TOPOLOGIES,
    ].join(' '),
  };
  return { path: writeResults('activity-ingest', figures), figures };
}

async function measureAt(ratePerSecond: number, topology: TemporalTopology) {
  /** Messages sent between checks of the clock: 10 ms worth at the target rate. */
  const tickMessages = ratePerSecond / 100;
  const { db, shutdown, ...stack } = await startBenchStack({ topology });
  try {
    const world = await createWorld();
    shutdown.push('sandbox', () => world.sandbox.close());
    const { driver } = world.sandbox;
    const channels = Array.from({ length: CHANNELS }, (_, index) => driver.createChannel(world.guildId, { name: `chat-${index}` }).id);
    const members = Array.from({ length: MEMBERS }, (_, index) => {
      const { id } = driver.createUser({ username: `member${index}` });
      driver.addMember(world.guildId, id);
      return id;
    });
    const env = { ...discordEnv(world), LOG_LEVEL: 'warn' };
    const [, adapters] = await Promise.all([stack.startSteward('worker', env), stack.startSteward('adapters', { ...env, LOG_LEVEL: 'info' })]);
    await adapters.waitForLog((line) => line.msg === 'Steward is running', 60_000);

    const counted = async () => Number((await db.query<{ sum: string | null }>(`select sum(messages) from channel_hours where channel_id <> '0'`))[0]?.sum ?? 0);
    const rowsTouched = async () => {
      const rows = await db.query<{ touched: string }>(`select coalesce(sum(n_tup_ins + n_tup_upd), 0) as touched from pg_stat_user_tables where relname = any($1)`, [WRITTEN_TABLES]);
      return Number(rows[0]?.touched ?? 0);
    };
    const rowsBefore = await rowsTouched();

    const total = ratePerSecond * SECONDS;
    const adapterCpuBefore = cpuSeconds(adapters.child.pid);
    const started = performance.now();
    let behindMs = 0;
    for (let sent = 0; sent < total; ) {
      for (let index = 0; index < tickMessages; index++, sent++) {
        driver.sendMessage(members[sent % MEMBERS]!, channels[sent % CHANNELS]!, { content: `Message ${sent}, about as long as a typical line of chat.` });
      }
      const due = (sent / ratePerSecond) * 1000;
      const wait = due - (performance.now() - started);
      if (wait > 0) await sleep(wait);
      else behindMs = Math.max(behindMs, -wait);
    }
    const sentAt = performance.now();
    const sendSeconds = (sentAt - started) / 1000;
    while ((await counted()) < total) {
      if (performance.now() - sentAt > 60_000) throw new Error(`Only ${await counted()} of ${total} messages were counted a minute after the last`);
      await sleep(100);
    }
    const countedAfterLastMs = performance.now() - sentAt;
    const adapterCpu = cpuSeconds(adapters.child.pid) - adapterCpuBefore;
    // Pending statistics of the table counters reach pg_stat a moment later.
    await sleep(1_500);
    const rows = (await rowsTouched()) - rowsBefore;
    const [xp] = await db.query<{ members: string; messages: string }>('select count(*) as members, sum(messages) as messages from member_levels');
    const elapsedSeconds = (sentAt + countedAfterLastMs - started) / 1000;

    const figures = {
      targetMessagesPerSecond: ratePerSecond,
      messages: total,
      sentMessagesPerSecond: round(total / sendSeconds, 0),
      senderMaxBehindMs: round(behindMs),
      /** The last message sent → every message counted in PostgreSQL (writes are every two seconds). */
      allCountedAfterLastMs: round(countedAfterLastMs),
      messagesPerSecondTakenIn: round(total / elapsedSeconds, 0),
      adapterCpuPercent: round((adapterCpu / elapsedSeconds) * 100, 1),
      adapterCpuMicrosecondsPerMessage: round((adapterCpu * 1e6) / total, 1),
      /** What one core of adapter would take in at that cost. */
      messagesPerAdapterCoreSecond: round(total / adapterCpu, 0),
      rowsWritten: rows,
      rowsWrittenPerSecond: round(rows / elapsedSeconds, 0),
      membersWithXp: Number(xp?.members ?? 0),
      xpMessagesCounted: Number(xp?.messages ?? 0),
      postgres: stack.postgresVersion,
      setup: undefined,
    };
    return figures;
  } finally {
    await shutdown.unwind();
  }
}
