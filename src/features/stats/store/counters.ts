// Writing the adapter's counts, rolling hours up to days, and reading them back. Raw SQL where the ORM cannot say
// it: adding to counters on conflict for thousands of rows passed as one JSON parameter, the roll-up's aggregate
// upsert, and the live days joined with their active members.
import { raw } from '@mikro-orm/core';
import type { Database, EntityManager } from '../../../db/database.js';
import { ChannelHourSchema, GuildDaySchema, WHOLE_SERVER } from './entities.js';

export interface CounterRow {
  guildId: string;
  channelId: string;
  /** Epoch milliseconds at the start of the hour. */
  hour: number;
  messages: number;
  commands: number;
  joins: number;
  leaves: number;
  activeMembers: number;
}

export interface MemberDayRow {
  guildId: string;
  day: string;
  userId: string;
  messages: number;
}

/** One transaction: counters added, active members raised (never lowered), members' days added. Returns the rows. */
export async function writeStatistics(database: Database, counters: readonly CounterRow[], memberDays: readonly MemberDayRow[]): Promise<number> {
  await database.transaction(async (em) => {
    if (counters.length > 0) {
      const rows = JSON.stringify(counters.map((row) => ({ guild_id: row.guildId, channel_id: row.channelId, hour: new Date(row.hour).toISOString(), messages: row.messages, commands: row.commands, joins: row.joins, leaves: row.leaves, active_members: row.activeMembers })));
      await em.execute(
        `insert into channel_hours (guild_id, channel_id, hour, messages, commands, joins, leaves, active_members)
         select guild_id, channel_id, hour, sum(messages), sum(commands), sum(joins), sum(leaves), max(active_members)
         from jsonb_to_recordset(?::jsonb) as counted (guild_id varchar, channel_id varchar, hour timestamptz, messages int, commands int, joins int, leaves int, active_members int)
         group by guild_id, channel_id, hour
         on conflict (guild_id, channel_id, hour) do update set
           messages = channel_hours.messages + excluded.messages, commands = channel_hours.commands + excluded.commands,
           joins = channel_hours.joins + excluded.joins, leaves = channel_hours.leaves + excluded.leaves,
           active_members = greatest(channel_hours.active_members, excluded.active_members)`,
        [rows],
        'run',
      );
    }
    if (memberDays.length > 0) {
      const rows = JSON.stringify(memberDays.map((row) => ({ guild_id: row.guildId, day: row.day, user_id: row.userId, messages: row.messages })));
      await em.execute(
        `insert into member_days (guild_id, day, user_id, messages)
         select guild_id, day, user_id, messages from jsonb_to_recordset(?::jsonb) as counted (guild_id varchar, day date, user_id varchar, messages int)
         on conflict (guild_id, day, user_id) do update set messages = member_days.messages + excluded.messages`,
        [rows],
        'run',
      );
    }
  });
  return counters.length + memberDays.length;
}

/**
 * Rolls the hours of the UTC days from `from` (a date, YYYY-MM-DD) up to days, for every server: recomputed from
 * the hours each time, so running it twice, or late, gives the same days. Returns the days written.
 */
export async function rollUpDays(database: Database, from: string): Promise<number> {
  const written = await database.fork().getConnection().execute<{ guild_id: string }[]>(
    `insert into guild_days (guild_id, day, messages, commands, joins, leaves, active_members, rolled_up_at)
     select hours.guild_id, hours.day, hours.messages, hours.commands, hours.joins, hours.leaves, coalesce(active.members, 0), now()
     from (
       select guild_id, (hour at time zone 'UTC')::date as day, sum(messages) as messages, sum(commands) as commands, sum(joins) as joins, sum(leaves) as leaves
       from channel_hours where hour >= ?::date group by 1, 2
     ) as hours
     left join (select guild_id, day, count(*) as members from member_days where day >= ?::date group by 1, 2) as active using (guild_id, day)
     on conflict (guild_id, day) do update set messages = excluded.messages, commands = excluded.commands, joins = excluded.joins,
       leaves = excluded.leaves, active_members = excluded.active_members, rolled_up_at = excluded.rolled_up_at
     returning guild_id`,
    [from, from],
    'all',
  );
  return written.length;
}

/** Hours older than this many days are deleted by the roll-up: the days keep their totals. */
export const HOURS_KEPT_DAYS = 40;

export async function pruneHours(database: Database, before: Date): Promise<number> {
  return database.fork().nativeDelete(ChannelHourSchema, { hour: { $lt: before } });
}

export interface DayStats {
  day: string;
  messages: number;
  commands: number;
  joins: number;
  leaves: number;
  activeMembers: number;
}

/**
 * The server's days from `from` to `to` (inclusive, YYYY-MM-DD). Days before yesterday come from the roll-up;
 * yesterday, today and any day not rolled up yet are summed from their hours. Every day in the range is present.
 */
export async function dailyStats(em: EntityManager, guildId: string, from: string, to: string, today = new Date().toISOString().slice(0, 10)): Promise<DayStats[]> {
  const settled = previousDay(today);
  const rolled = await em.find(GuildDaySchema, { guildId, day: { $gte: from, $lt: settled, $lte: to } });
  const byDay = new Map<string, DayStats>(rolled.map((row) => [row.day, { day: row.day, messages: row.messages, commands: row.commands, joins: row.joins, leaves: row.leaves, activeMembers: row.activeMembers }]));
  let liveFrom = from;
  while (liveFrom <= to && byDay.has(liveFrom)) liveFrom = nextDay(liveFrom);
  if (liveFrom <= to) {
    const live = await em.getConnection().execute<{ day: string; messages: string; commands: string; joins: string; leaves: string; active: string | null }[]>(
      `select to_char(hours.day, 'YYYY-MM-DD') as day, messages, commands, joins, leaves, active.members as active
       from (
         select (hour at time zone 'UTC')::date as day, sum(messages) as messages, sum(commands) as commands, sum(joins) as joins, sum(leaves) as leaves
         from channel_hours where guild_id = ? and hour >= ?::date and hour < ?::date + 1 group by 1
       ) as hours
       left join (select day, count(*) as members from member_days where guild_id = ? and day >= ?::date and day <= ?::date group by 1) as active using (day)`,
      [guildId, liveFrom, to, guildId, liveFrom, to],
      'all',
    );
    for (const row of live) {
      if (byDay.has(row.day)) continue;
      byDay.set(row.day, { day: row.day, messages: Number(row.messages), commands: Number(row.commands), joins: Number(row.joins), leaves: Number(row.leaves), activeMembers: Number(row.active ?? 0) });
    }
  }
  const days: DayStats[] = [];
  for (let day = from; day <= to; day = nextDay(day)) days.push(byDay.get(day) ?? { day, messages: 0, commands: 0, joins: 0, leaves: 0, activeMembers: 0 });
  return days;
}

/** The server's busiest channels over [from, to) by messages. */
export async function busiestChannels(em: EntityManager, guildId: string, from: Date, to: Date, limit = 5): Promise<{ channelId: string; messages: number }[]> {
  const rows = await em
    .createQueryBuilder(ChannelHourSchema)
    .select(['channelId', raw('sum(messages) as messages')])
    .where({ guildId, channelId: { $ne: WHOLE_SERVER }, hour: { $gte: from, $lt: to } })
    .groupBy('channelId')
    .having('sum(messages) > 0')
    .orderBy([{ [raw('sum(messages)')]: 'desc' }])
    .limit(limit)
    .execute<{ channelId: string; messages: string }[]>('all');
  return rows.map((row) => ({ channelId: row.channelId, messages: Number(row.messages) }));
}

export function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

export function previousDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}
