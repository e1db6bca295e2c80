// The events HTTP API under /api/v1/guilds/:guildId: upcoming events with their counts, and an iCalendar feed
// (ical-generator) of the server's events, cancelled ones marked so, that calendar apps can subscribe to.
import { Router } from 'express';
import ical, { ICalEventStatus } from 'ical-generator';
import type { Database } from '../../../db/database.js';
import { GUILD_PATH, callerOf } from '../../../http/guild-scope.js';
import { eventsForCalendar, upcomingEvents } from '../store/events.js';
import type { EventRecord } from '../store/entities.js';

/** How far back the feed reaches, so a calendar keeps recent events. */
const FEED_HISTORY_DAYS = 30;

export function eventsApiRoutes({ database }: { database: Database }): Router {
  const router = Router();

  router.get(`${GUILD_PATH}/events`, async (_request, response) => {
    const events = await upcomingEvents(database.fork(), callerOf(response).guildId, new Date(), 100);
    response.json({ events: events.map(eventJson) });
  });

  router.get(`${GUILD_PATH}/events.ics`, async (_request, response) => {
    const guildId = callerOf(response).guildId;
    const events = await eventsForCalendar(database.fork(), guildId, new Date(Date.now() - FEED_HISTORY_DAYS * 86_400_000));
    const calendar = ical({ name: 'Steward events', prodId: { company: 'Steward', product: 'events' } });
    for (const event of events) {
      const link = event.cardMessageId ? `https://discord.com/channels/${guildId}/${event.channelId}/${event.cardMessageId}` : undefined;
      calendar.createEvent({
        id: `${event.id}@steward`,
        start: event.startsAt,
        end: new Date(event.startsAt.getTime() + event.durationMinutes * 60_000),
        summary: event.title,
        description: event.description,
        timezone: event.timeZone,
        status: event.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
        ...(link ? { url: link } : {}),
      });
    }
    response.type('text/calendar; charset=utf-8').send(calendar.toString());
  });

  return router;
}

function eventJson(event: EventRecord) {
  return {
    event_id: event.eventId,
    title: event.title,
    starts_at: event.startsAt.toISOString(),
    duration_minutes: event.durationMinutes,
    capacity: event.capacity ?? null,
    going: event.going,
    maybe: event.maybe,
    waitlisted: event.waitlisted,
    status: event.status,
    channel_id: event.channelId,
    card_message_id: event.cardMessageId ?? null,
  };
}
