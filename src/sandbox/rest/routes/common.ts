// Helpers every route module uses: the authenticated bot, channel access checks, body shape checks.
import { ChannelType, PermissionFlagsBits } from 'discord-api-types/v10';
import { FormErrors, missingAccess, unknownEntity } from '../../errors.js';
import type { Json } from '../../payloads.js';
import { isThread } from '../../permissions.js';
import type { Services } from '../../services.js';
import type { ChannelRecord } from '../../state.js';
import type { RestRequest } from '../router.js';

export function botId(request: RestRequest): string {
  return request.app!.botUserId;
}

/** The body as an object; Discord answers non-objects with a 50035 at the root. */
export function objectBody(request: RestRequest): Json {
  const body = request.body ?? {};
  if (typeof body === 'object' && !Array.isArray(body)) return body as Json;
  const errors = new FormErrors();
  errors.add('_errors', 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
  errors.throwIfAny();
  return {};
}

/** A channel the bot can see, checking VIEW_CHANNEL plus `needed` (or being a DM recipient). */
export function accessibleChannel(services: Services, request: RestRequest, needed: bigint[] = []): ChannelRecord {
  const channel = services.core.state.channels.get(request.params.channel_id!);
  if (!channel) throw unknownEntity('channel');
  if (channel.guild_id) {
    if (!services.core.state.members.get(channel.guild_id)?.has(botId(request))) throw missingAccess();
    services.core.permissions.requireChannel(channel.id, botId(request), ...needed);
  } else if (!channel.recipient_ids?.includes(botId(request))) {
    throw missingAccess();
  }
  return channel;
}

/** Posting in a thread needs SEND_MESSAGES_IN_THREADS instead of SEND_MESSAGES. */
export function sendPermission(channel: ChannelRecord): bigint {
  return isThread(channel) ? PermissionFlagsBits.SendMessagesInThreads : PermissionFlagsBits.SendMessages;
}

/** A guild the bot belongs to; 10004 when it does not exist, 50001 when the bot is not a member. */
export function memberGuild(services: Services, request: RestRequest): string {
  const guild = services.guilds.guild(request.params.guild_id!);
  if (!services.core.state.members.get(guild.id)?.has(botId(request))) throw missingAccess();
  return guild.id;
}

export function queryInt(request: RestRequest, name: string, fallback: number, min: number, max: number): number {
  const raw = request.query.get(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    const errors = new FormErrors();
    errors.add(name, 'NUMBER_TYPE_MAX', `int value should be between ${min} and ${max}.`);
    errors.throwIfAny();
  }
  return value;
}

export const TEXT_CHANNEL_TYPES = new Set<ChannelType>([
  ChannelType.GuildText,
  ChannelType.GuildAnnouncement,
  ChannelType.GuildVoice,
  ChannelType.PublicThread,
  ChannelType.PrivateThread,
  ChannelType.AnnouncementThread,
  ChannelType.DM,
]);
