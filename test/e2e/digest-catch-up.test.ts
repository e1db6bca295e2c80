// A digest Schedule on its own Temporal dev server, run every 20 seconds (DIGEST_INTERVAL_SECONDS): it fires on
// its own; then the server is killed for long enough to miss at least two slots and restarted from its database,
// and exactly one catch-up digest is posted for the missed slots, not one per slot.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueApiToken } from '../../src/http/api-tokens.js';
import { freePort } from '../../src/net.js';
import type { RunningSteward } from '../../src/steward.js';
import { startDevServer } from '../../src/temporal/dev-server.js';
import { resolveTemporalCli } from '../../src/temporal/cli.js';
import { scheduleIdFor } from '../../src/temporal/schedules.js';
import { digestScheduleId } from '../../workflows/digests/messages.js';
import { BOT_PERMISSIONS, createWorld, type World } from '../sandbox/world.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { eventually } from '../support/steward-process.js';
import { startTestSteward } from '../support/steward.js';
import { testClient } from '../support/temporal.js';

const INTERVAL_SECONDS = 20;
let world: World;
let db: TestDatabase;
let steward: RunningSteward | undefined;
let server: Awaited<ReturnType<typeof startDevServer>> | undefined;

beforeAll(async () => {
  world = await createWorld();
  world.sandbox.driver.addBotToGuild(world.app.applicationId, world.guildId, { permissions: BOT_PERMISSIONS });
  db = await createTestDatabase();
});

afterAll(async () => {
  await steward?.stop();
  await server?.stop();
  await world?.sandbox.close();
  await db?.drop();
});

const postedPeriods = async () => (await db.query<{ period_end: string }>(`select period_end from digest_posts where guild_id = $1 and target = 'channel:0' order by period_end`, [world.guildId])).map((row) => Date.parse(row.period_end));

test('downtime over several slots gives one catch-up digest', async () => {
  const cli = await resolveTemporalCli({ allowBuild: false, allowDownload: false, explicitPath: process.env.STEWARD_TEST_TEMPORAL_CLI });
  const serverOptions = { cli, port: await freePort(), namespace: 'default', dbFile: join(mkdtempSync(join(tmpdir(), 'steward-digest-')), 'temporal.db'), durability: 'durable' as const };
  server = await startDevServer(serverOptions);
  steward = await startTestSteward(db, { world, env: { TEMPORAL_ADDRESS: server.address, DIGEST_INTERVAL_SECONDS: String(INTERVAL_SECONDS) } });
  const { token } = await db.database.transaction((em) => issueApiToken(em, world.guildId, 'catch-up'));
  const channelId = world.sandbox.driver.createChannel(world.guildId, { name: 'digest' }).id;
  const saved = await fetch(`${steward.httpUrl}/api/v1/guilds/${world.guildId}/digest/settings`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ enabled: true, channel_id: channelId }),
  });
  expect(saved.status).toBe(200);

  // The Schedule fires on its own.
  await eventually(async () => ((await postedPeriods()).length >= 1 ? true : undefined), (INTERVAL_SECONDS + 15) * 1000, 'the first digest');
  // The outage starts between runs: a run still open when the server dies would, by the overlap policy (SKIP),
  // rightly skip every slot missed while it finishes.
  const schedule = (await testClient(server.address)).schedule.getHandle(scheduleIdFor(digestScheduleId(world.guildId), steward.taskQueue));
  const secondsToNextSlot = () => INTERVAL_SECONDS - ((Date.now() / 1000) % INTERVAL_SECONDS);
  await eventually(async () => (secondsToNextSlot() > 3 && (await schedule.describe()).info.runningActions.length === 0 ? true : undefined), 2 * INTERVAL_SECONDS * 1000, 'a moment between runs');

  await server.kill();
  const downAt = Date.now();
  await new Promise((resolve) => setTimeout(resolve, (2 * INTERVAL_SECONDS + 8) * 1000));
  server = await startDevServer(serverOptions);
  const upAt = Date.now();
  const missed = Math.floor(upAt / 1000 / INTERVAL_SECONDS) - Math.floor(downAt / 1000 / INTERVAL_SECONDS);
  expect(missed).toBeGreaterThanOrEqual(2);

  const duringDowntime = async () => (await postedPeriods()).filter((at) => at > downAt && at < upAt);
  await eventually(async () => ((await duringDowntime()).length >= 1 ? true : undefined), 30_000, 'the catch-up digest');
  // Long enough for any further catch-up run to have posted too.
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  expect(await duringDowntime()).toHaveLength(1);
  const digests = world.sandbox.driver.channelMessages(channelId).filter((message) => (message.embeds as { title: string }[] | undefined)?.[0]?.title.startsWith('🗞️'));
  expect(digests.length).toBe((await postedPeriods()).length);
}, 180_000);
