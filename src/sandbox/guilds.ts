// Guild lifecycle shared by the REST API and the driver: guilds, channels, threads, roles, members and bans.
import { AuditLogEvent, ChannelType, GatewayDispatchEvents as Events, GuildVerificationLevel, PermissionFlagsBits } from 'discord-api-types/v10';
import type { SandboxCore } from './core.js';
import { unknownEntity } from './errors.js';
import { channelPayload, guildPayload, memberPayload, rolePayload, userPayload, type Json } from './payloads.js';
import { snowflake } from './snowflake.js';
import type { AuditLogEntryRecord, ChannelRecord, GuildRecord, MemberRecord, RoleRecord } from './state.js';

export interface NewChannel {
  name: string;
  type?: ChannelType;
  parentId?: string | null;
  topic?: string | null;
  permissionOverwrites?: ChannelRecord['permission_overwrites'];
  position?: number;
}

export interface NewRole {
  name: string;
  permissions?: bigint | string;
  position?: number;
  color?: number;
  hoist?: boolean;
  mentionable?: boolean;
}

export type MemberPatch = Partial<Pick<MemberRecord, 'nick' | 'roles' | 'communication_disabled_until'>>;

/** Who did it and why, for the audit log: a bot through the API (reason from X-Audit-Log-Reason) or a moderator by hand. */
export interface Actor {
  userId: string;
  reason?: string | null;
}

export class GuildService {
  constructor(private readonly core: SandboxCore) {}

  guild(guildId: string): GuildRecord {
    const guild = this.core.state.guilds.get(guildId);
    if (!guild) throw unknownEntity('guild');
    return guild;
  }

  channel(channelId: string): ChannelRecord {
    const channel = this.core.state.channels.get(channelId);
    if (!channel) throw unknownEntity('channel');
    return channel;
  }

  member(guildId: string, userId: string): MemberRecord {
    const member = this.core.state.members.get(this.guild(guildId).id)?.get(userId);
    if (!member) throw unknownEntity('member');
    return member;
  }

  role(guildId: string, roleId: string): RoleRecord {
    const role = this.core.state.roles.get(roleId);
    if (!role || role.guild_id !== guildId) throw unknownEntity('role');
    return role;
  }

  /** A new guild with its @everyone role (id = guild id) and the owner as first member. */
  createGuild(name: string, ownerId: string): GuildRecord {
    const id = snowflake();
    const guild: GuildRecord = {
      id,
      name,
      owner_id: ownerId,
      verification_level: GuildVerificationLevel.None,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      mfa_level: 0,
      system_channel_id: null,
      description: null,
      preferred_locale: 'en-US',
      features: [],
    };
    this.core.state.guilds.set(id, guild);
    this.core.state.roles.set(id, {
      id,
      guild_id: id,
      name: '@everyone',
      permissions: '2248473465835073',
      position: 0,
      color: 0,
      hoist: false,
      mentionable: false,
      managed: false,
    });
    this.addMember(id, ownerId, {});
    return guild;
  }

  updateGuild(guild: GuildRecord, patch: Partial<GuildRecord>): GuildRecord {
    Object.assign(guild, patch);
    this.core.dispatch({ event: Events.GuildUpdate, data: guildPayload(this.core.state, guild), guildId: guild.id });
    return guild;
  }

  createChannel(guildId: string, input: NewChannel): ChannelRecord {
    this.guild(guildId);
    if (input.parentId) this.channel(input.parentId);
    const channel: ChannelRecord = {
      id: snowflake(),
      type: input.type ?? ChannelType.GuildText,
      guild_id: guildId,
      name: input.name,
      position: input.position ?? this.core.state.guildChannels(guildId).length,
      parent_id: input.parentId ?? null,
      permission_overwrites: input.permissionOverwrites ?? [],
      topic: input.topic ?? null,
      nsfw: false,
      rate_limit_per_user: 0,
      last_message_id: null,
    };
    this.core.state.channels.set(channel.id, channel);
    this.core.dispatch({ event: Events.ChannelCreate, data: channelPayload(this.core.state, channel), guildId });
    return channel;
  }

  updateChannel(channel: ChannelRecord, patch: Partial<ChannelRecord>): ChannelRecord {
    Object.assign(channel, patch);
    const event = channel.thread_metadata ? Events.ThreadUpdate : Events.ChannelUpdate;
    this.dispatchChannel(event, channel);
    return channel;
  }

  deleteChannel(channel: ChannelRecord): void {
    this.core.state.channels.delete(channel.id);
    for (const message of this.core.state.messagesIn(channel.id)) this.core.state.removeMessage(message.data.id);
    this.dispatchChannel(channel.thread_metadata ? Events.ThreadDelete : Events.ChannelDelete, channel);
  }

  createThread(parentId: string, ownerId: string, name: string, options: { type?: ChannelType; starterMessageId?: string }): ChannelRecord {
    const parent = this.channel(parentId);
    const thread: ChannelRecord = {
      // A thread started from a message takes the message's id, as on Discord.
      id: options.starterMessageId ?? snowflake(),
      type: options.type ?? ChannelType.PublicThread,
      guild_id: parent.guild_id,
      name,
      parent_id: parent.id,
      owner_id: ownerId,
      rate_limit_per_user: 0,
      last_message_id: null,
      thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: new Date().toISOString(), locked: false },
    };
    this.core.state.channels.set(thread.id, thread);
    const data = { ...channelPayload(this.core.state, thread), newly_created: true, member_count: 1, message_count: 0 };
    this.core.dispatch({ event: Events.ThreadCreate, data, guildId: parent.guild_id });
    return thread;
  }

  createRole(guildId: string, input: NewRole, botId?: string): RoleRecord {
    this.guild(guildId);
    const role: RoleRecord = {
      id: snowflake(),
      guild_id: guildId,
      name: input.name,
      permissions: String(input.permissions ?? 0n),
      position: input.position ?? 1,
      color: input.color ?? 0,
      hoist: input.hoist ?? false,
      mentionable: input.mentionable ?? false,
      managed: botId !== undefined,
      ...(botId ? { bot_id: botId } : {}),
    };
    // Discord keeps positions unique: existing roles at or above the new one move up.
    for (const other of this.core.state.guildRoles(guildId)) if (other.id !== guildId && other.position >= role.position) other.position++;
    this.core.state.roles.set(role.id, role);
    this.core.dispatch({ event: Events.GuildRoleCreate, data: { guild_id: guildId, role: rolePayload(role) }, guildId });
    return role;
  }

  addMember(guildId: string, userId: string, input: { roles?: string[]; nick?: string | null; joinedAt?: Date }): MemberRecord {
    this.guild(guildId);
    if (!this.core.state.users.has(userId)) throw unknownEntity('user');
    const member: MemberRecord = {
      user_id: userId,
      nick: input.nick ?? null,
      roles: input.roles ?? [],
      joined_at: (input.joinedAt ?? new Date()).toISOString(),
      communication_disabled_until: null,
    };
    this.core.state.guildMembers(guildId).set(userId, member);
    this.core.dispatch({ event: Events.GuildMemberAdd, data: { ...memberPayload(this.core.state, member), guild_id: guildId }, guildId });
    return member;
  }

  /** The bot joins with a managed role carrying the permissions it was invited with, and receives GUILD_CREATE. */
  addBot(guildId: string, botUserId: string, permissions: bigint | string): MemberRecord {
    const bot = this.core.state.users.get(botUserId);
    if (!bot) throw unknownEntity('user');
    const role = this.createRole(guildId, { name: bot.username, permissions, position: 1 }, botUserId);
    const member = this.addMember(guildId, botUserId, { roles: [role.id] });
    member.managed_role_id = role.id;
    this.core.gateway.sendGuildCreate(guildId, botUserId);
    return member;
  }

  updateMember(guildId: string, member: MemberRecord, patch: MemberPatch, actor?: Actor): MemberRecord {
    const before = { roles: member.roles, communication_disabled_until: member.communication_disabled_until };
    Object.assign(member, patch);
    this.core.dispatch({
      event: Events.GuildMemberUpdate,
      data: { ...memberPayload(this.core.state, member), guild_id: guildId },
      guildId,
    });
    if (actor && patch.communication_disabled_until !== undefined && patch.communication_disabled_until !== before.communication_disabled_until) {
      this.audit(guildId, actor, AuditLogEvent.MemberUpdate, member.user_id, [
        { key: 'communication_disabled_until', old_value: before.communication_disabled_until, new_value: patch.communication_disabled_until },
      ]);
    }
    if (actor && patch.roles) {
      const added = patch.roles.filter((id) => !before.roles.includes(id));
      const removed = before.roles.filter((id) => !patch.roles!.includes(id));
      const named = (ids: string[]) => ids.map((id) => ({ id, name: this.core.state.roles.get(id)?.name ?? '' }));
      if (added.length + removed.length > 0) {
        this.audit(guildId, actor, AuditLogEvent.MemberRoleUpdate, member.user_id, [
          ...(added.length ? [{ key: '$add', new_value: named(added) }] : []),
          ...(removed.length ? [{ key: '$remove', new_value: named(removed) }] : []),
        ]);
      }
    }
    return member;
  }

  /** A kick: the member leaves, and the audit log says who removed them. */
  kick(guildId: string, userId: string, actor: Actor): void {
    this.removeMember(guildId, userId);
    this.audit(guildId, actor, AuditLogEvent.MemberKick, userId);
  }

  removeMember(guildId: string, userId: string): void {
    const user = this.core.state.users.get(userId);
    const members = this.core.state.guildMembers(guildId);
    if (!members.delete(userId) || !user) return;
    const bots = [...this.core.state.applications.values()].map((app) => app.botUserId).filter((id) => members.has(id) || id === userId);
    this.core.dispatch({ event: Events.GuildMemberRemove, data: { guild_id: guildId, user: userPayload(user) }, guildId, userIds: bots });
    // A bot removed from the server learns it from GUILD_DELETE.
    if (user.bot) this.core.gateway.sendGuildDelete(guildId, userId);
  }

  ban(guildId: string, userId: string, actor: Actor): void {
    const user = this.core.state.users.get(userId);
    if (!user) throw unknownEntity('user');
    this.core.state.guildBans(guildId).set(userId, { user_id: userId, reason: actor.reason ?? null });
    this.removeMember(guildId, userId);
    this.core.dispatch({ event: Events.GuildBanAdd, data: { guild_id: guildId, user: userPayload(user) }, guildId });
    this.audit(guildId, actor, AuditLogEvent.MemberBanAdd, userId);
  }

  unban(guildId: string, userId: string, actor: Actor): void {
    const user = this.core.state.users.get(userId);
    if (!this.core.state.guildBans(guildId).delete(userId) || !user) throw unknownEntity('ban');
    this.core.dispatch({ event: Events.GuildBanRemove, data: { guild_id: guildId, user: userPayload(user) }, guildId });
    this.audit(guildId, actor, AuditLogEvent.MemberBanRemove, userId);
  }

  /**
   * Records an audit log entry and sends GUILD_AUDIT_LOG_ENTRY_CREATE, which only bots with the GUILD_MODERATION
   * intent and VIEW_AUDIT_LOG receive.
   */
  private audit(guildId: string, actor: Actor, actionType: AuditLogEvent, targetId: string | null, changes?: AuditLogEntryRecord['changes']): void {
    const entry: AuditLogEntryRecord = {
      id: snowflake(),
      guild_id: guildId,
      action_type: actionType,
      user_id: actor.userId,
      target_id: targetId,
      reason: actor.reason ?? null,
      ...(changes ? { changes } : {}),
    };
    this.core.state.guildAuditLog(guildId).push(entry);
    this.core.dispatch({ event: Events.GuildAuditLogEntryCreate, data: { ...entry }, guildId, permission: PermissionFlagsBits.ViewAuditLog });
  }

  private dispatchChannel(event: string, channel: ChannelRecord): void {
    const data: Json = channelPayload(this.core.state, channel);
    this.core.dispatch({ event, data, guildId: channel.guild_id });
  }
}
