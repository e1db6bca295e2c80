// When a series' occurrences fall, with rrule (a kept recurrence library) over the wall clock of the series' time
// zone, so "every Tuesday 19:00 in Berlin" stays 19:00 across daylight-saving changes; Luxon turns each wall-clock
// time back into an instant. Monthly series repeat on the first occurrence's weekday of the month (the 2nd Tuesday;
// the last one when it was the 5th).
import { DateTime } from 'luxon';
import rrule from 'rrule';
import type { RecurrenceRule } from '../../workflows/events/messages.js';

const { RRule } = rrule;
const WEEKDAYS = [RRule.MO, RRule.TU, RRule.WE, RRule.TH, RRule.FR, RRule.SA, RRule.SU];

export function occurrenceStart(input: { firstStartsAt: number; timeZone: string; rule: RecurrenceRule; index: number }): number {
  const first = DateTime.fromMillis(input.firstStartsAt, { zone: input.timeZone });
  // rrule works in UTC: the zone's wall clock is given to it as if it were UTC ("floating" time).
  const dtstart = new Date(Date.UTC(first.year, first.month - 1, first.day, first.hour, first.minute));
  const options =
    input.rule.kind === 'daily'
      ? { freq: RRule.DAILY, interval: input.rule.everyDays }
      : input.rule.kind === 'weekly'
        ? { freq: RRule.WEEKLY, interval: input.rule.everyWeeks }
        : { freq: RRule.MONTHLY, byweekday: [WEEKDAYS[first.weekday - 1]!.nth(first.day > 28 ? -1 : Math.ceil(first.day / 7))] };
  const occurrences = new RRule({ ...options, dtstart, count: input.index + 1 }).all();
  const wall = occurrences[input.index];
  if (!wall) throw new Error(`The series has no occurrence ${input.index + 1}`);
  return DateTime.fromObject(
    { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate(), hour: wall.getUTCHours(), minute: wall.getUTCMinutes() },
    { zone: input.timeZone },
  ).toMillis();
}
