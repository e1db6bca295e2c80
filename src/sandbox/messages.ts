// Message lifecycle shared by the REST API and the driver: create, edit, delete, reactions, with their dispatches.
import { GatewayDispatchEvents as Events, MessageFlags, MessageType } from 'discord-api-types/v10';
import type { SandboxCore } from './core.js';
import { unknownEntity } from './errors.js';
import { memberPayload, messagePayload, userPayload, type Json } from './payloads.js';
import { snowflake } from './snowflake.js';
import type { MessageData, ReactionRecord, StoredMessage } from './state.js';

export interface AllowedMentions {
  parse?: string[];
  users?: string[];
  roles?: string[];
  replied_user?: boolean;
}

export interface NewMessage {
  authorId: string;
  channelId: string;
  content?: string;
  embeds?: Json[];
  components?: Json[];
  attachments?: Json[];
  flags?: number;
  tts?: boolean;
  replyTo?: string;
  allowedMentions?: AllowedMentions;
  nonce?: string;
  type?: MessageType;
  webhookId?: string;
  applicationId?: string;
  interactionMetadata?: Json;
  ephemeralFor?: string;
}

export type MessagePatch = Partial<Pick<NewMessage, 'content' | 'embeds' | 'components' | 'attachments' | 'flags'>> & {
  allowedMentions?: AllowedMentions;
};

const USER_MENTION = /<@!?(\d{17,20})>/g;
const ROLE_MENTION = /<@&(\d{17,20})>/g;

/** Parses a reaction emoji as written in URLs and by the driver: a unicode emoji, or `name:id` for custom ones. */
export function parseEmoji(raw: string): ReactionRecord['emoji'] {
  const decoded = decodeURIComponent(raw);
  const custom = /^<?a?:?([\w~]+):(\d{17,20})>?$/.exec(decoded);
  return custom ? { id: custom[2]!, name: custom[1]! } : { id: null, name: decoded };
}

const sameEmoji = (a: ReactionRecord['emoji'], b: ReactionRecord['emoji']): boolean =>
  a.id !== null || b.id !== null ? a.id === b.id : a.name === b.name;

export class MessageService {
  constructor(private readonly core: SandboxCore) {}

  get(channelId: string, messageId: string): StoredMessage {
    const message = this.core.state.messages.get(messageId);
    if (!message || message.data.channel_id !== channelId || message.ephemeralFor) throw unknownEntity('message');
    return message;
  }

  create(input: NewMessage): StoredMessage {
    const { state } = this.core;
    const channel = state.channels.get(input.channelId);
    const author = state.users.get(input.authorId);
    if (!channel || !author) throw unknownEntity(channel ? 'user' : 'channel');
    const id = snowflake();
    const referenced = input.replyTo ? this.get(input.channelId, input.replyTo) : undefined;
    const content = input.content ?? '';
    const data: MessageData = {
      id,
      channel_id: channel.id,
      ...(channel.guild_id ? { guild_id: channel.guild_id } : {}),
      author: userPayload(author) as MessageData['author'],
      content,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: input.tts ?? false,
      ...this.mentions(channel.guild_id, content, input.allowedMentions, referenced),
      attachments: input.attachments ?? [],
      embeds: input.embeds ?? [],
      components: input.components ?? [],
      pinned: false,
      type: input.type ?? (referenced ? MessageType.Reply : MessageType.Default),
      flags: input.flags ?? 0,
      ...(input.nonce !== undefined ? { nonce: input.nonce } : {}),
      ...(input.webhookId ? { webhook_id: input.webhookId } : {}),
      ...(input.applicationId ? { application_id: input.applicationId } : {}),
      ...(input.interactionMetadata ? { interaction_metadata: input.interactionMetadata as never } : {}),
      ...(referenced
        ? {
            message_reference: { type: 0, message_id: referenced.data.id, channel_id: channel.id, guild_id: channel.guild_id },
            referenced_message: messagePayload(referenced, undefined) as never,
          }
        : {}),
    };
    const message: StoredMessage = {
      data,
      reactions: [],
      ...(input.ephemeralFor ? { ephemeralFor: input.ephemeralFor } : {}),
      ...(input.nonce !== undefined ? { nonce: { value: input.nonce, at: Date.now() } } : {}),
    };
    state.addMessage(message);
    if (!message.ephemeralFor) channel.last_message_id = id;
    this.publish('create', message, Events.MessageCreate);
    return message;
  }

  update(message: StoredMessage, patch: MessagePatch): StoredMessage {
    const data = { ...message.data };
    if (patch.content !== undefined) {
      data.content = patch.content;
      Object.assign(data, this.mentions(data.guild_id, patch.content, patch.allowedMentions, undefined));
    }
    if (patch.embeds !== undefined) data.embeds = patch.embeds;
    if (patch.components !== undefined) data.components = patch.components;
    if (patch.attachments !== undefined) data.attachments = patch.attachments;
    // Only the settable flags change; LOADING disappears once a deferred response is edited.
    const keep = (data.flags ?? 0) & (MessageFlags.Ephemeral | MessageFlags.Crossposted | MessageFlags.HasThread);
    data.flags = keep | ((patch.flags ?? data.flags ?? 0) & (MessageFlags.SuppressEmbeds | MessageFlags.SuppressNotifications));
    data.edited_timestamp = new Date().toISOString();
    message.data = data;
    this.publish('update', message, Events.MessageUpdate);
    return message;
  }

  delete(message: StoredMessage): void {
    this.core.state.removeMessage(message.data.id);
    this.core.events.emit('message', { action: 'delete', message: messagePayload(message, undefined), ...this.audience(message) });
    if (message.ephemeralFor) return;
    const { id, channel_id: channelId, guild_id: guildId } = message.data;
    this.dispatchTo(channelId, Events.MessageDelete, { id, channel_id: channelId, ...(guildId ? { guild_id: guildId } : {}) });
  }

  bulkDelete(channelId: string, messages: StoredMessage[]): void {
    for (const message of messages) this.core.state.removeMessage(message.data.id);
    const guildId = this.core.state.channels.get(channelId)?.guild_id;
    this.dispatchTo(channelId, Events.MessageDeleteBulk, {
      ids: messages.map((message) => message.data.id),
      channel_id: channelId,
      ...(guildId ? { guild_id: guildId } : {}),
    });
  }

  /** Returns false when the user had already reacted with that emoji (Discord then changes nothing). */
  react(userId: string, message: StoredMessage, emoji: ReactionRecord['emoji']): boolean {
    let reaction = message.reactions.find((candidate) => sameEmoji(candidate.emoji, emoji));
    if (!reaction) message.reactions.push((reaction = { emoji, users: [] }));
    if (reaction.users.includes(userId)) return false;
    reaction.users.push(userId);
    this.dispatchReaction(Events.MessageReactionAdd, userId, message, emoji);
    return true;
  }

  unreact(userId: string, message: StoredMessage, emoji: ReactionRecord['emoji']): void {
    const reaction = message.reactions.find((candidate) => sameEmoji(candidate.emoji, emoji));
    if (!reaction?.users.includes(userId)) return;
    reaction.users = reaction.users.filter((id) => id !== userId);
    this.dispatchReaction(Events.MessageReactionRemove, userId, message, emoji);
  }

  /** The MESSAGE_CREATE/UPDATE body: the message plus guild_id and the author's member (Discord adds both). */
  gatewayData(message: StoredMessage): Json {
    const payload = messagePayload(message, undefined);
    const guildId = message.data.guild_id;
    const member = guildId && !message.data.webhook_id ? this.core.state.members.get(guildId)?.get(message.data.author.id) : undefined;
    return member ? { ...payload, member: memberPayload(this.core.state, member, false) } : payload;
  }

  private publish(action: 'create' | 'update', message: StoredMessage, event: Events): void {
    this.core.events.emit('message', { action, message: messagePayload(message, undefined), ...this.audience(message) });
    if (message.ephemeralFor) return this.core.changed();
    this.dispatchTo(message.data.channel_id, event, this.gatewayData(message));
  }

  private audience(message: StoredMessage): { ephemeralFor?: string } {
    return message.ephemeralFor ? { ephemeralFor: message.ephemeralFor } : {};
  }

  private dispatchReaction(event: Events, userId: string, message: StoredMessage, emoji: ReactionRecord['emoji']): void {
    const { guild_id: guildId, channel_id: channelId, id, author } = message.data;
    const member = guildId ? this.core.state.members.get(guildId)?.get(userId) : undefined;
    this.dispatchTo(channelId, event, {
      user_id: userId,
      channel_id: channelId,
      message_id: id,
      ...(guildId ? { guild_id: guildId } : {}),
      ...(member && event === Events.MessageReactionAdd ? { member: memberPayload(this.core.state, member) } : {}),
      emoji,
      burst: false,
      type: 0,
      ...(event === Events.MessageReactionAdd ? { message_author_id: author.id } : {}),
    });
  }

  /** Guild channels reach the bots in the guild; DM channels reach the bot among their recipients. */
  private dispatchTo(channelId: string, event: string, data: Json): void {
    const channel = this.core.state.channels.get(channelId);
    if (channel?.guild_id) this.core.dispatch({ event, data, guildId: channel.guild_id });
    else this.core.dispatch({ event, data, userIds: channel?.recipient_ids ?? [] });
  }

  private mentions(guildId: string | undefined, content: string, allowed: AllowedMentions | undefined, replied?: StoredMessage) {
    const { state } = this.core;
    const parse = allowed?.parse ?? ['users', 'roles', 'everyone'];
    const userIds = new Set(
      [...content.matchAll(USER_MENTION)]
        .map((match) => match[1]!)
        .filter((id) => state.users.has(id) && (parse.includes('users') || allowed?.users?.includes(id))),
    );
    if (replied && allowed?.replied_user !== false) userIds.add(replied.data.author.id);
    const roleIds = [...content.matchAll(ROLE_MENTION)]
      .map((match) => match[1]!)
      .filter((id) => state.roles.get(id)?.guild_id === guildId && (parse.includes('roles') || allowed?.roles?.includes(id)));
    return {
      mentions: [...userIds].map((id) => {
        const member = guildId ? state.members.get(guildId)?.get(id) : undefined;
        const user = userPayload(state.users.get(id)!);
        return member ? { ...user, member: memberPayload(state, member, false) } : user;
      }),
      mention_roles: [...new Set(roleIds)],
      mention_everyone: parse.includes('everyone') && /@(everyone|here)/.test(content),
    };
  }
}
