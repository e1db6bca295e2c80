// Renders stored records into the JSON shapes Discord returns over REST and the gateway.
import type { APIUser } from 'discord-api-types/v10';
import type { ChannelRecord, GuildRecord, MemberRecord, RoleRecord, SandboxState, StoredMessage } from './state.js';

export type Json = Record<string, unknown>;

export function userPayload(user: APIUser): Json {
  return {
    id: user.id,
    username: user.username,
    global_name: user.global_name ?? null,
    discriminator: '0',
    avatar: null,
    bot: user.bot ?? false,
    system: false,
    public_flags: 0,
    flags: 0,
    banner: null,
    accent_color: null,
    avatar_decoration_data: null,
    primary_guild: null,
    collectibles: null,
  };
}

export function rolePayload(role: RoleRecord): Json {
  return {
    id: role.id,
    name: role.name,
    color: role.color,
    colors: { primary_color: role.color, secondary_color: null, tertiary_color: null },
    hoist: role.hoist,
    icon: null,
    unicode_emoji: null,
    position: role.position,
    permissions: role.permissions,
    managed: role.managed,
    mentionable: role.mentionable,
    flags: 0,
    ...(role.bot_id ? { tags: { bot_id: role.bot_id } } : {}),
  };
}

export function memberPayload(state: SandboxState, member: MemberRecord, withUser = true): Json {
  const user = state.users.get(member.user_id);
  return {
    ...(withUser && user ? { user: userPayload(user) } : {}),
    nick: member.nick,
    avatar: null,
    banner: null,
    roles: [...member.roles],
    joined_at: member.joined_at,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    communication_disabled_until: member.communication_disabled_until,
  };
}

export function channelPayload(state: SandboxState, channel: ChannelRecord): Json {
  const { recipient_ids: recipientIds, ...rest } = channel;
  if (recipientIds) {
    return {
      ...rest,
      flags: 0,
      recipients: recipientIds.map((id) => state.users.get(id)).filter((user) => user !== undefined).map(userPayload),
    };
  }
  return { flags: 0, nsfw: false, permission_overwrites: [], ...rest };
}

export function guildPayload(state: SandboxState, guild: GuildRecord): Json {
  return {
    ...guild,
    icon: null,
    icon_hash: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    afk_channel_id: null,
    afk_timeout: 300,
    widget_enabled: false,
    widget_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    vanity_url_code: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    max_members: 500_000,
    max_video_channel_users: 25,
    nsfw_level: 0,
    application_id: null,
    hub_type: null,
    region: 'us-west',
    roles: state.guildRoles(guild.id).map(rolePayload),
    emojis: [],
    stickers: [],
  };
}

/** A message as `viewerId` sees it: reaction counts with `me` set for the viewer's own reactions. */
export function messagePayload(message: StoredMessage, viewerId: string | undefined): Json {
  const reactions = message.reactions
    .filter((reaction) => reaction.users.length > 0)
    .map((reaction) => ({
      emoji: reaction.emoji,
      count: reaction.users.length,
      count_details: { burst: 0, normal: reaction.users.length },
      me: viewerId !== undefined && reaction.users.includes(viewerId),
      me_burst: false,
      burst_colors: [],
    }));
  return reactions.length > 0 ? { ...message.data, reactions } : { ...message.data };
}
