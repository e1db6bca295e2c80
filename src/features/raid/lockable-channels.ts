// Which channels a lockdown can change: the bot needs to manage each one (slowmode), its permissions (the
// overwrite) and to hold, server-wide, every permission the overwrite it rewrites names (Discord's rule), and Manage
// Server for invites and the verification level. Checked when a server configures raid protection, so a lockdown
// never finds out mid-raid; a lockdown over "every channel" takes those it can change.
import type { REST } from '@discordjs/rest';
import { ChannelType, PermissionFlagsBits as P, Routes, type APIChannel, type APIGuild, type APIGuildMember, type APIUser } from 'discord-api-types/v10';
import { basePermissions, channelPermissions } from '../../discord/permissions.js';
import { LOCKED_PERMISSIONS } from '../../../workflows/raid/plan.js';

const LOCKABLE_TYPES = new Set<number>([ChannelType.GuildText, ChannelType.GuildAnnouncement, ChannelType.GuildForum]);
const NEEDED_IN_CHANNEL: [bigint, string][] = [
  [P.ViewChannel, 'View Channel'],
  [P.ManageChannels, 'Manage Channel'],
  [P.ManageRoles, 'Manage Permissions'],
];

/** "Attach Files", "Embed Links": Discord's names for the bits set in `bits`. */
function permissionNames(bits: bigint): string[] {
  return Object.entries(P)
    .filter(([, bit]) => bits & bit)
    .map(([name]) => name.replace(/([a-z])([A-Z])/g, '$1 $2'));
}

export interface LockableChannels {
  lockable: APIChannel[];
  /** Channels of a lockable type the bot cannot change, with what it lacks in each. */
  refused: { channel: APIChannel; missing: string[] }[];
  /** Missing Manage Server: invites cannot be paused nor the verification level raised. */
  missingManageServer: boolean;
}

export async function lockableChannels(rest: REST, guildId: string): Promise<LockableChannels> {
  const [guild, me, channels] = (await Promise.all([rest.get(Routes.guild(guildId)), rest.get(Routes.user('@me')), rest.get(Routes.guildChannels(guildId))])) as [APIGuild, APIUser, APIChannel[]];
  const member = (await rest.get(Routes.guildMember(guildId, me.id))) as APIGuildMember;
  const subject = { userId: me.id, roleIds: member.roles };
  const base = basePermissions({ id: guild.id, ownerId: guild.owner_id, roles: guild.roles }, subject);
  const parentPermissions = (parentId: string) => {
    const parent = channels.find((candidate) => candidate.id === parentId);
    return channelPermissions(base, guildId, subject, parent && 'permission_overwrites' in parent ? parent.permission_overwrites : []);
  };
  const result: LockableChannels = { lockable: [], refused: [], missingManageServer: (base & P.ManageGuild) === 0n };
  for (const channel of channels) {
    if (!LOCKABLE_TYPES.has(channel.type)) continue;
    const overwrites = 'permission_overwrites' in channel ? channel.permission_overwrites : [];
    const permissions = channelPermissions(base, guildId, subject, overwrites);
    const missing = NEEDED_IN_CHANNEL.filter(([bit]) => (permissions & bit) === 0n).map(([, name]) => name);
    // Locking rewrites @everyone's overwrite: its own bits and Send Messages. Discord lets a bot write only bits it
    // has in the server (or the category), unless an overwrite of its own in the channel allows Manage Permissions.
    const everyone = overwrites?.find((overwrite) => overwrite.id === guildId);
    const written = LOCKED_PERMISSIONS | BigInt(everyone?.allow ?? 0) | BigInt(everyone?.deny ?? 0);
    const own = (overwrites ?? []).filter((overwrite) => overwrite.id === me.id || (overwrite.id !== guildId && member.roles.includes(overwrite.id)));
    const grantable = own.some((overwrite) => BigInt(overwrite.allow) & P.ManageRoles) ? written : 'parent_id' in channel && channel.parent_id ? parentPermissions(channel.parent_id) : base;
    missing.push(...permissionNames(written & ~grantable));
    if (missing.length === 0) result.lockable.push(channel);
    else result.refused.push({ channel, missing });
  }
  return result;
}

/** Why these channels cannot be a lockdown's, in words; empty when all can. */
export async function lockdownChannelProblems(rest: REST, guildId: string, channelIds: readonly string[]): Promise<string[]> {
  const { lockable, refused, missingManageServer } = await lockableChannels(rest, guildId);
  const problems = missingManageServer ? ['Steward needs Manage Server to pause invites and raise the verification level.'] : [];
  for (const channelId of channelIds) {
    if (lockable.some((channel) => channel.id === channelId)) continue;
    const cannot = refused.find((entry) => entry.channel.id === channelId);
    problems.push(cannot ? `<#${channelId}>: Steward lacks ${cannot.missing.join(', ')} there.` : `<#${channelId}> is not a text channel of this server.`);
  }
  return problems;
}
