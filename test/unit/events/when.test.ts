// Start times as people type them, read in a time zone, including the nights the clocks change.
import { readStartTime } from '../../../src/features/events/when.js';

// Wednesday 2 December 2026, 12:00 in New York.
const now = Date.parse('2026-12-02T17:00:00Z');

test.each([
  ['2026-12-05 18:00', 'America/New_York', '2026-12-05T23:00:00.000Z'],
  ['friday 6pm', 'America/New_York', '2026-12-04T23:00:00.000Z'],
  ['tomorrow 7:30pm', 'Europe/Berlin', '2026-12-03T18:30:00.000Z'],
  ['2026-12-05 18:00 +02:00', 'America/New_York', '2026-12-05T16:00:00.000Z'],
])('"%s" in %s is %s', (text, zone, iso) => {
  const read = readStartTime(text, zone, now);
  expect(read).toEqual({ ok: true, at: Date.parse(iso), zone });
});

test('a time skipped by the spring-forward change is refused, saying why', () => {
  const read = readStartTime('2027-03-14 02:30', 'America/New_York', now);
  expect(read).toEqual({ ok: false, problem: '2027-03-14 02:30 does not exist in America/New_York: the clocks jump forward over it that night. Choose another time.' });
});

test('a time that happens twice when the clocks go back asks for the offset, which then settles it', () => {
  const read = readStartTime('2027-11-07 01:30', 'America/New_York', now);
  expect(read).toEqual({
    ok: false,
    problem: '2027-11-07 01:30 happens twice in America/New_York (the clocks go back that night). Add the offset: "2027-11-07 01:30 UTC-04:00" for the first, "2027-11-07 01:30 UTC-05:00" for the second.',
  });
  expect(readStartTime("2027-11-07 01:30 UTC-05:00", 'America/New_York', now)).toEqual({ ok: true, at: Date.parse('2027-11-07T06:30:00Z'), zone: 'America/New_York' });
});

test('unreadable text, a date without a time, and an unknown zone get answers', () => {
  expect(readStartTime('whenever', 'UTC', now)).toEqual({ ok: false, problem: 'I could not read "whenever" as a time. Try "2026-12-05 18:00", "friday 6pm" or "tomorrow 7:30pm".' });
  expect(readStartTime('friday', 'UTC', now)).toEqual({ ok: false, problem: '"friday" has no time of day; add one, like "friday 18:00".' });
  expect(readStartTime('friday 6pm', 'Mars/Olympus', now)).toMatchObject({ ok: false, problem: expect.stringContaining('not a time zone') });
});
