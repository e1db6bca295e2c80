// Which gateway intent each dispatch needs, and Discord's Message Content rule for bots without that privileged intent.
import { GatewayDispatchEvents as Events, GatewayIntentBits as Intents } from 'discord-api-types/v10';
import type { Json } from '../payloads.js';

export const PRIVILEGED_INTENTS = Intents.GuildMembers | Intents.GuildPresences | Intents.MessageContent;
export const ALL_INTENTS = Object.values(Intents)
  .filter((bit) => typeof bit === 'number')
  .reduce((all, bit) => all | bit, 0);

const GUILD_EVENTS = new Map<string, number>([
  [Events.GuildCreate, Intents.Guilds],
  [Events.GuildUpdate, Intents.Guilds],
  [Events.GuildDelete, Intents.Guilds],
  [Events.GuildRoleCreate, Intents.Guilds],
  [Events.GuildRoleUpdate, Intents.Guilds],
  [Events.GuildRoleDelete, Intents.Guilds],
  [Events.ChannelCreate, Intents.Guilds],
  [Events.ChannelUpdate, Intents.Guilds],
  [Events.ChannelDelete, Intents.Guilds],
  [Events.ThreadCreate, Intents.Guilds],
  [Events.ThreadUpdate, Intents.Guilds],
  [Events.ThreadDelete, Intents.Guilds],
  [Events.GuildMemberAdd, Intents.GuildMembers],
  [Events.GuildMemberUpdate, Intents.GuildMembers],
  [Events.GuildMemberRemove, Intents.GuildMembers],
  [Events.GuildBanAdd, Intents.GuildModeration],
  [Events.GuildBanRemove, Intents.GuildModeration],
  [Events.GuildAuditLogEntryCreate, Intents.GuildModeration],
  [Events.InviteCreate, Intents.GuildInvites],
  [Events.InviteDelete, Intents.GuildInvites],
  [Events.MessageCreate, Intents.GuildMessages],
  [Events.MessageUpdate, Intents.GuildMessages],
  [Events.MessageDelete, Intents.GuildMessages],
  [Events.MessageDeleteBulk, Intents.GuildMessages],
  [Events.MessageReactionAdd, Intents.GuildMessageReactions],
  [Events.MessageReactionRemove, Intents.GuildMessageReactions],
  [Events.WebhooksUpdate, Intents.GuildWebhooks],
  [Events.GuildScheduledEventCreate, Intents.GuildScheduledEvents],
  [Events.GuildScheduledEventUpdate, Intents.GuildScheduledEvents],
  [Events.GuildScheduledEventDelete, Intents.GuildScheduledEvents],
  [Events.GuildScheduledEventUserAdd, Intents.GuildScheduledEvents],
  [Events.GuildScheduledEventUserRemove, Intents.GuildScheduledEvents],
]);

const DIRECT_EVENTS = new Map<string, number>([
  [Events.MessageCreate, Intents.DirectMessages],
  [Events.MessageUpdate, Intents.DirectMessages],
  [Events.MessageDelete, Intents.DirectMessages],
  [Events.MessageReactionAdd, Intents.DirectMessageReactions],
  [Events.MessageReactionRemove, Intents.DirectMessageReactions],
  [Events.ChannelCreate, 0],
]);

/** The intent a session needs to receive `event`; 0 when the event is always sent (READY, INTERACTION_CREATE...). */
export function requiredIntent(event: string, inGuild: boolean): number {
  return (inGuild ? GUILD_EVENTS : DIRECT_EVENTS).get(event) ?? 0;
}

/** The privileged intents an application may use, from its flags (the "…_LIMITED" bits count for bots in < 100 servers). */
export function allowedPrivilegedIntents(flags: number): number {
  let allowed = 0;
  if (flags & ((1 << 14) | (1 << 15))) allowed |= Intents.GuildMembers;
  if (flags & ((1 << 12) | (1 << 13))) allowed |= Intents.GuildPresences;
  if (flags & ((1 << 18) | (1 << 19))) allowed |= Intents.MessageContent;
  return allowed;
}

const CONTENT_EVENTS = new Set<string>([Events.MessageCreate, Events.MessageUpdate]);

/**
 * Without MESSAGE_CONTENT, guild messages arrive with empty content, embeds, attachments and components, unless the
 * bot wrote them or is mentioned in them (DMs are exempt).
 */
export function applyMessageContentRule(event: string, data: Json, intents: number, botUserId: string): Json {
  if (!CONTENT_EVENTS.has(event) || intents & Intents.MessageContent || !data.guild_id) return data;
  const author = data.author as { id?: string } | undefined;
  const mentions = (data.mentions as Array<{ id: string }> | undefined) ?? [];
  if (author?.id === botUserId || mentions.some((user) => user.id === botUserId)) return data;
  const stripped: Json = { ...data };
  delete stripped.poll;
  return {
    ...stripped,
    ...('content' in data ? { content: '' } : {}),
    ...('embeds' in data ? { embeds: [] } : {}),
    ...('attachments' in data ? { attachments: [] } : {}),
    ...('components' in data ? { components: [] } : {}),
  };
}
