// Guild routes: the guild itself, its channels, roles, members (nick, roles, timeouts, kicks) and bans.
import { ChannelType, PermissionFlagsBits as P } from 'discord-api-types/v10';
import { FormErrors, missingAccess, missingPermissions, unknownEntity } from '../../errors.js';
import type { MemberPatch } from '../../guilds.js';
import { channelPayload, guildPayload, memberPayload, rolePayload, userPayload, type Json } from '../../payloads.js';
import { compareSnowflakes } from '../../snowflake.js';
import type { Services } from '../../services.js';
import { created, noContent, ok, type RestRequest, type Route } from '../router.js';
import { botId, memberGuild, objectBody, queryInt } from './common.js';

const MAX_TIMEOUT_MS = 28 * 24 * 3600_000;
const GUILD_CHANNEL_TYPES = new Set<number>([
  ChannelType.GuildText,
  ChannelType.GuildVoice,
  ChannelType.GuildCategory,
  ChannelType.GuildAnnouncement,
  ChannelType.GuildStageVoice,
  ChannelType.GuildForum,
]);

/**
 * Discord lets a few guild features be switched through Modify Guild, each behind its own permission; the others
 * come from Discord and stay as they are whatever the request lists.
 */
const MUTABLE_FEATURES: Record<string, bigint> = {
  COMMUNITY: P.Administrator,
  DISCOVERABLE: P.Administrator,
  INVITES_DISABLED: P.ManageGuild,
  RAID_ALERTS_DISABLED: P.ManageGuild,
};

function mutableFeatures(current: readonly string[], requested: readonly string[], requirePermission: (needed: bigint) => void): string[] {
  const next = current.filter((feature) => !(feature in MUTABLE_FEATURES));
  for (const [feature, needed] of Object.entries(MUTABLE_FEATURES)) {
    const wanted = requested.includes(feature);
    if (wanted !== current.includes(feature)) requirePermission(needed);
    if (wanted) next.push(feature);
  }
  return next;
}

/** The bot acting through the API, with the reason it sent in X-Audit-Log-Reason. */
function actorOf(request: RestRequest) {
  return { userId: botId(request), reason: request.auditLogReason ?? null };
}

export function guildRoutes(services: Services): Route[] {
  const { core, guilds } = services;
  const requireGuild = (request: RestRequest, ...needed: bigint[]): string => {
    const guildId = memberGuild(services, request);
    core.permissions.requireGuild(guildId, botId(request), ...needed);
    return guildId;
  };
  /** Granting permissions the bot does not hold itself is refused by Discord. */
  const requireHolds = (guildId: string, request: RestRequest, permissions: bigint): void => {
    if (permissions & ~core.permissions.base(guildId, botId(request))) throw missingPermissions();
  };

  const patchMember = (request: RestRequest, userId: string) => {
    const guildId = memberGuild(services, request);
    const member = guilds.member(guildId, userId);
    const body = objectBody(request);
    const self = userId === botId(request);
    const errors = new FormErrors();
    const patch: MemberPatch = {};
    if (body.nick !== undefined) {
      errors.maxLength('nick', body.nick as string | null, 32);
      core.permissions.requireGuild(guildId, botId(request), self ? P.ChangeNickname : P.ManageNicknames);
      if (!self) core.permissions.requireAbove(guildId, botId(request), userId);
      patch.nick = (body.nick as string | null) || null;
    }
    if (body.roles !== undefined) {
      core.permissions.requireGuild(guildId, botId(request), P.ManageRoles);
      const roles = (body.roles as unknown[]).map(String);
      for (const roleId of roles) {
        const role = core.state.roles.get(roleId);
        if (!role || role.guild_id !== guildId) errors.add('roles', 'INVALID_ROLE', `Unknown role ${roleId}`);
      }
      const changed = [...roles.filter((id) => !member.roles.includes(id)), ...member.roles.filter((id) => !roles.includes(id))];
      for (const roleId of changed) {
        if (core.state.roles.get(roleId)?.managed) throw missingPermissions();
        if (core.state.roles.has(roleId)) core.permissions.requireRoleBelow(guildId, botId(request), roleId);
      }
      patch.roles = roles;
    }
    if (body.communication_disabled_until !== undefined) {
      core.permissions.requireGuild(guildId, botId(request), P.ModerateMembers);
      core.permissions.requireAbove(guildId, botId(request), userId);
      if (core.permissions.base(guildId, userId) & P.Administrator) throw missingPermissions();
      const until = body.communication_disabled_until as string | null;
      if (until !== null) {
        const at = Date.parse(until);
        if (Number.isNaN(at)) errors.add('communication_disabled_until', 'DATE_TYPE_PARSE', 'Could not parse date.');
        else if (at - Date.now() > MAX_TIMEOUT_MS) {
          errors.add('communication_disabled_until', 'BASE_TYPE_BAD_TIME', 'Cannot timeout a member for more than 28 days.');
        }
      }
      patch.communication_disabled_until = until;
    }
    errors.throwIfAny();
    return ok(memberPayload(core.state, guilds.updateMember(guildId, member, patch, actorOf(request))));
  };

  const roleMembership = (add: boolean) => (request: RestRequest) => {
    const guildId = requireGuild(request, P.ManageRoles);
    const member = guilds.member(guildId, request.params.user_id!);
    const role = guilds.role(guildId, request.params.role_id!);
    if (role.managed) throw missingPermissions();
    core.permissions.requireRoleBelow(guildId, botId(request), role.id);
    const roles = add ? [...new Set([...member.roles, role.id])] : member.roles.filter((id) => id !== role.id);
    if (roles.length !== member.roles.length) guilds.updateMember(guildId, member, { roles }, actorOf(request));
    return noContent();
  };

  return [
    {
      method: 'GET',
      template: '/guilds/:guild_id/audit-logs',
      handler(request) {
        const guildId = requireGuild(request, P.ViewAuditLog);
        const limit = queryInt(request, 'limit', 50, 1, 100);
        const userId = request.query.get('user_id');
        const actionType = request.query.get('action_type');
        const before = request.query.get('before');
        const after = request.query.get('after');
        const entries = core.state
          .guildAuditLog(guildId)
          .filter((entry) => (!userId || entry.user_id === userId) && (!actionType || entry.action_type === Number(actionType)))
          .filter((entry) => (!before || compareSnowflakes(entry.id, before) < 0) && (!after || compareSnowflakes(entry.id, after) > 0));
        // Newest first, as Discord lists them; with `after`, the oldest ones after it.
        const page = after ? entries.slice(0, limit).reverse() : entries.slice(-limit).reverse();
        const userIds = new Set(page.flatMap((entry) => [entry.user_id, entry.target_id ?? '']));
        const users = [...userIds].flatMap((id) => (core.state.users.has(id) ? [userPayload(core.state.users.get(id)!)] : []));
        const entriesOut = page.map(({ guild_id: _guild, ...entry }) => entry);
        return ok({ audit_log_entries: entriesOut, users, integrations: [], webhooks: [], threads: [], application_commands: [], auto_moderation_rules: [], guild_scheduled_events: [] });
      },
    },
    {
      method: 'GET',
      template: '/guilds/:guild_id',
      handler(request) {
        const guildId = memberGuild(services, request);
        const payload = guildPayload(core.state, guilds.guild(guildId));
        if (request.query.get('with_counts') !== 'true') return ok(payload);
        const count = core.state.guildMembers(guildId).size;
        return ok({ ...payload, approximate_member_count: count, approximate_presence_count: 0 });
      },
    },
    {
      method: 'PATCH',
      template: '/guilds/:guild_id',
      handler(request) {
        const guildId = requireGuild(request, P.ManageGuild);
        const body = objectBody(request);
        const errors = new FormErrors();
        if (body.name !== undefined) errors.lengthBetween('name', body.name as string, 2, 100);
        for (const [key, max] of [['verification_level', 4], ['explicit_content_filter', 2], ['default_message_notifications', 1]] as const) {
          const value = body[key];
          if (value !== undefined && (typeof value !== 'number' || value < 0 || value > max)) {
            errors.add(key, 'BASE_TYPE_CHOICES', `Value must be one of {${[...Array(max + 1).keys()].join(', ')}}.`);
          }
        }
        const guild = guilds.guild(guildId);
        let features: string[] | undefined;
        if (body.features !== undefined) {
          if (!Array.isArray(body.features) || body.features.some((feature) => typeof feature !== 'string')) errors.add('features', 'BASE_TYPE_LIST', 'Must be a list of strings.');
          else features = mutableFeatures(guild.features, body.features as string[], (needed) => core.permissions.requireGuild(guildId, botId(request), needed));
        }
        errors.throwIfAny();
        const allowed = ['name', 'verification_level', 'explicit_content_filter', 'default_message_notifications', 'system_channel_id', 'description'];
        const patch = { ...Object.fromEntries(Object.entries(body).filter(([key]) => allowed.includes(key))), ...(features ? { features } : {}) };
        return ok(guildPayload(core.state, guilds.updateGuild(guild, patch)));
      },
    },
    {
      method: 'GET',
      template: '/guilds/:guild_id/channels',
      handler: (request) => ok(core.state.guildChannels(memberGuild(services, request)).filter((channel) => !channel.thread_metadata).map((channel) => channelPayload(core.state, channel))),
    },
    {
      method: 'POST',
      template: '/guilds/:guild_id/channels',
      handler(request) {
        const guildId = requireGuild(request, P.ManageChannels);
        const body = objectBody(request);
        const errors = new FormErrors();
        if (errors.required('name', body.name)) errors.lengthBetween('name', body.name as string, 1, 100);
        const type = (body.type as number | undefined) ?? ChannelType.GuildText;
        if (!GUILD_CHANNEL_TYPES.has(type)) errors.add('type', 'BASE_TYPE_CHOICES', `Value must be one of {${[...GUILD_CHANNEL_TYPES].join(', ')}}.`);
        errors.maxLength('topic', body.topic as string | undefined, 1024);
        const parentId = body.parent_id as string | undefined;
        if (parentId && core.state.channels.get(parentId)?.type !== ChannelType.GuildCategory) {
          errors.add('parent_id', 'CHANNEL_PARENT_INVALID', 'Invalid parent channel');
        }
        errors.throwIfAny();
        const overwrites = (body.permission_overwrites as Json[] | undefined)?.map((o) => ({ id: String(o.id), type: Number(o.type), allow: String(o.allow ?? '0'), deny: String(o.deny ?? '0') }));
        const channel = guilds.createChannel(guildId, {
          name: body.name as string,
          type,
          ...(parentId ? { parentId } : {}),
          ...(typeof body.topic === 'string' ? { topic: body.topic } : {}),
          ...(overwrites ? { permissionOverwrites: overwrites } : {}),
        });
        return created(channelPayload(core.state, channel));
      },
    },
    {
      method: 'GET',
      template: '/guilds/:guild_id/members',
      handler(request) {
        const guildId = memberGuild(services, request);
        // Listing members needs the privileged GUILD_MEMBERS intent enabled for the application.
        if (!(request.app!.flags & ((1 << 14) | (1 << 15)))) throw missingAccess();
        const limit = queryInt(request, 'limit', 1, 1, 1000);
        const after = request.query.get('after') ?? '0';
        const list = [...core.state.guildMembers(guildId).values()]
          .filter((member) => compareSnowflakes(member.user_id, after) > 0)
          .sort((a, b) => compareSnowflakes(a.user_id, b.user_id))
          .slice(0, limit);
        return ok(list.map((member) => memberPayload(core.state, member)));
      },
    },
    {
      method: 'GET',
      template: '/guilds/:guild_id/members/:user_id',
      handler: (request) => ok(memberPayload(core.state, guilds.member(memberGuild(services, request), request.params.user_id!))),
    },
    { method: 'PATCH', template: '/guilds/:guild_id/members/@me', handler: (request) => patchMember(request, botId(request)) },
    { method: 'PATCH', template: '/guilds/:guild_id/members/:user_id', handler: (request) => patchMember(request, request.params.user_id!) },
    { method: 'PUT', template: '/guilds/:guild_id/members/:user_id/roles/:role_id', handler: roleMembership(true) },
    { method: 'DELETE', template: '/guilds/:guild_id/members/:user_id/roles/:role_id', handler: roleMembership(false) },
    {
      method: 'DELETE',
      template: '/guilds/:guild_id/members/:user_id',
      handler(request) {
        const guildId = requireGuild(request, P.KickMembers);
        const userId = request.params.user_id!;
        guilds.member(guildId, userId);
        core.permissions.requireAbove(guildId, botId(request), userId);
        guilds.kick(guildId, userId, actorOf(request));
        return noContent();
      },
    },
    {
      method: 'GET',
      template: '/guilds/:guild_id/bans',
      handler(request) {
        const guildId = requireGuild(request, P.BanMembers);
        const bans = [...core.state.guildBans(guildId).values()];
        return ok(bans.map((ban) => ({ reason: ban.reason, user: userPayload(core.state.users.get(ban.user_id)!) })));
      },
    },
    {
      method: 'GET',
      template: '/guilds/:guild_id/bans/:user_id',
      handler(request) {
        const guildId = requireGuild(request, P.BanMembers);
        const ban = core.state.guildBans(guildId).get(request.params.user_id!);
        if (!ban) throw unknownEntity('ban');
        return ok({ reason: ban.reason, user: userPayload(core.state.users.get(ban.user_id)!) });
      },
    },
    {
      method: 'PUT',
      template: '/guilds/:guild_id/bans/:user_id',
      handler(request) {
        const guildId = requireGuild(request, P.BanMembers);
        const userId = request.params.user_id!;
        if (!core.state.users.has(userId)) throw unknownEntity('user');
        if (core.state.guildMembers(guildId).has(userId)) core.permissions.requireAbove(guildId, botId(request), userId);
        const body = objectBody(request);
        const seconds = body.delete_message_seconds ?? 0;
        if (typeof seconds !== 'number' || seconds < 0 || seconds > 604_800) {
          const errors = new FormErrors();
          errors.add('delete_message_seconds', 'NUMBER_TYPE_MAX', 'int value should be less than or equal to 604800.');
          errors.throwIfAny();
        }
        const cutoff = Date.now() - (seconds as number) * 1000;
        for (const channel of core.state.guildChannels(guildId)) {
          const doomed = core.state.messagesIn(channel.id).filter((m) => m.data.author.id === userId && Date.parse(m.data.timestamp) >= cutoff);
          if (doomed.length > 0) services.messages.bulkDelete(channel.id, doomed);
        }
        guilds.ban(guildId, userId, actorOf(request));
        return noContent();
      },
    },
    {
      method: 'DELETE',
      template: '/guilds/:guild_id/bans/:user_id',
      handler(request) {
        guilds.unban(requireGuild(request, P.BanMembers), request.params.user_id!, actorOf(request));
        return noContent();
      },
    },
    { method: 'GET', template: '/guilds/:guild_id/roles', handler: (request) => ok(core.state.guildRoles(memberGuild(services, request)).map(rolePayload)) },
    {
      method: 'POST',
      template: '/guilds/:guild_id/roles',
      handler(request) {
        const guildId = requireGuild(request, P.ManageRoles);
        const body = objectBody(request);
        const errors = new FormErrors();
        errors.maxLength('name', body.name as string | undefined, 100);
        errors.throwIfAny();
        const permissions = BigInt((body.permissions as string | undefined) ?? core.state.roles.get(guildId)!.permissions);
        requireHolds(guildId, request, permissions);
        const role = guilds.createRole(guildId, {
          name: (body.name as string | undefined) ?? 'new role',
          permissions,
          color: Number(body.color ?? 0),
          hoist: body.hoist === true,
          mentionable: body.mentionable === true,
        });
        return ok(rolePayload(role));
      },
    },
  ];
}
