// Events through the ORM: settings and time zones, the event rows the workflow keeps current, and attendance.
import type { EntityManager } from '../../../db/database.js';
import type { EventInput, EventState } from '../../../../workflows/events/messages.js';
import { EventAttendanceSchema, EventRecordSchema, EventSettingsSchema, MemberTimeZoneSchema, type EventRecord } from './entities.js';

export interface EventDefaults {
  timeZone: string;
  managerRoleIds: string[];
}

export async function eventDefaults(em: EntityManager, guildId: string): Promise<EventDefaults> {
  const saved = await em.findOne(EventSettingsSchema, { guildId });
  return { timeZone: saved?.timeZone ?? 'UTC', managerRoleIds: saved?.managerRoleIds ?? [] };
}

export async function saveEventDefaults(em: EntityManager, guildId: string, defaults: EventDefaults): Promise<EventDefaults> {
  await em.upsert(EventSettingsSchema, { guildId, ...defaults, updatedAt: new Date() }, { disableIdentityMap: true });
  return eventDefaults(em, guildId);
}

export async function memberTimeZone(em: EntityManager, userId: string): Promise<string | undefined> {
  return (await em.findOne(MemberTimeZoneSchema, { userId }))?.timeZone;
}

export async function saveMemberTimeZone(em: EntityManager, userId: string, timeZone: string): Promise<void> {
  await em.upsert(MemberTimeZoneSchema, { userId, timeZone }, { disableIdentityMap: true });
}

/** The event's row as the workflow sees it now; idempotent (an upsert by the event's id). */
export async function saveEvent(em: EntityManager, input: EventInput, state: EventState, scheduledEventId: string | null): Promise<void> {
  const { details, roster } = state;
  await em.upsert(
    EventRecordSchema,
    {
      id: `${input.guildId}:${input.eventId}`,
      guildId: input.guildId,
      eventId: input.eventId,
      seriesId: input.seriesId ?? null,
      title: details.title,
      description: details.description,
      startsAt: new Date(details.startsAt),
      durationMinutes: details.durationMinutes,
      capacity: details.capacity,
      channelId: details.channelId,
      cardMessageId: state.cardMessageId,
      organiserId: input.organiserId,
      timeZone: details.timeZone,
      status: state.status,
      scheduledEventId,
      going: roster.going.length,
      maybe: roster.maybe.length,
      waitlisted: roster.waitlist.length + (roster.offer ? 1 : 0),
      updatedAt: new Date(),
    },
    { disableIdentityMap: true },
  );
}

/** Who answered what, and who checked in, once the event is over (replaces any earlier write for it). */
export async function saveAttendance(em: EntityManager, eventRecordId: string, state: EventState): Promise<void> {
  await em.nativeDelete(EventAttendanceSchema, { eventRecordId });
  const rows = [
    ...state.roster.going.map((userId) => ({ userId, answer: 'going' })),
    ...state.roster.maybe.map((userId) => ({ userId, answer: 'maybe' })),
    ...state.roster.no.map((userId) => ({ userId, answer: 'no' })),
    ...state.roster.waitlist.map((userId) => ({ userId, answer: 'waitlisted' })),
  ];
  for (const row of rows) {
    em.create(EventAttendanceSchema, { eventRecordId, ...row, checkedInAt: state.checkedIn.includes(row.userId) ? new Date() : null });
  }
  await em.flush();
}

export async function upcomingEvents(em: EntityManager, guildId: string, after: Date, limit = 25): Promise<EventRecord[]> {
  return em.find(EventRecordSchema, { guildId, status: { $in: ['scheduled', 'started'] }, startsAt: { $gte: new Date(after.getTime() - 24 * 3_600_000) } }, { orderBy: { startsAt: 'asc' }, limit });
}

export async function eventsForCalendar(em: EntityManager, guildId: string, since: Date): Promise<EventRecord[]> {
  return em.find(EventRecordSchema, { guildId, startsAt: { $gte: since } }, { orderBy: { startsAt: 'asc' }, limit: 500 });
}

export async function findEvent(em: EntityManager, guildId: string, eventId: string): Promise<EventRecord | null> {
  return em.findOne(EventRecordSchema, { id: `${guildId}:${eventId}` });
}

export async function eventByCard(em: EntityManager, cardMessageId: string): Promise<EventRecord | null> {
  return em.findOne(EventRecordSchema, { cardMessageId });
}

export async function eventByScheduledEvent(em: EntityManager, scheduledEventId: string): Promise<EventRecord | null> {
  return em.findOne(EventRecordSchema, { scheduledEventId });
}
