// The sandbox's Guild Scheduled Events, with Discord's rules: MANAGE_EVENTS, an external event needs a location and
// an end, no start in the past, status transitions one way, 10070 for an unknown event, and "Interested" clicks as
// GUILD_SCHEDULED_EVENT_USER_ADD for bots with the GUILD_SCHEDULED_EVENTS intent.
import { GatewayDispatchEvents, GatewayIntentBits, PermissionFlagsBits as P } from 'discord-api-types/v10';
import type { DiscordAPIError, Client } from 'discord.js';
import { afterEach, expect, it } from '@jest/globals';
import { BOT_PERMISSIONS, createWorld, loginClient, type World } from './world.js';

let world: World;
let client: Client | undefined;

afterEach(async () => {
  await client?.destroy();
  client = undefined;
  await world.sandbox.close();
});

const hourFromNow = () => new Date(Date.now() + 3_600_000).toISOString();
const twoHoursFromNow = () => new Date(Date.now() + 7_200_000).toISOString();

it('creates, lists, changes and deletes events under Discord\'s rules', async () => {
  world = await createWorld();
  client = await loginClient(world);
  const route: `/${string}` = `/guilds/${world.guildId}/scheduled-events`;
  const body = { name: 'Game night', privacy_level: 2, entity_type: 3, entity_metadata: { location: 'https://example.com' }, scheduled_start_time: hourFromNow(), scheduled_end_time: twoHoursFromNow() };
  const denied = (await client.rest.post(route, { body }).catch((error: unknown) => error)) as DiscordAPIError;
  expect(denied.code).toBe(50013);

  world.sandbox.driver.addBotToGuild(world.app.applicationId, world.guildId, { permissions: BOT_PERMISSIONS | P.ManageEvents });
  const invalid = (await client.rest.post(route, { body: { ...body, entity_metadata: {}, scheduled_start_time: '2020-01-01T00:00:00Z' } }).catch((error: unknown) => error)) as DiscordAPIError;
  expect(invalid.code).toBe(50035);
  expect(Object.keys((invalid.rawError as { errors: Record<string, unknown> }).errors).sort()).toEqual(['entity_metadata', 'scheduled_start_time']);

  const created = (await client.rest.post(route, { body })) as { id: string; status: number };
  expect(created.status).toBe(1);
  expect(((await client.rest.get(route)) as { id: string }[]).map((event) => event.id)).toEqual([created.id]);
  const backwards = (await client.rest.patch(`${route}/${created.id}`, { body: { status: 3 } }).catch((error: unknown) => error)) as DiscordAPIError;
  expect(backwards.status).toBe(400);
  const renamed = (await client.rest.patch(`${route}/${created.id}`, { body: { name: 'Board game night' } })) as { name: string };
  expect(renamed.name).toBe('Board game night');
  await client.rest.delete(`${route}/${created.id}`);
  const unknown = (await client.rest.delete(`${route}/${created.id}`).catch((error: unknown) => error)) as DiscordAPIError;
  expect(unknown.code).toBe(10070);
});

it('sends "Interested" to bots with the scheduled events intent', async () => {
  world = await createWorld();
  world.sandbox.driver.addBotToGuild(world.app.applicationId, world.guildId, { permissions: BOT_PERMISSIONS | P.ManageEvents });
  client = await loginClient(world, { intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildScheduledEvents] });
  const received: unknown[] = [];
  client.on('raw', (packet: { t?: string; d?: unknown }) => {
    if (packet.t === GatewayDispatchEvents.GuildScheduledEventUserAdd) received.push(packet.d);
  });
  const created = (await client.rest.post(`/guilds/${world.guildId}/scheduled-events`, {
    body: { name: 'Meetup', privacy_level: 2, entity_type: 3, entity_metadata: { location: 'Town hall' }, scheduled_start_time: hourFromNow(), scheduled_end_time: twoHoursFromNow() },
  })) as { id: string };
  world.sandbox.driver.markInterested(world.memberId, world.guildId, created.id);
  await world.sandbox.driver.waitFor(() => received.length > 0, 5_000);
  expect(received).toEqual([{ guild_scheduled_event_id: created.id, user_id: world.memberId, guild_id: world.guildId }]);
});
