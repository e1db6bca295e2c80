// Start times as people type them ("2026-12-05 18:00", "friday 6pm", "tomorrow 7:30pm"), read in a time zone with
// chrono-node (the words) and Luxon (the zone's rules), never by hand. A wall-clock time that does not exist in the
// zone (clocks jump forward over it) or happens twice (clocks go back) gets an answer saying so, and how to fix it.
import * as chrono from 'chrono-node';
import { DateTime, IANAZone } from 'luxon';

export type ReadTime = { ok: true; at: number; zone: string } | { ok: false; problem: string };

export function isTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/**
 * Reads `text` as a moment in `zone`, relative to `now`. An explicit offset or zone in the text ("18:00 +02:00",
 * "6pm UTC") wins over `zone`.
 */
export function readStartTime(text: string, zone: string, now: number): ReadTime {
  if (!isTimeZone(zone)) return { ok: false, problem: `"${zone}" is not a time zone I know; use an IANA name such as Europe/Berlin or America/New_York.` };
  const local = DateTime.fromMillis(now, { zone });
  // chrono reads the words against the zone's wall clock, given to it as if it were UTC.
  const reference = new Date(Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second));
  const [parsed] = chrono.parse(text, { instant: reference, timezone: 0 }, { forwardDate: true });
  if (!parsed || parsed.text.trim().length < text.trim().length / 2) {
    return { ok: false, problem: `I could not read "${text}" as a time. Try "2026-12-05 18:00", "friday 6pm" or "tomorrow 7:30pm".` };
  }
  const start = parsed.start;
  if (!start.isCertain('hour')) return { ok: false, problem: `"${text}" has no time of day; add one, like "${text} 18:00".` };
  if (start.isCertain('timezoneOffset')) return { ok: true, at: start.date().getTime(), zone };
  const wall = { year: start.get('year')!, month: start.get('month')!, day: start.get('day')!, hour: start.get('hour')!, minute: start.get('minute') ?? 0 };
  const moment = DateTime.fromObject(wall, { zone });
  const shown = `${wall.year}-${pad(wall.month)}-${pad(wall.day)} ${pad(wall.hour)}:${pad(wall.minute)}`;
  // Luxon moves a time in a spring-forward gap to one that exists: then the wall clock it shows differs.
  if (moment.hour !== wall.hour || moment.minute !== wall.minute) {
    return { ok: false, problem: `${shown} does not exist in ${zone}: the clocks jump forward over it that night. Choose another time.` };
  }
  // A time that happens twice has another instant, one offset change away, that shows the same wall clock.
  const twin = [moment.minus({ hours: 1 }), moment.plus({ hours: 1 })].find((other) => other.hour === moment.hour && other.minute === moment.minute && other.day === moment.day);
  if (twin) {
    const first = DateTime.min(moment, twin)!;
    const second = DateTime.max(moment, twin)!;
    return {
      ok: false,
      problem: `${shown} happens twice in ${zone} (the clocks go back that night). Add the offset: "${shown} UTC${first.toFormat('ZZ')}" for the first, "${shown} UTC${second.toFormat('ZZ')}" for the second.`,
    };
  }
  return { ok: true, at: moment.toMillis(), zone };
}

/** "24h, 1h, 30m" → seconds, or what is wrong with it. */
export function readOffsets(text: string, parse: (part: string) => number | undefined): number[] | string {
  const parts = text.split(',').map((part) => part.trim()).filter(Boolean);
  const offsets: number[] = [];
  for (const part of parts) {
    const seconds = parse(part);
    if (seconds === undefined || seconds < 60) return `I could not read "${part}" as a reminder offset; write them like 24h, 1h, 30m.`;
    offsets.push(seconds);
  }
  return [...new Set(offsets)].sort((a, b) => b - a);
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
