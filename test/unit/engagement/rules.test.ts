// Volunteer engagement's pure rules: VIS levels and points, milestone crossings, and webhook signatures.
import { signatureOf, signedHeaders, verifySignature } from '../../../src/http/signed-webhooks.js';
import { MAX_CELEBRATIONS_PER_UPDATE, crossedThresholds } from '../../../workflows/engagement/milestones.js';
import { addPoints, levelOf, nextLevel } from '../../../workflows/engagement/vis.js';

test('VIS levels follow the published bands, and points stop at 100', () => {
  expect([0, 25, 26, 50, 51, 75, 76, 100].map(levelOf)).toEqual(['emerging', 'emerging', 'contributing', 'contributing', 'high_impact', 'high_impact', 'exceptional', 'exceptional']);
  expect(addPoints(90, 50)).toBe(100);
  expect(nextLevel(20)).toEqual({ level: 'contributing', at: 26, missing: 6 });
  expect(nextLevel(76)).toBeUndefined();
});

test('a jump crosses every threshold between the last value and the new one, and only those', () => {
  expect(crossedThresholds('hours', 190, 410)).toEqual([200, 300, 400]);
  expect(crossedThresholds('hours', 200, 299)).toEqual([]);
  expect(crossedThresholds('hours', 199.5, 200)).toEqual([200]);
  expect(crossedThresholds('sroi', 2.7, 4.1)).toEqual([3, 4]);
  expect(crossedThresholds('volunteers', 38, 40)).toEqual([40]);
  expect(crossedThresholds('volunteers', 40, 38)).toEqual([]);
  expect(crossedThresholds('hours', 0, 50)).toEqual([]);
  // A unit mistake or a backfill celebrates only the highest few, not thousands.
  expect(crossedThresholds('hours', 0, 1_000_000)).toHaveLength(MAX_CELEBRATIONS_PER_UPDATE);
  expect(crossedThresholds('hours', 0, 1_000_000).at(-1)).toBe(1_000_000);
});

test('a signature covers the timestamp and the body; stale, altered and foreign ones are refused', () => {
  const secret = 'a-secret-of-at-least-thirty-two-characters';
  const body = '{"hours":410}';
  const now = 1_800_000_000_000;
  const headers = signedHeaders(secret, body, now);
  const check = (overrides: Partial<Parameters<typeof verifySignature>[0]>) =>
    verifySignature({ secret, timestamp: headers['x-steward-timestamp'], signature: headers['x-steward-signature'], body: Buffer.from(body), toleranceSeconds: 300, now, ...overrides });
  expect(check({})).toEqual({ ok: true });
  expect(headers['x-steward-signature']).toBe(signatureOf(secret, String(now / 1000), body));
  expect(check({ body: Buffer.from('{"hours":999}') })).toEqual({ ok: false, reason: 'The signature does not match.' });
  expect(check({ secret: 'another-secret-of-at-least-thirty-two-chars' }).ok).toBe(false);
  expect(check({ now: now + 301_000 })).toEqual({ ok: false, reason: 'The timestamp is outside the 300-second window.' });
  expect(check({ signature: undefined }).ok).toBe(false);
  expect(check({ timestamp: 'yesterday' }).ok).toBe(false);
  expect(check({ signature: 'sha256=00' }).ok).toBe(false);
});
