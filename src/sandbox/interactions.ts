// Interaction lifecycle: delivery (gateway or signed HTTP), the acknowledgement deadline, callbacks and token webhooks.
import { createPrivateKey, randomBytes, sign } from 'node:crypto';
import {
  GatewayDispatchEvents,
  InteractionResponseType as Response,
  InteractionType,
  MessageFlags,
  MessageType,
  ApplicationCommandType,
} from 'discord-api-types/v10';
import type { SandboxCore } from './core.js';
import { alreadyAcknowledged, FormErrors, unknownEntity } from './errors.js';
import { interactionEnvelope, type InteractionContext } from './interaction-payloads.js';
import { validateMessageBody, validateModal } from './message-validation.js';
import type { MessagePatch, MessageService } from './messages.js';
import { messagePayload, userPayload, type Json } from './payloads.js';
import { snowflake, snowflakeTime } from './snowflake.js';
import type { StoredMessage } from './state.js';

const TOKEN_LIFETIME_MS = 15 * 60_000;
export const INTERACTION_FAILED = 'This interaction failed';

export interface Acknowledgement {
  type: number;
  data?: Json;
}

export interface InteractionRecord extends InteractionContext {
  payload: Json;
  status: 'pending' | 'acknowledged' | 'failed';
  ack?: Acknowledgement;
  /** The message @original refers to: the reply for types 4/5, the clicked message for types 6/7. */
  originalMessageId?: string;
  followupIds: string[];
  modal?: Json;
  sourceMessageId?: string;
  deadline: NodeJS.Timeout;
  waiters: Array<{ resolve: (ack: Acknowledgement) => void; reject: (error: Error) => void }>;
}

/** What the member sees on their side, mirrored for tests. */
export interface InteractionHandle {
  id: string;
  token: string;
  waitForAck(timeoutMs?: number): Promise<Acknowledgement>;
  status(): InteractionRecord['status'];
  /** The original response and followups as the user currently sees them (or Discord's failure notice). */
  responses(): Json[];
  /** The modal the bot answered with, if any. */
  modal(): Json | undefined;
}

const COMPONENT_RESPONSES = new Set<number>([Response.DeferredMessageUpdate, Response.UpdateMessage]);

export class InteractionManager {
  private readonly interactions = new Map<string, InteractionRecord>();

  constructor(
    private readonly core: SandboxCore,
    private readonly messages: MessageService,
  ) {}

  get(id: string): InteractionRecord | undefined {
    return this.interactions.get(id);
  }

  start(context: Omit<InteractionContext, 'id' | 'token'>, sourceMessageId?: string): InteractionHandle {
    this.prune();
    const id = snowflake();
    const token = `aW50ZXJhY3Rpb246${id}:${randomBytes(48).toString('base64url')}`;
    const full: InteractionContext = { ...context, id, token };
    const record: InteractionRecord = {
      ...full,
      payload: interactionEnvelope(this.core, full),
      status: 'pending',
      followupIds: [],
      waiters: [],
      ...(sourceMessageId ? { sourceMessageId } : {}),
      deadline: setTimeout(() => this.expire(record), this.core.config.interactionDeadlineMs).unref(),
    };
    this.interactions.set(id, record);
    this.deliver(record);
    return this.handle(record);
  }

  /**
   * Delivers an interaction again, as Discord does when it replays INTERACTION_CREATE to a resumed session or
   * retries an HTTP delivery: same id, same token. Acknowledging it a second time is refused with 40060.
   */
  redeliver(id: string): void {
    const record = this.interactions.get(id);
    if (!record) throw new Error(`No interaction ${id}`);
    this.deliver(record);
  }

  /** POST /interactions/:id/:token/callback */
  callback(id: string, token: string, body: Json, withResponse: boolean): Json | null {
    const record = this.interactions.get(id);
    if (!record || record.token !== token || record.status === 'failed') throw unknownEntity('interaction');
    if (record.status === 'acknowledged') throw alreadyAcknowledged();
    const type = body.type as number;
    const data = (body.data ?? undefined) as Json | undefined;
    this.checkResponseType(record, type);
    this.apply(record, type, data);
    record.status = 'acknowledged';
    record.ack = { type, ...(data ? { data } : {}) };
    clearTimeout(record.deadline);
    for (const waiter of record.waiters.splice(0)) waiter.resolve(record.ack);
    this.core.events.emit('interactionResponse', { interactionId: id, type, ...(data ? { data } : {}) });
    return withResponse ? this.callbackResponse(record) : null;
  }

  /** Interaction webhooks accept the token for 15 minutes after creation, whatever the ack deadline did. */
  byToken(applicationId: string, token: string): InteractionRecord {
    for (const record of this.interactions.values()) {
      if (record.token === token && record.applicationId === applicationId) {
        if (Date.now() - snowflakeTime(record.id) > TOKEN_LIFETIME_MS) break;
        return record;
      }
    }
    throw unknownEntity('webhook');
  }

  original(record: InteractionRecord): StoredMessage {
    const message = record.originalMessageId ? this.core.state.messages.get(record.originalMessageId) : undefined;
    if (!message) throw unknownEntity('message');
    return message;
  }

  /** A message this interaction's webhook may touch: its original response or one of its followups. */
  ownMessage(record: InteractionRecord, messageId: string): StoredMessage {
    if (messageId === '@original') return this.original(record);
    const message = this.core.state.messages.get(messageId);
    if (!message || (messageId !== record.originalMessageId && !record.followupIds.includes(messageId))) throw unknownEntity('message');
    return message;
  }

  /** The first followup after a deferred reply replaces the "thinking..." message, as on Discord. */
  followup(record: InteractionRecord, body: Json, fileCount: number, attachments: Json[]): StoredMessage {
    if (record.status !== 'acknowledged') throw unknownEntity('webhook');
    validateMessageBody(body, { requireSomething: true, fileCount });
    const original = record.originalMessageId ? this.core.state.messages.get(record.originalMessageId) : undefined;
    if (original && (original.data.flags ?? 0) & MessageFlags.Loading) return this.editResponse(original, body, attachments);
    const message = this.reply(record, body, attachments);
    record.followupIds.push(message.data.id);
    return message;
  }

  editResponse(message: StoredMessage, body: Json, attachments?: Json[]): StoredMessage {
    validateMessageBody(body, { requireSomething: false });
    const patch: MessagePatch = {
      ...(body.content !== undefined ? { content: (body.content as string | null) ?? '' } : {}),
      ...(body.embeds !== undefined ? { embeds: (body.embeds as Json[] | null) ?? [] } : {}),
      ...(body.components !== undefined ? { components: (body.components as Json[] | null) ?? [] } : {}),
      ...(attachments ? { attachments } : {}),
      ...(body.allowed_mentions ? { allowedMentions: body.allowed_mentions as MessagePatch['allowedMentions'] } : {}),
    };
    return this.messages.update(message, patch);
  }

  handle(record: InteractionRecord): InteractionHandle {
    return {
      id: record.id,
      token: record.token,
      status: () => record.status,
      modal: () => record.modal,
      waitForAck: (timeoutMs = this.core.config.interactionDeadlineMs + 1000) => this.waitForAck(record, timeoutMs),
      responses: () => {
        if (record.status === 'failed') return [{ content: INTERACTION_FAILED, flags: MessageFlags.Ephemeral, system: true }];
        const ids = [record.originalMessageId, ...record.followupIds].filter((id) => id !== undefined);
        return ids
          .map((id) => this.core.state.messages.get(id))
          .filter((message) => message !== undefined)
          .filter((message) => !message.ephemeralFor || message.ephemeralFor === record.userId)
          .map((message) => messagePayload(message, record.userId));
      },
    };
  }

  close(): void {
    for (const record of this.interactions.values()) clearTimeout(record.deadline);
  }

  private waitForAck(record: InteractionRecord, timeoutMs: number): Promise<Acknowledgement> {
    if (record.ack) return Promise.resolve(record.ack);
    if (record.status === 'failed') return Promise.reject(new Error(INTERACTION_FAILED));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Interaction ${record.id} not acknowledged within ${timeoutMs}ms`)), timeoutMs);
      record.waiters.push({
        resolve: (ack) => (clearTimeout(timer), resolve(ack)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
    });
  }

  private expire(record: InteractionRecord): void {
    if (record.status !== 'pending') return;
    record.status = 'failed';
    for (const waiter of record.waiters.splice(0)) waiter.reject(new Error(INTERACTION_FAILED));
    this.core.events.emit('interactionFailed', { interactionId: record.id, userId: record.userId });
  }

  private prune(): void {
    const cutoff = Date.now() - TOKEN_LIFETIME_MS;
    for (const [id, record] of this.interactions) {
      if (snowflakeTime(id) >= cutoff) break;
      clearTimeout(record.deadline);
      this.interactions.delete(id);
    }
  }

  private deliver(record: InteractionRecord): void {
    const app = this.core.state.applications.get(record.applicationId)!;
    if (!app.interactionsEndpointUrl) {
      this.core.dispatch({ event: GatewayDispatchEvents.InteractionCreate, data: record.payload, userIds: [app.botUserId] });
      return;
    }
    void this.postSigned(app.interactionsEndpointUrl, app.privateKeyPem, record.payload)
      .then(async (response) => {
        if (response.status !== 200 || !response.headers.get('content-type')?.includes('application/json')) return;
        const body = (await response.json()) as Json;
        if (record.status === 'pending') this.callback(record.id, record.token, body, false);
      })
      .catch(() => undefined);
  }

  /** Signs `timestamp + body` with the application's Ed25519 key, exactly as Discord does for HTTP interactions. */
  postSigned(url: string, privateKeyPem: string, payload: Json, tamper = false): Promise<globalThis.Response> {
    const body = JSON.stringify(payload);
    const timestamp = Math.floor(Date.now() / 1000).toString();
    const signature = sign(null, Buffer.from(timestamp + body), createPrivateKey(privateKeyPem));
    if (tamper) signature[0] = (signature[0]! + 1) % 256;
    return fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Discord-Interactions/1.0 (+https://discord.com)',
        'x-signature-ed25519': signature.toString('hex'),
        'x-signature-timestamp': timestamp,
      },
      body,
      signal: AbortSignal.timeout(this.core.config.interactionDeadlineMs),
    });
  }

  private checkResponseType(record: InteractionRecord, type: number): void {
    const allowed = new Set<number>(
      record.type === InteractionType.Ping
        ? [Response.Pong]
        : record.type === InteractionType.ApplicationCommandAutocomplete
          ? [Response.ApplicationCommandAutocompleteResult]
          : [
              Response.ChannelMessageWithSource,
              Response.DeferredChannelMessageWithSource,
              ...(record.sourceMessageId ? COMPONENT_RESPONSES : []),
              ...(record.type === InteractionType.ModalSubmit ? [] : [Response.Modal]),
            ],
    );
    if (!allowed.has(type)) {
      const errors = new FormErrors();
      errors.add('type', 'INTERACTION_RESPONSE_TYPE_INVALID', 'Invalid interaction response type');
      errors.throwIfAny();
    }
  }

  private apply(record: InteractionRecord, type: number, data: Json | undefined): void {
    switch (type) {
      case Response.ChannelMessageWithSource:
        validateMessageBody(data ?? {}, { requireSomething: true });
        record.originalMessageId = this.reply(record, data ?? {}, []).data.id;
        return;
      case Response.DeferredChannelMessageWithSource: {
        const ephemeral = Number(data?.flags ?? 0) & MessageFlags.Ephemeral;
        record.originalMessageId = this.reply(record, { flags: ephemeral | MessageFlags.Loading }, []).data.id;
        return;
      }
      case Response.DeferredMessageUpdate:
        record.originalMessageId = record.sourceMessageId;
        return;
      case Response.UpdateMessage: {
        record.originalMessageId = record.sourceMessageId;
        const source = this.core.state.messages.get(record.sourceMessageId!);
        if (!source) throw unknownEntity('message');
        this.editResponse(source, data ?? {});
        return;
      }
      case Response.Modal:
        validateModal(data ?? {});
        record.modal = data;
        return;
      default:
        return;
    }
  }

  /** A message sent on the interaction's behalf: authored by the bot through the application's webhook. */
  private reply(record: InteractionRecord, body: Json, attachments: Json[]): StoredMessage {
    const app = this.core.state.applications.get(record.applicationId)!;
    const flags = Number(body.flags ?? 0);
    const user = this.core.state.users.get(record.userId)!;
    const commandName = (record.data?.name as string | undefined) ?? undefined;
    const messageType =
      record.type === InteractionType.ApplicationCommand
        ? record.data?.type === ApplicationCommandType.ChatInput
          ? MessageType.ChatInputCommand
          : MessageType.ContextMenuCommand
        : MessageType.Default;
    return this.messages.create({
      authorId: app.botUserId,
      channelId: record.channelId,
      ...(typeof body.content === 'string' ? { content: body.content } : {}),
      ...(Array.isArray(body.embeds) ? { embeds: body.embeds as Json[] } : {}),
      ...(Array.isArray(body.components) ? { components: body.components as Json[] } : {}),
      ...(body.allowed_mentions ? { allowedMentions: body.allowed_mentions as MessagePatch['allowedMentions'] } : {}),
      attachments,
      flags,
      type: messageType,
      webhookId: app.id,
      applicationId: app.id,
      interactionMetadata: {
        id: record.id,
        type: record.type,
        user: userPayload(user),
        authorizing_integration_owners: record.payload.authorizing_integration_owners,
        ...(commandName ? { name: commandName } : {}),
      },
      ...(flags & MessageFlags.Ephemeral ? { ephemeralFor: record.userId } : {}),
    });
  }

  private callbackResponse(record: InteractionRecord): Json {
    const message = record.originalMessageId ? this.core.state.messages.get(record.originalMessageId) : undefined;
    const flags = message?.data.flags ?? 0;
    return {
      interaction: {
        id: record.id,
        type: record.type,
        activity_instance_id: null,
        response_message_id: message?.data.id ?? null,
        response_message_loading: Boolean(flags & MessageFlags.Loading),
        response_message_ephemeral: Boolean(flags & MessageFlags.Ephemeral),
      },
      resource: { type: record.ack!.type, ...(message ? { message: messagePayload(message, undefined) } : {}) },
    };
  }
}
