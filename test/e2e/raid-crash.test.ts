// A lockdown outlives its workers and Discord's rate limits: the worker is SIGKILLed while the lockdown is locking
// the channels and again while the lift is restoring them, with 429s served during the restore; each new worker
// resumes, and the server ends exactly as it was before the raid.
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import { issueApiToken } from '../../src/http/api-tokens.js';
import type { RunningSteward } from '../../src/steward.js';
import { BOT_PERMISSIONS, createWorld, type World } from '../sandbox/world.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { eventually } from '../support/steward-process.js';
import { discordEnv, startTestSteward } from '../support/steward.js';
import { testTemporalAddress, uniqueTaskQueue } from '../support/temporal.js';
import { WorkerProcesses } from '../support/worker-processes.js';

let world: World;
let db: TestDatabase;
let adapters: RunningSteward;
let sharedEnv: Record<string, string>;
let approver: string;
const workers = new WorkerProcesses(() => sharedEnv);
const lockedChannels: string[] = [];

type Overwrite = { id: string; type: number; allow: string; deny: string };
type AlertCard = { id: string; embeds: { title: string; footer?: { text: string } }[]; components: { components: { custom_id: string; label: string }[] }[] };

beforeAll(async () => {
  world = await createWorld();
  const { driver } = world.sandbox;
  driver.addBotToGuild(world.app.applicationId, world.guildId, { permissions: BOT_PERMISSIONS | P.ManageChannels | P.ManageRoles | P.ManageGuild | P.ModerateMembers | P.SendMessagesInThreads | P.AttachFiles });
  for (let index = 0; index < 12; index++) lockedChannels.push(driver.createChannel(world.guildId, { name: `room-${index}` }).id);
  // Some channels have an @everyone overwrite of their own, some slowmode: the lift must put each back as it was.
  for (const [index, channelId] of lockedChannels.entries()) {
    if (index % 3 === 0) driver.editChannelByHand(world.ownerId, channelId, { overwrite: { id: world.guildId, type: 0, allow: P.AttachFiles, deny: P.AddReactions } });
    if (index % 4 === 0) driver.editChannelByHand(world.ownerId, channelId, { slowmodeSeconds: 10 });
  }
  const approvers = driver.createRole(world.guildId, { name: 'Approvers', permissions: 0n, position: 2 }).id;
  approver = driver.createUser({ username: 'approver' }).id;
  driver.addMember(world.guildId, approver, { roles: [approvers] });
  db = await createTestDatabase();
  sharedEnv = { TEMPORAL_ADDRESS: testTemporalAddress(), TEMPORAL_TASK_QUEUE: uniqueTaskQueue('raid-crash'), DATABASE_URL: db.url, ...discordEnv(world) };
  adapters = await startTestSteward(db, { world, env: sharedEnv, role: 'adapters' });
  const { token } = await db.database.transaction((em) => issueApiToken(em, world.guildId, 'raid crash tests'));
  const put = (path: string, body: unknown) =>
    fetch(`${adapters.httpUrl}/api/v1/guilds/${world.guildId}${path}`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect((await put('/approvals/settings', { channel_id: world.channelId, approver_role_ids: [approvers] })).status).toBe(200);
  expect((await put('/raid/settings', { enabled: true, channel_ids: lockedChannels, alert_channel_id: world.channelId, start_level: 3, quiet_minutes: 60 })).status).toBe(200);
});

afterAll(async () => {
  workers.killAll();
  await adapters?.stop();
  await world?.sandbox.close();
  await db?.drop();
});

const startWorker = () => workers.start();

const driver = () => world.sandbox.driver;
const everyoneOf = (channelId: string) => (driver().channel(channelId) as unknown as { permission_overwrites?: Overwrite[] }).permission_overwrites?.find((overwrite) => overwrite.id === world.guildId) ?? null;
const serverState = () => ({
  channels: lockedChannels.map((id) => ({ slowmode: (driver().channel(id) as { rate_limit_per_user?: number }).rate_limit_per_user ?? 0, everyone: everyoneOf(id) })),
  features: (driver().guild(world.guildId) as unknown as { features: string[] }).features,
});
const sendDenied = (channelId: string) => (BigInt(everyoneOf(channelId)?.deny ?? 0) & P.SendMessages) !== 0n;
const overwriteWrites = () => driver().restLog().filter((entry) => entry.route === '/channels/:channel_id/permissions/:overwrite_id' && entry.status < 300);
const alertCard = () => (driver().channelMessages(world.channelId) as unknown as AlertCard[]).find((message) => /^Lockdown/.test(message.embeds?.[0]?.footer?.text ?? ''));

test('killed while locking and again while restoring, with 429s during the restore: the lift still ends exactly as before', async () => {
  const before = serverState();
  let worker = await startWorker();

  // Each overwrite write takes 700 ms, so the worker dies with the lock half applied.
  world.sandbox.faults.latency('PUT /channels/:channel_id/permissions/:overwrite_id', 700);
  await driver().joinBurst(world.guildId, { count: 20, accountAgeDays: 0.1, intervalMs: 100, namePrefix: 'raider' });
  await eventually(async () => (overwriteWrites().length >= 2 ? true : undefined), 30_000, 'the first overwrites written');
  await workers.kill(worker);
  const lockedAtKill = lockedChannels.filter(sendDenied).length;
  expect(lockedAtKill).toBeGreaterThan(0);
  expect(lockedAtKill).toBeLessThan(lockedChannels.length);

  worker = await startWorker();
  await eventually(async () => (lockedChannels.every(sendDenied) ? true : undefined), 60_000, 'every channel locked after the restart');
  world.sandbox.faults.clear();

  // The lift: restores are slow and the first four channel edits are answered 429.
  world.sandbox.faults.latency('PUT /channels/:channel_id/permissions/:overwrite_id', 700);
  world.sandbox.faults.latency('DELETE /channels/:channel_id/permissions/:overwrite_id', 700);
  world.sandbox.faults.rateLimit('PATCH /channels/:channel_id', { times: 4, retryAfterMs: 500 });
  const card = await eventually(async () => alertCard(), 20_000, 'the alert card');
  const lift = card.components[0]!.components.find((component) => component.label === 'Lift')!.custom_id;
  const liftPressedAt = Date.now();
  driver().clickButton(approver, world.channelId, card.id, lift);
  await eventually(async () => (lockedChannels.some((id) => !sendDenied(id)) ? true : undefined), 30_000, 'the restore under way');
  await workers.kill(worker);
  const restoredAtKill = lockedChannels.filter((id) => !sendDenied(id)).length;
  expect(restoredAtKill).toBeLessThan(lockedChannels.length);

  await startWorker();
  await eventually(async () => (alertCard()?.embeds[0]!.title === 'Lockdown lifted' ? true : undefined), 90_000, 'the lockdown lifted');
  world.sandbox.faults.clear();
  const served429 = driver().restLog().filter((entry) => entry.timestamp >= liftPressedAt && entry.status === 429 && entry.route === '/channels/:channel_id');
  expect(served429.length).toBeGreaterThanOrEqual(1);
  expect(serverState()).toEqual(before);
}, 240_000);
