// Channel message routes: list/get/send/edit/delete, bulk delete, nonce deduplication and reactions.
import { ChannelType, GatewayDispatchEvents as Events, PermissionFlagsBits as P } from 'discord-api-types/v10';
import { ApiError, FormErrors, unknownEntity } from '../../errors.js';
import { allowedPrivilegedIntents, applyMessageContentRule } from '../../gateway/intents.js';
import { validateMessageBody } from '../../message-validation.js';
import { parseEmoji, type AllowedMentions, type MessagePatch, type NewMessage } from '../../messages.js';
import { messagePayload, userPayload, type Json } from '../../payloads.js';
import { compareSnowflakes, snowflakeTime } from '../../snowflake.js';
import type { Services } from '../../services.js';
import type { StoredMessage } from '../../state.js';
import { noContent, ok, type RestRequest, type Route } from '../router.js';
import { accessibleChannel, botId, objectBody, queryInt, sendPermission, TEXT_CHANNEL_TYPES } from './common.js';

const BULK_DELETE_MAX_AGE_MS = 14 * 24 * 3600_000;

/** The message fields of a create/edit body, with uploaded files turned into attachments. */
export function messageFields(body: Json, attachments: Json[] | undefined): MessagePatch & Pick<NewMessage, 'tts'> {
  return {
    ...(body.content !== undefined ? { content: (body.content as string | null) ?? '' } : {}),
    ...(body.embeds !== undefined ? { embeds: (body.embeds as Json[] | null) ?? [] } : {}),
    ...(body.components !== undefined ? { components: (body.components as Json[] | null) ?? [] } : {}),
    ...(body.flags !== undefined ? { flags: Number(body.flags) } : {}),
    ...(body.tts === true ? { tts: true } : {}),
    ...(body.allowed_mentions ? { allowedMentions: body.allowed_mentions as AllowedMentions } : {}),
    ...(attachments ? { attachments } : {}),
  };
}

export function uploadedAttachments(services: Services, request: RestRequest, channelId: string, body: Json): Json[] | undefined {
  if (request.files.length === 0) return Array.isArray(body.attachments) && body.attachments.length === 0 ? [] : undefined;
  return services.attachments.store(channelId, request.files, Array.isArray(body.attachments) ? (body.attachments as Json[]) : []);
}

function findMessage(services: Services, channelId: string, messageId: string): StoredMessage {
  return services.messages.get(channelId, messageId);
}

function duplicateByNonce(services: Services, channelId: string, authorId: string, nonce: string): StoredMessage | undefined {
  const recent = services.core.state.messagesIn(channelId).slice(-200);
  const cutoff = Date.now() - services.core.config.nonceWindowMs;
  return recent.find((message) => message.data.author.id === authorId && message.nonce?.value === nonce && message.nonce.at >= cutoff);
}

export function messageRoutes(services: Services): Route[] {
  const { core, messages } = services;
  const view = (message: StoredMessage, request: RestRequest): Json => messagePayload(message, botId(request));
  /**
   * Message Content applies to REST reads too: an app without the intent reads guild messages with empty content,
   * embeds, attachments and components, unless it wrote them or is mentioned in them.
   */
  const read = (message: StoredMessage, request: RestRequest): Json =>
    applyMessageContentRule(Events.MessageCreate, view(message, request), allowedPrivilegedIntents(request.app!.flags), botId(request));

  return [
    {
      method: 'GET',
      template: '/channels/:channel_id/messages',
      handler(request) {
        const channel = accessibleChannel(services, request, [P.ReadMessageHistory]);
        const limit = queryInt(request, 'limit', 50, 1, 100);
        const [before, after, around] = ['before', 'after', 'around'].map((key) => request.query.get(key));
        let list = core.state.messagesIn(channel.id);
        if (around) {
          const index = list.findIndex((message) => compareSnowflakes(message.data.id, around) >= 0);
          const centre = index < 0 ? list.length : index;
          const start = Math.max(0, centre - Math.floor(limit / 2));
          list = list.slice(start, start + limit);
        } else if (after) {
          list = list.filter((message) => compareSnowflakes(message.data.id, after) > 0).slice(0, limit);
        } else {
          if (before) list = list.filter((message) => compareSnowflakes(message.data.id, before) < 0);
          list = list.slice(-limit);
        }
        return ok(list.reverse().map((message) => read(message, request)));
      },
    },
    {
      method: 'GET',
      template: '/channels/:channel_id/messages/:message_id',
      handler(request) {
        const channel = accessibleChannel(services, request, [P.ReadMessageHistory]);
        return ok(read(findMessage(services, channel.id, request.params.message_id!), request));
      },
    },
    {
      method: 'POST',
      template: '/channels/:channel_id/messages',
      handler(request) {
        const channel = accessibleChannel(services, request);
        const body = objectBody(request);
        if (!TEXT_CHANNEL_TYPES.has(channel.type)) throw new ApiError(400, 50008, 'Cannot send messages in a non-text channel');
        if (channel.type === ChannelType.DM) {
          const other = channel.recipient_ids?.find((id) => id !== botId(request));
          // Discord delivers a bot's DM only to a person who shares a server with it and allows DMs from members.
          const shared = other && [...core.state.guilds.keys()].some((guildId) => core.state.guildMembers(guildId).has(other) && core.state.guildMembers(guildId).has(botId(request)));
          if (!other || core.state.users.get(other)?.bot || core.state.closedDirectMessages.has(other) || !shared) {
            throw new ApiError(403, 50007, 'Cannot send messages to this user');
          }
        } else {
          const needed = [sendPermission(channel), ...(request.files.length > 0 ? [P.AttachFiles] : [])];
          core.permissions.requireChannel(channel.id, botId(request), ...needed);
        }
        validateMessageBody(body, { requireSomething: true, fileCount: request.files.length });
        if (typeof body.flags === 'number' && body.flags & 64) {
          const errors = new FormErrors();
          errors.add('flags', 'MESSAGE_FLAGS_INVALID', 'Ephemeral messages can only be sent as interaction responses');
          errors.throwIfAny();
        }
        const nonce = body.nonce === undefined || body.nonce === null ? undefined : String(body.nonce);
        if (nonce !== undefined && body.enforce_nonce === true) {
          const duplicate = duplicateByNonce(services, channel.id, botId(request), nonce);
          if (duplicate) return ok(view(duplicate, request));
        }
        const reference = body.message_reference as { message_id?: string; fail_if_not_exists?: boolean } | undefined;
        let replyTo: string | undefined;
        if (reference?.message_id) {
          const target = core.state.messages.get(reference.message_id);
          if (target && target.data.channel_id === channel.id && !target.ephemeralFor) replyTo = target.data.id;
          else if (reference.fail_if_not_exists !== false) {
            const errors = new FormErrors();
            errors.add('message_reference', 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', 'Unknown message');
            errors.throwIfAny();
          }
        }
        const message = messages.create({
          authorId: botId(request),
          channelId: channel.id,
          ...messageFields(body, uploadedAttachments(services, request, channel.id, body)),
          ...(replyTo ? { replyTo } : {}),
          ...(nonce !== undefined ? { nonce } : {}),
        });
        return ok(view(message, request));
      },
    },
    {
      method: 'PATCH',
      template: '/channels/:channel_id/messages/:message_id',
      handler(request) {
        const channel = accessibleChannel(services, request);
        const message = findMessage(services, channel.id, request.params.message_id!);
        if (message.data.author.id !== botId(request)) throw new ApiError(403, 50005, 'Cannot edit a message authored by another user');
        const body = objectBody(request);
        validateMessageBody(body, { requireSomething: false });
        return ok(view(messages.update(message, messageFields(body, uploadedAttachments(services, request, channel.id, body))), request));
      },
    },
    {
      method: 'DELETE',
      template: '/channels/:channel_id/messages/:message_id',
      handler(request) {
        const channel = accessibleChannel(services, request);
        const message = findMessage(services, channel.id, request.params.message_id!);
        if (message.data.author.id !== botId(request) && channel.guild_id) {
          core.permissions.requireChannel(channel.id, botId(request), P.ManageMessages);
        }
        messages.delete(message);
        return noContent();
      },
    },
    {
      method: 'POST',
      template: '/channels/:channel_id/messages/bulk-delete',
      handler(request) {
        const channel = accessibleChannel(services, request, [P.ManageMessages]);
        const ids = objectBody(request).messages;
        const errors = new FormErrors();
        if (!Array.isArray(ids)) errors.add('messages', 'BASE_TYPE_REQUIRED', 'This field is required');
        else errors.lengthBetween('messages', ids, 2, 100);
        errors.throwIfAny();
        const unique = [...new Set((ids as unknown[]).map(String))];
        if (unique.some((id) => Date.now() - snowflakeTime(id) > BULK_DELETE_MAX_AGE_MS)) {
          throw new ApiError(400, 50034, 'You can only bulk delete messages that are under 14 days old.');
        }
        const found = unique.map((id) => core.state.messages.get(id)).filter((message) => message?.data.channel_id === channel.id);
        messages.bulkDelete(channel.id, found.filter((message) => message !== undefined));
        return noContent();
      },
    },
    ...reactionRoutes(services),
  ];
}

function reactionRoutes(services: Services): Route[] {
  const { core, messages } = services;
  const target = (request: RestRequest, needed: bigint[]) => {
    const channel = accessibleChannel(services, request, [P.ReadMessageHistory, ...needed]);
    const message = findMessage(services, channel.id, request.params.message_id!);
    const emoji = parseEmoji(request.params.emoji!);
    // The sandbox has no custom emoji store, so only unicode emoji exist.
    if (emoji.id !== null) throw unknownEntity('emoji');
    return { message, emoji };
  };
  return [
    {
      method: 'PUT',
      template: '/channels/:channel_id/messages/:message_id/reactions/:emoji/@me',
      handler(request) {
        const { message, emoji } = target(request, []);
        const exists = message.reactions.some((reaction) => reaction.emoji.name === emoji.name && reaction.users.length > 0);
        if (!exists && message.data.guild_id) core.permissions.requireChannel(message.data.channel_id, botId(request), P.AddReactions);
        messages.react(botId(request), message, emoji);
        return noContent();
      },
    },
    {
      method: 'DELETE',
      template: '/channels/:channel_id/messages/:message_id/reactions/:emoji/@me',
      handler(request) {
        const { message, emoji } = target(request, []);
        messages.unreact(botId(request), message, emoji);
        return noContent();
      },
    },
    {
      method: 'DELETE',
      template: '/channels/:channel_id/messages/:message_id/reactions/:emoji/:user_id',
      handler(request) {
        const { message, emoji } = target(request, [P.ManageMessages]);
        messages.unreact(request.params.user_id!, message, emoji);
        return noContent();
      },
    },
    {
      method: 'GET',
      template: '/channels/:channel_id/messages/:message_id/reactions/:emoji',
      handler(request) {
        const { message, emoji } = target(request, []);
        const limit = queryInt(request, 'limit', 25, 1, 100);
        const after = request.query.get('after');
        const users = message.reactions.find((reaction) => reaction.emoji.name === emoji.name)?.users ?? [];
        const list = [...users]
          .sort(compareSnowflakes)
          .filter((id) => !after || compareSnowflakes(id, after) > 0)
          .slice(0, limit)
          .map((id) => core.state.users.get(id))
          .filter((user) => user !== undefined)
          .map(userPayload);
        return ok(list);
      },
    },
  ];
}
