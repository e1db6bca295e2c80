// Starts Steward in-process against the run's Temporal server, a test database and, when given, a sandbox world.
import { loadConfig, type Role } from '../../src/config/index.js';
import { freePort } from '../../src/net.js';
import { createLogger, type Logger } from '../../src/observability/logger.js';
import { stewardFeatures } from '../../src/features/index.js';
import { startSteward, type RunningSteward, type StewardExtras } from '../../src/steward.js';
import type { World } from '../sandbox/world.js';
import type { TestDatabase } from './database.js';
import { spawnSteward, type StewardProcess } from './steward-process.js';
import { testTemporalAddress, uniqueTaskQueue } from './temporal.js';

/** The variables that point Steward's Discord adapter and activities at a sandbox world. */
export function discordEnv(world: World): Record<string, string> {
  return {
    DISCORD_TOKEN: world.app.token,
    DISCORD_APPLICATION_ID: world.app.applicationId,
    DISCORD_GUILD_ID: world.guildId,
    DISCORD_PUBLIC_KEY: world.app.publicKey,
    DISCORD_API_URL: `${world.sandbox.url}/api`,
  };
}

export async function startTestSteward(
  db: TestDatabase,
  {
    world,
    env = {},
    role = 'all',
    logger,
    extras,
  }: { world?: World; env?: Record<string, string>; role?: Role; logger?: Logger; extras?: StewardExtras } = {},
): Promise<RunningSteward> {
  const config = loadConfig(
    {
      TEMPORAL_ADDRESS: testTemporalAddress(),
      TEMPORAL_TASK_QUEUE: uniqueTaskQueue('steward'),
      TEMPORAL_METRICS_PORT: String(await freePort()),
      DATABASE_URL: db.url,
      HTTP_PORT: '0',
      DISCORD_SANDBOX_PORT: '0',
      ...(world ? discordEnv(world) : {}),
      ...env,
    },
    role,
    stewardFeatures,
  );
  // Without a sandbox world there is no Discord for a separate adapters process, and a test's own span processor
  // or logger sees only this process: those tests stay in one process.
  const inOneProcess = !world || role !== 'all' || logger || extras;
  if (process.env.STEWARD_TEST_TOPOLOGY === 'processes' && !inOneProcess) return startStewardProcesses(db, env, world, config.temporal.taskQueue);
  return startSteward(config, logger ?? createLogger({ level: (process.env.TEST_LOG_LEVEL ?? 'silent') as 'silent' }), extras);
}

/**
 * The production topology (`npm run test:cluster`): two workers on one task queue and the adapters, each its own
 * process from dist/, instead of everything in this one. The first worker applies the migrations before the
 * others start.
 */
async function startStewardProcesses(db: TestDatabase, env: Record<string, string>, world: World | undefined, taskQueue: string): Promise<RunningSteward> {
  const shared = {
    TEMPORAL_ADDRESS: testTemporalAddress(),
    TEMPORAL_TASK_QUEUE: taskQueue,
    DATABASE_URL: db.url,
    DISCORD_SANDBOX_PORT: '0',
    LOG_LEVEL: 'info',
    ...(world ? discordEnv(world) : {}),
    ...env,
  };
  const started: StewardProcess[] = [];
  const spawnRole = async (role: 'worker' | 'adapters', extra: Record<string, string>) => {
    const process_ = spawnSteward(role, { ...shared, TEMPORAL_METRICS_PORT: String(await freePort()), ...extra });
    started.push(process_);
    return { process: process_, ready: await process_.waitForLog((line) => line.msg === 'Steward is running', 90_000) };
  };
  const stop = async () => {
    // A process that ended before the test stopped it is the likeliest cause of a failure: say what it said.
    if (process.env.STEWARD_TEST_DUMP_LOGS === '1') for (const child of started) console.warn(child.logs.slice(-40).map((line) => JSON.stringify(line)).join('\n'));
    for (const child of started) if (child.child.exitCode !== null) console.warn(`A Steward process ended early (${child.child.exitCode}):\n${child.stderr()}\n${child.logs.slice(-15).map((line) => JSON.stringify(line)).join('\n')}`);
    for (const child of started) child.child.kill('SIGTERM');
    await Promise.all(started.map((child) => child.exited));
  };
  try {
    await spawnRole('worker', {});
    const [, adapters] = await Promise.all([spawnRole('worker', {}), spawnRole('adapters', { HTTP_PORT: String(await freePort()) })]);
    const workerStopped = Promise.race(started.filter((child) => child !== adapters.process).map((child) => child.exited)).then(() => undefined);
    return { httpUrl: adapters.ready.http as string, temporalAddress: shared.TEMPORAL_ADDRESS, taskQueue, workerStopped, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
