// Server statistics: counters per server, channel and hour (channel '0' holds what belongs to the server as a
// whole: joins, leaves, active members), each member's messages per day (who was active, and how much), and the
// days rolled up from the hours by the daily schedule.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** The channel id of a server-wide row. */
export const WHOLE_SERVER = '0';

export const ChannelHourSchema = defineEntity({
  name: 'ChannelHour',
  tableName: 'channel_hours',
  indexes: [{ properties: ['guildId', 'hour'] }],
  properties: {
    guildId: p.string().length(20).primary(),
    channelId: p.string().length(20).primary(),
    hour: p.datetime().primary(),
    messages: p.integer().default(0),
    commands: p.integer().default(0),
    joins: p.integer().default(0),
    leaves: p.integer().default(0),
    /** Distinct members who wrote in the hour (server-wide rows only). */
    activeMembers: p.integer().default(0),
  },
});
export type ChannelHour = InferEntity<typeof ChannelHourSchema>;

export const MemberDaySchema = defineEntity({
  name: 'MemberDay',
  tableName: 'member_days',
  properties: {
    guildId: p.string().length(20).primary(),
    day: p.string().columnType('date').primary(),
    userId: p.string().length(20).primary(),
    messages: p.integer().default(0),
  },
});

export const GuildDaySchema = defineEntity({
  name: 'GuildDay',
  tableName: 'guild_days',
  properties: {
    guildId: p.string().length(20).primary(),
    day: p.string().columnType('date').primary(),
    messages: p.integer().default(0),
    commands: p.integer().default(0),
    joins: p.integer().default(0),
    leaves: p.integer().default(0),
    activeMembers: p.integer().default(0),
    rolledUpAt: p.datetime().defaultRaw('now()'),
  },
});
export type GuildDay = InferEntity<typeof GuildDaySchema>;
