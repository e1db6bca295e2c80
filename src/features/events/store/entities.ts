// Events' store: each server's defaults, members' own time zones, every event occurrence with its live counts, the
// answers (for lists, digests and stats) and the attendance once it is over. The workflow holds the truth while an
// event runs; these rows follow it.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const EventSettingsSchema = defineEntity({
  name: 'EventSettings',
  tableName: 'event_settings',
  properties: {
    guildId: p.string().length(20).primary(),
    /** The IANA zone start times are read in, unless the organiser set their own. */
    timeZone: p.string().length(64).default('UTC'),
    /** Roles that may edit or cancel any event. */
    managerRoleIds: p.json<string[]>(),
    updatedAt: p.datetime().defaultRaw('now()'),
  },
});
export type EventSettings = InferEntity<typeof EventSettingsSchema>;

export const MemberTimeZoneSchema = defineEntity({
  name: 'MemberTimeZone',
  tableName: 'member_time_zones',
  properties: {
    userId: p.string().length(20).primary(),
    timeZone: p.string().length(64),
  },
});

export const EventRecordSchema = defineEntity({
  name: 'EventRecord',
  tableName: 'events',
  indexes: [{ properties: ['guildId', 'startsAt'] }],
  properties: {
    /** `<guild>:<event>`, the workflow id without its prefix. */
    id: p.string().length(70).primary(),
    guildId: p.string().length(20),
    eventId: p.string().length(40),
    seriesId: p.string().length(40).nullable(),
    title: p.string().length(100),
    description: p.text(),
    startsAt: p.datetime(),
    durationMinutes: p.integer(),
    capacity: p.integer().nullable(),
    channelId: p.string().length(20),
    /** The card, so a reaction on it finds its event. */
    cardMessageId: p.string().length(20).nullable().index(),
    organiserId: p.string().length(20),
    timeZone: p.string().length(64),
    /** `scheduled`, `started`, `ended` or `cancelled`. */
    status: p.string().length(10),
    /** The mirrored Discord Guild Scheduled Event, when Steward may manage events. */
    scheduledEventId: p.string().length(20).nullable().index(),
    going: p.integer().default(0),
    maybe: p.integer().default(0),
    waitlisted: p.integer().default(0),
    updatedAt: p.datetime().defaultRaw('now()'),
  },
});
export type EventRecord = InferEntity<typeof EventRecordSchema>;

export const EventAttendanceSchema = defineEntity({
  name: 'EventAttendance',
  tableName: 'event_attendance',
  properties: {
    eventRecordId: p.string().length(70).primary(),
    userId: p.string().length(20).primary(),
    /** Their last answer: going, maybe, no, or waitlisted. */
    answer: p.string().length(10),
    checkedInAt: p.datetime().nullable(),
  },
});
export type EventAttendance = InferEntity<typeof EventAttendanceSchema>;
