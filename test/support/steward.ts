// Starts Steward in-process against the run's Temporal server, a test database and, when given, a sandbox world.
import { loadConfig, type Role } from '../../src/config/index.js';
import { freePort } from '../../src/net.js';
import { createLogger } from '../../src/observability/logger.js';
import { stewardFeatures } from '../../src/features/index.js';
import { startSteward, type RunningSteward } from '../../src/steward.js';
import type { World } from '../sandbox/world.js';
import type { TestDatabase } from './database.js';
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
  { world, env = {}, role = 'all' }: { world?: World; env?: Record<string, string>; role?: Role } = {},
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
  return startSteward(config, createLogger({ level: (process.env.TEST_LOG_LEVEL ?? 'silent') as 'silent' }));
}
