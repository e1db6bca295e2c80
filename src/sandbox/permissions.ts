// Discord's permission arithmetic: base permissions from roles, channel overwrites, ADMINISTRATOR and role hierarchy.
import { ChannelType, PermissionFlagsBits } from 'discord-api-types/v10';
import { missingAccess, missingPermissions } from './errors.js';
import type { ChannelRecord, SandboxState } from './state.js';

export const ALL_PERMISSIONS = Object.values(PermissionFlagsBits).reduce((all, bit) => all | bit, 0n);

const THREAD_TYPES = new Set([ChannelType.PublicThread, ChannelType.PrivateThread, ChannelType.AnnouncementThread]);

export function isThread(channel: ChannelRecord): boolean {
  return THREAD_TYPES.has(channel.type);
}

export class Permissions {
  constructor(private readonly state: SandboxState) {}

  /** Guild-level permissions: @everyone plus every role of the member; owners and administrators get everything. */
  base(guildId: string, userId: string): bigint {
    const guild = this.state.guilds.get(guildId);
    const member = this.state.members.get(guildId)?.get(userId);
    if (!guild || !member) return 0n;
    if (guild.owner_id === userId) return ALL_PERMISSIONS;
    let permissions = BigInt(this.state.roles.get(guildId)?.permissions ?? '0');
    for (const roleId of member.roles) permissions |= BigInt(this.state.roles.get(roleId)?.permissions ?? '0');
    return permissions & PermissionFlagsBits.Administrator ? ALL_PERMISSIONS : permissions;
  }

  /** Permissions in a channel, applying overwrites in Discord's order; threads inherit their parent's overwrites. */
  inChannel(channelId: string, userId: string): bigint {
    const channel = this.state.channels.get(channelId);
    if (!channel) return 0n;
    if (!channel.guild_id) return channel.recipient_ids?.includes(userId) ? ALL_PERMISSIONS : 0n;
    const base = this.base(channel.guild_id, userId);
    if (base & PermissionFlagsBits.Administrator) return ALL_PERMISSIONS;
    const source = isThread(channel) && channel.parent_id ? this.state.channels.get(channel.parent_id) : channel;
    const overwrites = source?.permission_overwrites ?? [];
    const member = this.state.members.get(channel.guild_id)?.get(userId);
    let permissions = base;
    const everyone = overwrites.find((overwrite) => overwrite.id === channel.guild_id);
    if (everyone) permissions = (permissions & ~BigInt(everyone.deny)) | BigInt(everyone.allow);
    let allow = 0n;
    let deny = 0n;
    for (const overwrite of overwrites) {
      if (overwrite.type === 0 && overwrite.id !== channel.guild_id && member?.roles.includes(overwrite.id)) {
        allow |= BigInt(overwrite.allow);
        deny |= BigInt(overwrite.deny);
      }
    }
    permissions = (permissions & ~deny) | allow;
    const own = overwrites.find((overwrite) => overwrite.type === 1 && overwrite.id === userId);
    if (own) permissions = (permissions & ~BigInt(own.deny)) | BigInt(own.allow);
    return permissions;
  }

  /** Position of the member's highest role; the guild owner outranks everyone. */
  highestRolePosition(guildId: string, userId: string): number {
    if (this.state.guilds.get(guildId)?.owner_id === userId) return Number.POSITIVE_INFINITY;
    const member = this.state.members.get(guildId)?.get(userId);
    return Math.max(0, ...(member?.roles ?? []).map((id) => this.state.roles.get(id)?.position ?? 0));
  }

  hasGuild(guildId: string, userId: string, permission: bigint): boolean {
    return (this.base(guildId, userId) & permission) === permission;
  }

  requireGuild(guildId: string, userId: string, ...needed: bigint[]): void {
    if (!this.state.members.get(guildId)?.has(userId)) throw missingAccess();
    const granted = this.base(guildId, userId);
    if (needed.some((bit) => (granted & bit) !== bit)) throw missingPermissions();
  }

  /** VIEW_CHANNEL missing is "Missing Access" (50001); any other missing bit is "Missing Permissions" (50013). */
  /**
   * What a member may put in a channel's permission overwrites, as Discord documents Edit Channel Permissions: only
   * permissions they have in the server (or in the parent channel, for a channel in a category), unless they hold
   * an overwrite in the channel itself that allows Manage Permissions.
   */
  grantableInChannel(channelId: string, userId: string): bigint {
    const channel = this.state.channels.get(channelId);
    if (!channel?.guild_id) return 0n;
    const member = this.state.members.get(channel.guild_id)?.get(userId);
    const own = (channel.permission_overwrites ?? []).filter((overwrite) => overwrite.id === userId || (overwrite.id !== channel.guild_id && member?.roles.includes(overwrite.id)));
    if (own.some((overwrite) => BigInt(overwrite.allow) & PermissionFlagsBits.ManageRoles)) return ALL_PERMISSIONS;
    return channel.parent_id ? this.inChannel(channel.parent_id, userId) : this.base(channel.guild_id, userId);
  }

  requireChannel(channelId: string, userId: string, ...needed: bigint[]): void {
    const granted = this.inChannel(channelId, userId);
    if (!(granted & PermissionFlagsBits.ViewChannel)) throw missingAccess();
    if (needed.some((bit) => (granted & bit) !== bit)) throw missingPermissions();
  }

  /** An actor may only act on members strictly below its highest role, and never on the owner. */
  requireAbove(guildId: string, actorId: string, targetId: string): void {
    if (this.state.guilds.get(guildId)?.owner_id === targetId && actorId !== targetId) throw missingPermissions();
    if (this.highestRolePosition(guildId, actorId) <= this.highestRolePosition(guildId, targetId)) {
      throw missingPermissions();
    }
  }

  requireRoleBelow(guildId: string, actorId: string, roleId: string): void {
    const position = this.state.roles.get(roleId)?.position ?? 0;
    if (this.highestRolePosition(guildId, actorId) <= position) throw missingPermissions();
  }
}
