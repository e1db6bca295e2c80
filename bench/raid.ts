// Raid protection: (1) the detectors' own throughput and memory, in a separate process with --expose-gc; (2) end to
// end, the join that crosses the threshold → every chosen channel slowed, through the gateway, the adapter's
// detector, the lockdown workflow's snapshot and its first step, with Discord's rate limits on.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import { DEFAULT_RAID_SETTINGS, saveRaidSettings } from '../src/features/raid/settings.js';
import { BOT_PERMISSIONS, createWorld } from '../test/sandbox/world.js';
import { BOTH_TOPOLOGIES, onBothTopologies, type BenchStack } from './stack.js';
import { summarize, writeResults } from './stats.js';

const TRIALS = 20;
const CHANNELS = 10;
/** Joins of day-old accounts weigh 2: the fifth crosses the default threshold of 10. */
const CROSSING_JOIN = 5;

export async function benchmarkRaid() {
  const detectors = detectorFigures();
  const { devServer, cluster } = await onBothTopologies(measure);
  const figures = {
    detectors,
    crossingJoinToLockdownMs: { devServer, cluster },
    setup: [
      `Detectors: ${detectors.events} events (1 in 20 a join of an aged account, the rest chat lines, each its own, from 50 members`,
      `per server) over ${detectors.servers} servers, in one process; memory is the heap they hold afterwards (after GC). End to end: for each of`,
      `${TRIALS} servers, day-old accounts join 50 ms apart; the ${CROSSING_JOIN}th crosses the default threshold (10 weighted joins in 10 s).`,
      `Latency: that join's dispatch → the sandbox's answer to the last of ${CHANNELS} slowmode edits (snapshot first, then the edits), Discord's`,
      'rate limits on. Steward adapters + workers + PostgreSQL + sandbox on this machine.',
      BOTH_TOPOLOGIES,
    ].join(' '),
  };
  return { path: writeResults('raid', figures), figures };
}

async function measure({ db, shutdown, ...stack }: BenchStack) {
  const world = await createWorld();
  shutdown.push('sandbox', () => world.sandbox.close());
  const { driver } = world.sandbox;
  const permissions = BOT_PERMISSIONS | P.ManageChannels | P.ManageRoles | P.ManageGuild | P.ModerateMembers | P.SendMessagesInThreads;
  const servers = Array.from({ length: TRIALS }, (_, index) => {
    const guildId = index === 0 ? world.guildId : driver.createGuild({ name: `Raided ${index}` }).id;
    if (index > 0) driver.addBotToGuild(world.app.applicationId, guildId, { permissions });
    const channels = Array.from({ length: CHANNELS }, (_, channel) => driver.createChannel(guildId, { name: `room-${channel}` }).id);
    return { guildId, channels };
  });
  driver.addBotToGuild(world.app.applicationId, world.guildId, { permissions });
  for (const server of servers) {
    await db.database.transaction((em) => saveRaidSettings(em, server.guildId, { ...DEFAULT_RAID_SETTINGS, enabled: true, channelIds: server.channels, alertChannelId: world.channelId, quietMinutes: 60, joinAction: 'none' }));
  }
  const env = { DISCORD_TOKEN: world.app.token, DISCORD_APPLICATION_ID: world.app.applicationId, DISCORD_GUILD_ID: world.guildId, DISCORD_API_URL: `${world.sandbox.url}/api`, LOG_LEVEL: 'warn' };
  const [, adapters] = await Promise.all([stack.startSteward('worker', env), stack.startSteward('adapters', { ...env, LOG_LEVEL: 'info' })]);
  await adapters.waitForLog((line) => line.msg === 'Steward is running', 60_000);
  // One ordinary join loads the adapter's settings of every protected server.
  driver.addMember(world.guildId, driver.createUser({ username: 'warm-up', createdAt: new Date(Date.now() - 400 * 86_400_000) }).id);
  await sleep(2_000);

  const samples: number[] = [];
  for (const server of servers) {
    let crossedAt = 0;
    for (let join = 1; join <= CROSSING_JOIN + 2; join++) {
      const user = driver.createUser({ username: `raider-${join}`, createdAt: new Date(Date.now() - 3_600_000) });
      if (join === CROSSING_JOIN) crossedAt = Date.now();
      driver.addMember(server.guildId, user.id);
      await sleep(50);
    }
    const slowed = (id: string) => (driver.channel(id) as { rate_limit_per_user?: number }).rate_limit_per_user === DEFAULT_RAID_SETTINGS.slowmodeSeconds;
    const deadline = Date.now() + 30_000;
    while (!server.channels.every(slowed)) {
      if (Date.now() > deadline) throw new Error(`The lockdown of ${server.guildId} did not slow every channel within 30 s`);
      await sleep(5);
    }
    const lastChange = Math.max(...driver.restLog().filter((entry) => entry.method === 'PATCH' && server.channels.some((id) => entry.path.endsWith(`/channels/${id}`)) && entry.status === 200).map((entry) => entry.timestamp));
    samples.push(lastChange - crossedAt);
    await sleep(1_000);
  }
  return { trials: TRIALS, channelsPerServer: CHANNELS, ...summarize(samples) };
}

function detectorFigures(): Record<string, number> {
  const script = fileURLToPath(new URL('./raid-detectors.js', import.meta.url));
  const run = spawnSync(process.execPath, ['--expose-gc', script], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`The detector benchmark failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Record<string, number>;
}
