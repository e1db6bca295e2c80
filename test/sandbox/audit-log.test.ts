// The sandbox's audit log, as Discord keeps it: bans, kicks, unbans, timeouts and role changes are entries naming
// who acted (a bot through the API with its X-Audit-Log-Reason, or a moderator by hand); GET audit-logs needs
// VIEW_AUDIT_LOG; GUILD_AUDIT_LOG_ENTRY_CREATE reaches only bots with the GUILD_MODERATION intent and that permission.
import { AuditLogEvent, GatewayDispatchEvents, GatewayIntentBits, PermissionFlagsBits as P } from 'discord-api-types/v10';
import type { DiscordAPIError} from 'discord.js';
import { type Client } from 'discord.js';
import { afterEach, expect, it } from '@jest/globals';
import { BOT_PERMISSIONS, createWorld, loginClient, type World } from './world.js';

let world: World;
let client: Client | undefined;

afterEach(async () => {
  await client?.destroy();
  client = undefined;
  await world.sandbox.close();
});

async function moderatorAndTarget() {
  const { driver } = world.sandbox;
  const moderator = driver.createUser({ username: 'mod' }).id;
  driver.addMember(world.guildId, moderator, { roles: [driver.createRole(world.guildId, { name: 'Mods', permissions: P.BanMembers | P.KickMembers | P.ModerateMembers, position: 3 }).id] });
  const target = driver.createUser({ username: 'target' }).id;
  driver.addMember(world.guildId, target);
  return { moderator, target };
}

it('records actions by hand and through the API, and lists them newest first to bots that may view it', async () => {
  world = await createWorld();
  const { driver } = world.sandbox;
  const { moderator, target } = await moderatorAndTarget();
  client = await loginClient(world);
  // Without VIEW_AUDIT_LOG, Discord answers 50013.
  const refused = await client.rest.get(`/guilds/${world.guildId}/audit-logs`).catch((error: unknown) => error);
  expect((refused as DiscordAPIError).code).toBe(50013);

  driver.addBotToGuild(world.app.applicationId, world.guildId, { permissions: BOT_PERMISSIONS | P.ViewAuditLog | P.KickMembers });
  driver.moderateByHand(moderator, world.guildId, { type: 'ban', targetId: target, reason: 'spam' });
  const other = driver.createUser({ username: 'other' }).id;
  driver.addMember(world.guildId, other);
  await client.rest.delete(`/guilds/${world.guildId}/members/${other}`, { reason: 'kicked by the bot' });

  const log = (await client.rest.get(`/guilds/${world.guildId}/audit-logs`)) as { audit_log_entries: { action_type: number; user_id: string; target_id: string; reason: string }[] };
  expect(log.audit_log_entries.map(({ action_type, user_id, target_id, reason }) => ({ action_type, user_id, target_id, reason }))).toEqual([
    { action_type: AuditLogEvent.MemberKick, user_id: world.app.botUserId, target_id: other, reason: 'kicked by the bot' },
    { action_type: AuditLogEvent.MemberBanAdd, user_id: moderator, target_id: target, reason: 'spam' },
  ]);
  const bans = (await client.rest.get(`/guilds/${world.guildId}/audit-logs`, { query: new URLSearchParams({ action_type: String(AuditLogEvent.MemberBanAdd) }) })) as { audit_log_entries: unknown[] };
  expect(bans.audit_log_entries).toHaveLength(1);
});

it('sends GUILD_AUDIT_LOG_ENTRY_CREATE only with the intent and VIEW_AUDIT_LOG; a moderator is held to the role hierarchy', async () => {
  world = await createWorld();
  const { driver } = world.sandbox;
  const { moderator, target } = await moderatorAndTarget();
  const received: unknown[] = [];
  client = await loginClient(world, { intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildModeration] });
  client.on('raw', (packet: { t?: string; d?: unknown }) => {
    if (packet.t === GatewayDispatchEvents.GuildAuditLogEntryCreate) received.push(packet.d);
  });
  driver.moderateByHand(moderator, world.guildId, { type: 'timeout', targetId: target, until: new Date(Date.now() + 60_000) });
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(received).toEqual([]);

  driver.addBotToGuild(world.app.applicationId, world.guildId, { permissions: BOT_PERMISSIONS | P.ViewAuditLog });
  driver.moderateByHand(moderator, world.guildId, { type: 'kick', targetId: target, reason: 'bye' });
  await driver.waitFor(() => received.length > 0, 5_000);
  expect(received).toEqual([expect.objectContaining({ action_type: AuditLogEvent.MemberKick, user_id: moderator, target_id: target, reason: 'bye', guild_id: world.guildId })]);

  // The owner outranks every moderator.
  expect(() => driver.moderateByHand(moderator, world.guildId, { type: 'ban', targetId: world.ownerId })).toThrow();
});
