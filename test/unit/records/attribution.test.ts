// Attribution: which maintainer a Discord author is, and when a recorded thing happened.
import { attributeAuthor, occurredAt, type Maintainer } from '../../../activities/records/attribution.js';
import { message } from './fixtures.js';

const maintainers: Maintainer[] = [
  { id: 'mt-ana', name: 'Ana Souza', aliases: ['ana'] },
  { id: 'mt-ben', name: 'Ben' },
  { id: 'mt-bea', name: 'Beatrice', aliases: ['Bea'] },
  { id: 'mt-bea2', name: 'Bea Lindqvist', aliases: ['bea'] },
];

test('a saved link wins over any matching name', () => {
  const links = [{ discordUserId: 'd-1', maintainerId: 'mt-ben' }];
  const attribution = attributeAuthor({ id: 'd-1', username: 'ana' }, { links, maintainers });
  expect(attribution).toEqual({ kind: 'linked', maintainerId: 'mt-ben' });
});

test('without a link, the username matches a name or alias ignoring case and spaces', () => {
  const directory = { links: [{ discordUserId: 'd-other', maintainerId: 'mt-ben' }], maintainers };
  const matched = (username: string) => attributeAuthor({ id: 'd-2', username }, directory);
  expect(matched(' ANA ')).toEqual({ kind: 'matched', maintainerId: 'mt-ana' });
  expect(matched('ben')).toEqual({ kind: 'matched', maintainerId: 'mt-ben' });
});

test('the display name matches when the username does not', () => {
  const author = { id: 'd-3', username: 'flipperfixer99', displayName: 'Ana Souza' };
  expect(attributeAuthor(author, { links: [], maintainers })).toEqual({ kind: 'matched', maintainerId: 'mt-ana' });
});

test('username and display name pointing to the same maintainer is one match', () => {
  const author = { id: 'd-4', username: 'ana', displayName: 'Ana Souza' };
  expect(attributeAuthor(author, { links: [], maintainers })).toEqual({ kind: 'matched', maintainerId: 'mt-ana' });
});

test('an ambiguous match attributes nobody and names the candidates', () => {
  expect(attributeAuthor({ id: 'd-5', username: 'Bea' }, { links: [], maintainers })).toEqual({
    kind: 'none',
    candidates: [maintainers[2], maintainers[3]],
  });
  const split = attributeAuthor({ id: 'd-6', username: 'ben', displayName: 'Ana Souza' }, { links: [], maintainers });
  expect(split).toEqual({ kind: 'none', candidates: [maintainers[0], maintainers[1]] });
});

test('no match attributes nobody, with no candidates; a partial name is no match', () => {
  expect(attributeAuthor({ id: 'd-7', username: 'an', displayName: 'Souza' }, { links: [], maintainers })).toEqual({
    kind: 'none',
    candidates: [],
  });
});

test('occurredAt is the latest source message, whatever the order', () => {
  const sources = [message(5), message(42), message(17)];
  expect(occurredAt(sources)).toBe(message(42).createdAt);
});

test('occurredAt compares instants, not strings, and ignores unreadable timestamps', () => {
  const sources = [
    { createdAt: '2025-03-01T10:00:00+02:00' },
    { createdAt: '2025-03-01T09:30:00Z' },
    { createdAt: 'soon' },
  ];
  expect(occurredAt(sources)).toBe('2025-03-01T09:30:00Z');
});

test('occurredAt of no sources is undefined', () => {
  expect(occurredAt([])).toBeUndefined();
});
