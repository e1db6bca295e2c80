// Capacity, the waitlist in order of asking, seat offers that pass on, and lowering the capacity.
import { Roster } from '../../../workflows/events/roster.js';

test('past capacity, Going joins the waitlist in order; a freed seat is offered to the first, who claims it', () => {
  const roster = new Roster(2);
  expect(['a', 'b', 'c', 'd'].map((user) => roster.answer(user, 'going'))).toEqual(['going', 'going', 'waitlisted', 'waitlisted']);
  expect(roster.answer('a', 'no')).toBe('no');
  const offer = roster.offerNext(1_000);
  expect(offer).toEqual({ userId: 'c', expiresAt: 1_000 });
  // The held seat is not given to anyone else meanwhile.
  expect(roster.answer('e', 'going')).toBe('waitlisted');
  expect(roster.claim('d')).toBe(false);
  expect(roster.claim('c')).toBe(true);
  expect(roster.snapshot()).toEqual({ capacity: 2, going: ['b', 'c'], maybe: [], no: ['a'], waitlist: ['d', 'e'], waitlistOrder: ['', ''], offer: null });
});

test('an unclaimed offer passes to the next member waiting', () => {
  const roster = new Roster(1);
  roster.answer('a', 'going');
  roster.answer('b', 'going');
  roster.answer('c', 'going');
  roster.answer('a', 'maybe');
  roster.offerNext(1_000);
  expect(roster.expireOffer(999)).toBeUndefined();
  expect(roster.expireOffer(1_000)).toBe('b');
  expect(roster.offerNext(2_000)).toEqual({ userId: 'c', expiresAt: 2_000 });
  expect(roster.answerOf('b')).toBe('maybe');
});

test('the latest answer wins, and repeating one changes nothing', () => {
  const roster = new Roster(null);
  expect(roster.answer('a', 'maybe')).toBe('maybe');
  expect(roster.answer('a', 'maybe')).toBe('unchanged');
  expect(roster.answer('a', 'going')).toBe('going');
  expect(roster.snapshot().maybe).toEqual([]);
});

test('lowering the capacity moves the latest to join to the front of the waitlist', () => {
  const roster = new Roster(4);
  for (const user of ['a', 'b', 'c', 'd', 'e']) roster.answer(user, 'going');
  expect(roster.setCapacity(2)).toEqual(['c', 'd']);
  expect(roster.snapshot()).toMatchObject({ going: ['a', 'b'], waitlist: ['c', 'd', 'e'] });
});

test('answers that arrive out of order still queue in the order of their clicks', () => {
  const roster = new Roster(1);
  roster.answer('a', 'going', '1577550000000000005');
  roster.answer('c', 'going', '1577550000000000030');
  roster.answer('b', 'going', '1577550000000000020');
  roster.answer('d', 'going', '1577550000000000100');
  expect(roster.snapshot().waitlist).toEqual(['b', 'c', 'd']);
});
