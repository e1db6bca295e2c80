// Server statistics end to end: members' messages, joins, leaves and commands through the gateway, counted in the
// adapter and written in batches; the daily roll-up (a real Schedule, and its workflow run by hand); /stats with its
// chart image; GET /stats. Steward in-process against the sandbox, real Temporal, real PostgreSQL.
import { randomUUID } from 'node:crypto';
import { rollUpStatistics } from '../../workflows/stats/rollup-workflow.js';
import { issueApiToken } from '../../src/http/api-tokens.js';
import type { RunningSteward } from '../../src/steward.js';
import { scheduleIdFor } from '../../src/temporal/schedules.js';
import { createWorld, type World } from '../sandbox/world.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { eventually } from '../support/steward-process.js';
import { startTestSteward } from '../support/steward.js';
import { testClient } from '../support/temporal.js';

let world: World;
let db: TestDatabase;
let steward: RunningSteward;
let token: string;
const channels = { general: '', help: '' };

beforeAll(async () => {
  world = await createWorld();
  for (const name of Object.keys(channels) as (keyof typeof channels)[]) channels[name] = world.sandbox.driver.createChannel(world.guildId, { name }).id;
  db = await createTestDatabase();
  steward = await startTestSteward(db, { world });
  token = (await db.database.transaction((em) => issueApiToken(em, world.guildId, 'stats tests'))).token;
});

afterAll(async () => {
  await steward?.stop();
  await world?.sandbox.close();
  await db?.drop();
});

interface StatsJson {
  totals: { messages: number; commands: number; joins: number; leaves: number };
  days: { day: string; messages: number; commands: number; joins: number; leaves: number; active_members: number }[];
  busiest_channels: { channel_id: string; messages: number }[];
}

async function stats(days = 7): Promise<StatsJson> {
  const response = await fetch(`${steward.httpUrl}/api/v1/guilds/${world.guildId}/stats?days=${days}`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as StatsJson;
}

const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = (count: number) => new Date(Date.now() - count * 86_400_000).toISOString().slice(0, 10);

test('messages, active members, joins, leaves and commands are counted per day and channel', async () => {
  const { driver } = world.sandbox;
  const members = Array.from({ length: 3 }, () => {
    const id = driver.createUser({ username: `member-${randomUUID().slice(0, 6)}` }).id;
    driver.addMember(world.guildId, id);
    return id;
  });
  driver.removeMember(world.guildId, members[2]!);
  for (let index = 0; index < 5; index++) driver.sendMessage(members[0]!, channels.general, { content: `hello ${index}` });
  driver.sendMessage(members[1]!, channels.help, { content: 'a question' });
  const bot = driver.createUser({ username: 'other-bot', bot: true }).id;
  driver.addMember(world.guildId, bot);
  driver.sendMessage(bot, channels.general, { content: 'beep' });
  const command = driver.runSlashCommand(members[0]!, world.guildId, channels.general, 'stats');
  await command.waitForAck();

  const counted = await eventually(async () => {
    const now = await stats();
    const day = now.days.at(-1)!;
    return day.messages === 6 && day.commands === 1 ? now : undefined;
  }, 10_000, 'the statistics write');
  expect(counted.days).toHaveLength(7);
  expect(counted.days.at(-1)).toEqual({ day: today(), messages: 6, commands: 1, joins: 3, leaves: 1, active_members: 2 });
  expect(counted.busiest_channels).toEqual([{ channel_id: channels.general, messages: 5 }, { channel_id: channels.help, messages: 1 }]);
});

test('/stats answers with the totals and a chart image', async () => {
  const { driver } = world.sandbox;
  const handle = driver.runSlashCommand(world.memberId, world.guildId, channels.general, 'stats', { days: 30 });
  const reply = await driver.waitFor(() => (handle.responses() as { embeds?: { title: string; description: string; image?: { url: string } }[]; attachments?: { url: string; content_type?: string; filename: string }[] }[]).find((message) => message.embeds?.length), 10_000);
  expect(reply.embeds![0]!.title).toBe('Activity, last 30 days');
  expect(reply.embeds![0]!.description).toContain('messages');
  expect(reply.embeds![0]!.description).toContain(`Busiest: <#${channels.general}>`);
  const image = reply.attachments![0]!;
  expect(image.filename).toBe('stats.png');
  const png = Buffer.from(await (await fetch(image.url)).arrayBuffer());
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.length).toBeGreaterThan(5_000);
});

test('the daily roll-up sums hours into days (twice gives the same), and old days are read from it', async () => {
  const client = await testClient();
  const schedule = await client.schedule.getHandle(scheduleIdFor('statistics-roll-up', steward.taskQueue)).describe();
  expect(schedule.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 0, end: 0, step: 1 }], minute: [{ start: 7, end: 7, step: 1 }] });

  // Yesterday's hours as the adapter would have written them, and a day long past that only the roll-up kept.
  const yesterday = daysAgo(1);
  await db.query(
    `insert into channel_hours (guild_id, channel_id, hour, messages, commands, joins, leaves, active_members) values
       ($1, $2, $4::date + interval '9 hours', 40, 2, 0, 0, 0), ($1, $3, $4::date + interval '15 hours', 10, 0, 0, 0, 0), ($1, '0', $4::date + interval '9 hours', 0, 0, 4, 1, 3)`,
    [world.guildId, channels.general, channels.help, yesterday],
  );
  await db.query(`insert into member_days (guild_id, day, user_id, messages) values ($1, $2, '100000000000000001', 30), ($1, $2, '100000000000000002', 20)`, [world.guildId, yesterday]);
  await db.query(`insert into guild_days (guild_id, day, messages, commands, joins, leaves, active_members) values ($1, $2, 77, 1, 2, 0, 9)`, [world.guildId, daysAgo(5)]);

  const run = () => client.workflow.execute(rollUpStatistics, { taskQueue: steward.taskQueue, workflowId: `roll-up-test-${randomUUID()}`, args: [{ keepHoursDays: 40 }] });
  expect((await run()).days).toBeGreaterThanOrEqual(2);
  await run();
  const [rolled] = await db.query<{ messages: number; commands: number; joins: number; leaves: number; active_members: number }>('select messages, commands, joins, leaves, active_members from guild_days where guild_id = $1 and day = $2', [world.guildId, yesterday]);
  expect(rolled).toEqual({ messages: 50, commands: 2, joins: 4, leaves: 1, active_members: 2 });

  const week = await stats(7);
  expect(week.days.find((day) => day.day === yesterday)).toMatchObject({ messages: 50, joins: 4, active_members: 2 });
  expect(week.days.find((day) => day.day === daysAgo(5))).toEqual({ day: daysAgo(5), messages: 77, commands: 1, joins: 2, leaves: 0, active_members: 9 });
  const bad = await fetch(`${steward.httpUrl}/api/v1/guilds/${world.guildId}/stats?days=400`, { headers: { authorization: `Bearer ${token}` } });
  expect(bad.status).toBe(400);
});
