// custom_ids: compact, within Discord's 100 characters, parsed strictly.
import { decodeCustomId, encodeCustomId } from '../../workflows/shared/custom-id.js';

test('a target survives the round trip, keys may contain colons', () => {
  const target = { flow: 'review', action: 'create', key: '123456789012345678:987654321098765432:3' };
  const customId = encodeCustomId(target);
  expect(customId).toBe('review:create:123456789012345678:987654321098765432:3');
  expect(decodeCustomId(customId)).toEqual(target);
});

test('foreign, stale or malformed ids decode to undefined instead of throwing', () => {
  for (const customId of ['', 'review', 'review:create', 'Review:create:1', 'review:create:has space', 'x'.repeat(101), 'a:b:c'.padEnd(120, 'c')]) {
    expect(decodeCustomId(customId)).toBeUndefined();
  }
});

test('encoding refuses what Discord would reject', () => {
  expect(() => encodeCustomId({ flow: 'review', action: 'create', key: 'k'.repeat(81) })).toThrow();
  expect(() => encodeCustomId({ flow: 'Review', action: 'create', key: '1' })).toThrow();
});
