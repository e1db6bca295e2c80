// The events feature's I/O: the announcement card (with its answer reactions), reminders by DM and in the channel,
// seat offers, notices to members, Discord's own scheduled event as a mirror, and the event's rows in PostgreSQL.
// Every post carries a nonce derived from what it is about, so a retried activity posts once.
import type { REST } from '@discordjs/rest';
import { ApplicationFailure, log } from '@temporalio/activity';
import { GuildScheduledEventEntityType, GuildScheduledEventPrivacyLevel, GuildScheduledEventStatus, Routes, type APIMessage } from 'discord-api-types/v10';
import type { Database } from '../../src/db/database.js';
import { saveAttendance, saveEvent } from '../../src/features/events/store/events.js';
import { button, buttonRow, ButtonStyle, type CardMessage } from '../../workflows/shared/discord-kit.js';
import { eventCustomIds } from '../../workflows/events/custom-id.js';
import { REACTION_ANSWERS, type EventDetails, type EventInput, type EventState, type RecurrenceRule } from '../../workflows/events/messages.js';
import { occurrenceStart } from './recurrence.js';
import { discordCall, isDiscordRefusal } from '../shared/discord-call.js';
import { nonceFor } from '../shared/nonce.js';
import { DirectChannels } from '../shared/direct-channels.js';

export interface EventsDependencies {
  database: Database;
  discord?: REST;
}

const MISSING_PERMISSIONS = 50013;

export interface DirectMessage {
  userId: string;
  /** What makes this message unique (the reminder, the offer): its nonce comes from it. */
  key: string;
  content: string;
  /** Buttons under it: a Claim for an offer, a Leave under a reminder. */
  buttons?: ('claim' | 'leave')[];
}

export function createEventsActivities({ database, discord }: EventsDependencies) {
  const rest = (): REST => {
    if (!discord) throw ApplicationFailure.nonRetryable('Discord is not configured on this worker', 'DiscordNotConfigured');
    return discord;
  };

  const directChannels = new DirectChannels(database, rest);

  /** One DM; a member who does not accept DMs (50007) is reported, not a failure. */
  const sendDirect = async (guildId: string, eventId: string, message: DirectMessage): Promise<'sent' | 'refused'> => {
    const key = { guildId, eventId };
    const components = message.buttons?.length
      ? [buttonRow(message.buttons.map((kind) => (kind === 'claim' ? button('Claim my seat', eventCustomIds.encode('claim', key), ButtonStyle.Success) : button('Leave', eventCustomIds.encode('leave', key), ButtonStyle.Secondary))))]
      : [];
    return directChannels.send(message.userId, {
      content: message.content,
      components,
      allowed_mentions: { parse: [] },
      nonce: nonceFor(`${message.key}:${message.userId}`),
      enforce_nonce: true,
    });
  };

  /** DMs in order; who could not be reached is returned. Their DM channels are looked up together first. */
  const sendAll = async (guildId: string, eventId: string, messages: DirectMessage[]): Promise<string[]> => {
    await directChannels.of([...new Set(messages.map((message) => message.userId))]);
    const refused: string[] = [];
    for (const message of messages) if ((await sendDirect(guildId, eventId, message)) === 'refused') refused.push(message.userId);
    return refused;
  };

  return {
    /** The card, once per event (its nonce). */
    async postEventCard(input: { guildId: string; eventId: string; channelId: string; card: CardMessage }): Promise<string> {
      const message = (await discordCall(() =>
        rest().post(Routes.channelMessages(input.channelId), {
          body: { ...input.card, allowed_mentions: { parse: [] }, nonce: nonceFor(`event:${input.guildId}:${input.eventId}`), enforce_nonce: true },
        }),
      )) as APIMessage;
      return message.id;
    },

    /** The three answer reactions under the card, for members who prefer them (adding one twice is one). */
    async addAnswerReactions(input: { channelId: string; messageId: string }): Promise<void> {
      for (const emoji of Object.keys(REACTION_ANSWERS)) {
        await discordCall(() => rest().put(Routes.channelMessageOwnReaction(input.channelId, input.messageId, encodeURIComponent(emoji))));
      }
    },

    async editEventCard(input: { channelId: string; messageId: string; card: CardMessage }): Promise<void> {
      await discordCall(() => rest().patch(Routes.channelMessage(input.channelId, input.messageId), { body: input.card }));
    },

    /** A batch of DMs (reminders, notices); returns who could not be reached, which is logged, not retried. */
    async sendDirectMessages(input: { guildId: string; eventId: string; messages: DirectMessage[] }): Promise<{ sent: number; refused: string[] }> {
      const refused = await sendAll(input.guildId, input.eventId, input.messages);
      return { sent: input.messages.length - refused.length, refused };
    },

    /**
     * The DM channels of members who answered, opened while the event is quiet, so a reminder costs Discord one
     * request per DM, not two, when many fall due together.
     */
    async openDirectChannels(input: { userIds: string[] }): Promise<void> {
      await directChannels.of(input.userIds, { skipRefused: true });
    },

    /**
     * One reminder: the attendees' DMs first, then the channel's post. One activity (run as a local activity by the
     * workflow), so a reminder costs one step of the workflow, not three: reminders stay on time when many fall due.
     */
    async deliverReminder(input: { guildId: string; eventId: string; messages: DirectMessage[]; channelPost?: { channelId: string; key: string; content: string; replyTo: string | null } }) {
      const refused = await sendAll(input.guildId, input.eventId, input.messages);
      const post = input.channelPost;
      if (post) {
        await discordCall(() =>
          rest().post(Routes.channelMessages(post.channelId), {
            body: {
              content: post.content,
              allowed_mentions: { parse: [] },
              ...(post.replyTo ? { message_reference: { message_id: post.replyTo, fail_if_not_exists: false } } : {}),
              nonce: nonceFor(post.key),
              enforce_nonce: true,
            },
          }),
        );
      }
      return { refused };
    },

    /** The reminder in the event's channel, once per reminder; mentions only those named (the "starting now" ping). */
    async postChannelReminder(input: { channelId: string; key: string; content: string; mention: string[]; replyTo: string | null }): Promise<void> {
      await discordCall(() =>
        rest().post(Routes.channelMessages(input.channelId), {
          body: {
            content: input.content,
            allowed_mentions: { users: input.mention.slice(0, 100) },
            ...(input.replyTo ? { message_reference: { message_id: input.replyTo, fail_if_not_exists: false } } : {}),
            nonce: nonceFor(input.key),
            enforce_nonce: true,
          },
        }),
      );
    },

    /**
     * Discord's own event (the server's Events tab), created, changed or cancelled with Steward's. A mirror is a
     * courtesy: without Manage Events, or when Discord refuses it (an event whose start has passed while Discord
     * was out of reach cannot be scheduled), the event goes on without one, never held up by it.
     */
    async mirrorScheduledEvent(input: { guildId: string; scheduledEventId: string | null; details: EventDetails; state: 'scheduled' | 'cancelled' | 'ended'; link: string }): Promise<string | null> {
      const { details } = input;
      if (input.state === 'scheduled' && details.startsAt <= Date.now()) return input.scheduledEventId;
      try {
        if (input.state !== 'scheduled') {
          if (!input.scheduledEventId) return null;
          // Discord deletes a scheduled event that never started, and completes one that is active.
          await rest().delete(Routes.guildScheduledEvent(input.guildId, input.scheduledEventId)).catch((error: { code?: number }) => {
            if (error.code !== 10070) throw error;
          });
          return input.scheduledEventId;
        }
        const body = {
          name: details.title.slice(0, 100),
          description: details.description.slice(0, 1000),
          privacy_level: GuildScheduledEventPrivacyLevel.GuildOnly,
          entity_type: GuildScheduledEventEntityType.External,
          entity_metadata: { location: input.link.slice(0, 100) },
          scheduled_start_time: new Date(details.startsAt).toISOString(),
          scheduled_end_time: new Date(details.startsAt + details.durationMinutes * 60_000).toISOString(),
        };
        if (input.scheduledEventId) {
          await rest().patch(Routes.guildScheduledEvent(input.guildId, input.scheduledEventId), { body: { ...body, status: GuildScheduledEventStatus.Scheduled } });
          return input.scheduledEventId;
        }
        const created = (await rest().post(Routes.guildScheduledEvents(input.guildId), { body })) as { id: string };
        return created.id;
      } catch (error) {
        if ((error as { code?: number }).code === MISSING_PERMISSIONS) return null;
        if (isDiscordRefusal(error)) {
          log.warn('Discord refused the event mirror; the event goes on without it', { code: error.code, message: error.message });
          return input.scheduledEventId;
        }
        throw error;
      }
    },

    /** When occurrence `index` of a series starts (rrule over the wall clock of its zone, Luxon back to an instant). */
    async occurrenceStart(input: { firstStartsAt: number; timeZone: string; rule: RecurrenceRule; index: number }): Promise<number> {
      return occurrenceStart(input);
    },

    async saveEvent(input: { event: EventInput; state: EventState; scheduledEventId: string | null }): Promise<void> {
      await database.transaction((em) => saveEvent(em, input.event, input.state, input.scheduledEventId));
    },

    async saveAttendance(input: { event: EventInput; state: EventState }): Promise<void> {
      await database.transaction((em) => saveAttendance(em, `${input.event.guildId}:${input.event.eventId}`, input.state));
    },
  };
}

export type EventsActivities = ReturnType<typeof createEventsActivities>;

