// Series occurrences keep their wall-clock time in their zone across daylight-saving changes.
import { occurrenceStart } from '../../../activities/events/recurrence.js';

// Tuesday 20 October 2026, 19:00 in Berlin (summer time, UTC+2).
const first = Date.parse('2026-10-20T17:00:00Z');

test('a weekly series stays at 19:00 Berlin time after the clocks go back', () => {
  const starts = [0, 1, 2].map((index) => new Date(occurrenceStart({ firstStartsAt: first, timeZone: 'Europe/Berlin', rule: { kind: 'weekly', everyWeeks: 1 }, index })).toISOString());
  expect(starts).toEqual(['2026-10-20T17:00:00.000Z', '2026-10-27T18:00:00.000Z', '2026-11-03T18:00:00.000Z']);
});

test('every 3 days, and monthly on the same weekday of the month', () => {
  expect(new Date(occurrenceStart({ firstStartsAt: first, timeZone: 'Europe/Berlin', rule: { kind: 'daily', everyDays: 3 }, index: 1 })).toISOString()).toBe('2026-10-23T17:00:00.000Z');
  // The 3rd Tuesday of October, then of November (the 17th) and December (the 15th).
  const monthly = [1, 2].map((index) => new Date(occurrenceStart({ firstStartsAt: first, timeZone: 'Europe/Berlin', rule: { kind: 'monthly-weekday' }, index })).toISOString());
  expect(monthly).toEqual(['2026-11-17T18:00:00.000Z', '2026-12-15T18:00:00.000Z']);
});
