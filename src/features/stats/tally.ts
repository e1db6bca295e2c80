// The adapter's statistics, counted in memory and written in batches: no workflow and no statement per message.
// Counters are kept per server, channel and hour; the members who wrote are kept per server and hour (for the
// hour's active members) and per day (for each member's messages). A crash loses what was counted since the last
// write (two seconds); an hour's active members counted by a process that restarted within the hour are the
// larger of the two counts, not their union.
import type { Database } from '../../db/database.js';
import { writeStatistics, type CounterRow, type MemberDayRow } from './store/counters.js';
import { WHOLE_SERVER } from './store/entities.js';

export type CounterName = 'messages' | 'commands' | 'joins' | 'leaves';

const HOUR_MS = 3_600_000;

export class StatsTally {
  private counters = new Map<string, CounterRow>();
  private memberDays = new Map<string, MemberDayRow>();
  /** `guild|hour` → the members who wrote in that hour, kept until the hour is over and written. */
  private readonly activeByHour = new Map<string, { guildId: string; hour: number; members: Set<string>; written: number }>();

  count(name: CounterName, guildId: string, channelId: string | null, at: number): void {
    const hour = at - (at % HOUR_MS);
    const channel = channelId ?? WHOLE_SERVER;
    const key = `${guildId}|${channel}|${hour}`;
    let row = this.counters.get(key);
    if (!row) this.counters.set(key, (row = { guildId, channelId: channel, hour, messages: 0, commands: 0, joins: 0, leaves: 0, activeMembers: 0 }));
    row[name]++;
  }

  /** A member's message: counted in its channel, and the member marked active in the hour and the day. */
  message(guildId: string, channelId: string, userId: string, at: number): void {
    this.count('messages', guildId, channelId, at);
    const hour = at - (at % HOUR_MS);
    const hourKey = `${guildId}|${hour}`;
    let active = this.activeByHour.get(hourKey);
    if (!active) this.activeByHour.set(hourKey, (active = { guildId, hour, members: new Set(), written: 0 }));
    active.members.add(userId);
    const day = new Date(at).toISOString().slice(0, 10);
    const dayKey = `${guildId}|${day}|${userId}`;
    const memberDay = this.memberDays.get(dayKey);
    if (memberDay) memberDay.messages++;
    else this.memberDays.set(dayKey, { guildId, day, userId, messages: 1 });
  }

  /** Rows waiting to be written. */
  get waiting(): number {
    return this.counters.size + this.memberDays.size;
  }

  /** Writes what was counted since the last write; returns the rows written. A failed write is kept for the next. */
  async flush(database: Database, now = Date.now()): Promise<number> {
    const counters = this.counters;
    const memberDays = this.memberDays;
    this.counters = new Map();
    this.memberDays = new Map();
    const activeRows: CounterRow[] = [];
    for (const [key, active] of this.activeByHour) {
      if (active.members.size > active.written) {
        activeRows.push({ guildId: active.guildId, channelId: WHOLE_SERVER, hour: active.hour, messages: 0, commands: 0, joins: 0, leaves: 0, activeMembers: active.members.size });
      }
      if (active.hour + HOUR_MS < now) this.activeByHour.delete(key);
    }
    if (counters.size === 0 && memberDays.size === 0 && activeRows.length === 0) return 0;
    try {
      const written = await writeStatistics(database, [...counters.values(), ...activeRows], [...memberDays.values()]);
      for (const row of activeRows) {
        const active = this.activeByHour.get(`${row.guildId}|${row.hour}`);
        if (active) active.written = Math.max(active.written, row.activeMembers);
      }
      return written;
    } catch (error) {
      for (const [key, row] of counters) {
        const later = this.counters.get(key);
        if (!later) this.counters.set(key, row);
        else for (const name of ['messages', 'commands', 'joins', 'leaves'] as const) later[name] += row[name];
      }
      for (const [key, row] of memberDays) {
        const later = this.memberDays.get(key);
        if (later) later.messages += row.messages;
        else this.memberDays.set(key, row);
      }
      throw error;
    }
  }
}
