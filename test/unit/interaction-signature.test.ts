// Discord's Ed25519 signature over timestamp + body, checked with node:crypto.
import { generateKeyPairSync, sign } from 'node:crypto';
import { isValidSignature, publicKeyFromHex } from '../../src/discord/http-endpoint.js';

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const rawPublicKeyHex = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
const key = publicKeyFromHex(rawPublicKeyHex);
const body = Buffer.from('{"type":1}');
const now = 1_800_000_000_000;
const timestamp = String(now / 1000);
const signatureOf = (data: Buffer) => sign(null, data, privateKey).toString('hex');

test('a genuine delivery verifies', () => {
  expect(isValidSignature(key, body, signatureOf(Buffer.concat([Buffer.from(timestamp), body])), timestamp, now)).toBe(true);
});

test('a changed body, a changed timestamp, garbage or a stale delivery does not', () => {
  const signature = signatureOf(Buffer.concat([Buffer.from(timestamp), body]));
  expect(isValidSignature(key, Buffer.from('{"type":2}'), signature, timestamp, now)).toBe(false);
  expect(isValidSignature(key, body, signature, String(now / 1000 + 1), now)).toBe(false);
  expect(isValidSignature(key, body, 'zz', timestamp, now)).toBe(false);
  expect(isValidSignature(key, body, signature, timestamp, now + 301_000)).toBe(false);
});
