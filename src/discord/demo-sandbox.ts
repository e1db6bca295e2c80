// `npm start` without DISCORD_TOKEN: a local Discord sandbox with a small demo server, so Steward can be tried
// (and its flows driven as a member with curl) with no Discord account. Its Discord state lives in memory.
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { sandboxUsage, startDiscordSandbox, type DiscordSandbox } from '../sandbox/index.js';

export interface DemoSandbox {
  sandbox: DiscordSandbox;
  /** Settings Steward's adapter uses to connect, as if they came from the environment. */
  discord: { token: string; applicationId: string; guildId: string; restApi: string };
  /** The printed how-to, with the demo's own ids filled in. */
  usage: string;
}

export async function startDemoSandbox(port: number): Promise<DemoSandbox> {
  const sandbox = await startDiscordSandbox({ port });
  const { driver } = sandbox;
  const app = driver.createApplication({ name: 'Steward', botUsername: 'steward' });
  const owner = driver.createUser({ username: 'olivia', globalName: 'Olivia (owner)' });
  const guild = driver.createGuild({ name: 'Steward Demo', ownerId: owner.id });
  const general = driver.createChannel(guild.id, { name: 'general' });
  const maintenance = driver.createChannel(guild.id, { name: 'maintenance' });
  const moderators = driver.createRole(guild.id, {
    name: 'Moderators',
    permissions: PermissionFlagsBits.KickMembers | PermissionFlagsBits.ModerateMembers | PermissionFlagsBits.ManageMessages,
    position: 2,
  });
  const members = ['alice', 'bob', 'carol'].map((username) => driver.createUser({ username }));
  for (const member of members) driver.addMember(guild.id, member.id);
  driver.addMember(guild.id, owner.id, { roles: [moderators.id] });
  driver.addBotToGuild(app.applicationId, guild.id, {
    permissions:
      PermissionFlagsBits.ViewChannel |
      PermissionFlagsBits.SendMessages |
      PermissionFlagsBits.ReadMessageHistory |
      PermissionFlagsBits.ManageMessages |
      PermissionFlagsBits.ModerateMembers |
      PermissionFlagsBits.KickMembers |
      PermissionFlagsBits.BanMembers |
      PermissionFlagsBits.ManageChannels |
      PermissionFlagsBits.ManageRoles,
  });
  const alice = members[0]!;
  const usage = [
    sandboxUsage(sandbox.url),
    `Demo server "Steward Demo": GUILD=${guild.id}, #general CHANNEL=${general.id}, #maintenance ${maintenance.id}`,
    `Members: ${members.map((member) => `${member.username}=${member.id}`).join(', ')}, olivia (moderator)=${owner.id}`,
    `Try: curl -X POST ${sandbox.url}/_sandbox/commands -H 'content-type: application/json' -d '${JSON.stringify({
      userId: alice.id,
      guildId: guild.id,
      channelId: general.id,
      name: 'ping',
      options: { message: 'hello' },
    })}'`,
  ].join('\n');
  return {
    sandbox,
    discord: { token: app.token, applicationId: app.applicationId, guildId: guild.id, restApi: `${sandbox.url}/api` },
    usage,
  };
}
