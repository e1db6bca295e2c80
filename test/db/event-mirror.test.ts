// The event's mirror in Discord's Events tab is a courtesy: an event whose start passed while Discord was out of
// reach, or a mirror Discord refuses, leaves the event without one instead of failing the activity forever (which
// held an event's reminders up behind it in the chaos run). The real activity against the sandbox's Discord.
import { REST } from '@discordjs/rest';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { createEventsActivities } from '../../activities/events/index.js';
import type { EventDetails } from '../../workflows/events/messages.js';
import { BOT_PERMISSIONS, createWorld, type World } from '../sandbox/world.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let world: World;
let db: TestDatabase;
let activities: ReturnType<typeof createEventsActivities>;
const environment = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });

beforeAll(async () => {
  world = await createWorld();
  world.sandbox.driver.addBotToGuild(world.app.applicationId, world.guildId, { permissions: BOT_PERMISSIONS | PermissionFlagsBits.ManageEvents });
  db = await createTestDatabase();
  activities = createEventsActivities({ database: db.database, discord: new REST({ version: '10', api: `${world.sandbox.url}/api` }).setToken(world.app.token) });
});

afterAll(async () => {
  await db.drop();
  await world.sandbox.close();
});

const details = (startsAt: number, durationMinutes = 60): EventDetails => ({
  title: 'Board games',
  description: '',
  startsAt,
  durationMinutes,
  capacity: null,
  channelId: world.channelId,
  reminderOffsetsSeconds: [],
  remindMaybe: false,
  signupRoleId: null,
  rsvpCutoff: null,
  claimWindowSeconds: 600,
  timeZone: 'UTC',
});
const mirror = (input: Parameters<typeof activities.mirrorScheduledEvent>[0]) => environment.run(activities.mirrorScheduledEvent, input);
const scheduledPosts = () => world.sandbox.driver.restLog().filter((entry) => entry.method === 'POST' && entry.route === '/guilds/:guild_id/scheduled-events');

test('an event whose start has passed is not mirrored, and Discord is not asked', async () => {
  const before = scheduledPosts().length;
  expect(await mirror({ guildId: world.guildId, scheduledEventId: null, details: details(Date.now() - 60_000), state: 'scheduled', link: 'https://discord.com/channels/1/2/3' })).toBeNull();
  expect(scheduledPosts()).toHaveLength(before);
});

test('a mirror Discord refuses (400) leaves the event without one instead of failing', async () => {
  // An end before the start: Discord answers 400 Invalid Form Body.
  const answer = await mirror({ guildId: world.guildId, scheduledEventId: null, details: details(Date.now() + 3_600_000, -30), state: 'scheduled', link: 'https://discord.com/channels/1/2/3' });
  expect(answer).toBeNull();
  expect(scheduledPosts().at(-1)).toMatchObject({ status: 400 });
});

test('a future event is mirrored', async () => {
  const id = await mirror({ guildId: world.guildId, scheduledEventId: null, details: details(Date.now() + 3_600_000), state: 'scheduled', link: 'https://discord.com/channels/1/2/3' });
  expect(id).toMatch(/^\d+$/);
  expect(scheduledPosts().at(-1)!.status).toBeLessThan(300);
});
