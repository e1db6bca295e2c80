// An approval request outlives its worker: the worker is SIGKILLed while the request waits for approvers, a new
// worker takes it over, and the approval then applies the ban exactly once.
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { issueApiToken } from '../../src/http/api-tokens.js';
import type { RunningSteward } from '../../src/steward.js';
import { BOT_PERMISSIONS, createWorld, type World } from '../sandbox/world.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { button, type Card } from '../support/review-cards.js';
import { discordEnv, startTestSteward } from '../support/steward.js';
import { testTemporalAddress, uniqueTaskQueue } from '../support/temporal.js';
import { WorkerProcesses } from '../support/worker-processes.js';

let world: World;
let db: TestDatabase;
let adapters: RunningSteward;
let sharedEnv: Record<string, string>;
const workers = new WorkerProcesses(() => sharedEnv);

beforeAll(async () => {
  world = await createWorld();
  world.sandbox.driver.addBotToGuild(world.app.applicationId, world.guildId, { permissions: BOT_PERMISSIONS | PermissionFlagsBits.BanMembers });
  db = await createTestDatabase();
  sharedEnv = { TEMPORAL_ADDRESS: testTemporalAddress(), TEMPORAL_TASK_QUEUE: uniqueTaskQueue('approval-crash'), DATABASE_URL: db.url, ...discordEnv(world) };
  adapters = await startTestSteward(db, { world, env: sharedEnv, role: 'adapters' });
});

afterAll(async () => {
  workers.killAll();
  await adapters?.stop();
  await world?.sandbox.close();
  await db?.drop();
});

const startWorker = () => workers.start();

test('the worker dies while the request waits; after a restart the approval bans once', async () => {
  const { driver } = world.sandbox;
  const approvers = driver.createRole(world.guildId, { name: 'Approvers', permissions: 0n }).id;
  const bob = driver.createUser({ username: 'bob' }).id;
  driver.addMember(world.guildId, bob, { roles: [approvers] });
  const target = driver.createUser({ username: 'raider' }).id;
  driver.addMember(world.guildId, target);
  const { token } = await db.database.transaction((em) => issueApiToken(em, world.guildId, 'crash test'));
  const api = (method: string, path: string, body: unknown) =>
    fetch(`${adapters.httpUrl}/api/v1/guilds/${world.guildId}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  expect((await api('PUT', '/approvals/settings', { channel_id: world.channelId, approver_role_ids: [approvers] })).status).toBe(200);

  let worker = await startWorker();
  expect((await api('POST', '/approvals', { case_id: 'raid-1', action: { type: 'ban' }, target_id: target, reason: 'Raid account' })).status).toBe(202);
  const cardTitled = (title: RegExp) =>
    driver.waitFor(() => (driver.channelMessages(world.channelId) as unknown as Card[]).find((message) => message.embeds?.some((embed) => title.test(embed.title))), 45_000);
  const card = await cardTitled(/^Approval needed: Ban$/);

  worker.child.kill('SIGKILL');
  expect(await worker.exited).toBe('SIGKILL');
  worker = await startWorker();

  driver.clickButton(bob, world.channelId, card.id, button(card, 'Approve'));
  await cardTitled(/^Ban: approved$/);
  expect(driver.bans(world.guildId).filter((ban) => ban.userId === target)).toHaveLength(1);
  const puts = driver.restLog().filter((entry) => entry.method === 'PUT' && entry.path.endsWith(`/bans/${target}`));
  expect(puts).toHaveLength(1);
  worker.child.kill('SIGTERM');
  expect(await worker.exited).toBe(0);
}, 120_000);
