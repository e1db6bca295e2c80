// What the bot lacks in one channel, computed as Discord does (its roles, then the channel's overwrites), for
// settings that name a channel Steward will post in: refused when they are saved, not found out at posting time.
import type { REST } from '@discordjs/rest';
import { Routes, type APIChannel, type APIGuild, type APIGuildMember, type APIUser } from 'discord-api-types/v10';
import { basePermissions, channelPermissions } from './permissions.js';

/** The names of the `needed` permissions the bot lacks in the channel; `unknown channel` when it cannot see it at all. */
export async function missingInChannel(rest: REST, guildId: string, channelId: string, needed: readonly (readonly [bigint, string])[]): Promise<string[] | 'unknown channel'> {
  let channel: APIChannel;
  try {
    channel = (await rest.get(Routes.channel(channelId))) as APIChannel;
  } catch {
    return 'unknown channel';
  }
  if (!('guild_id' in channel) || channel.guild_id !== guildId) return 'unknown channel';
  const [guild, me] = (await Promise.all([rest.get(Routes.guild(guildId)), rest.get(Routes.user('@me'))])) as [APIGuild, APIUser];
  const member = (await rest.get(Routes.guildMember(guildId, me.id))) as APIGuildMember;
  const subject = { userId: me.id, roleIds: member.roles };
  const base = basePermissions({ id: guild.id, ownerId: guild.owner_id, roles: guild.roles }, subject);
  const permissions = channelPermissions(base, guildId, subject, 'permission_overwrites' in channel ? channel.permission_overwrites : []);
  return needed.filter(([bit]) => (permissions & bit) === 0n).map(([, name]) => name);
}
