// HMAC-SHA256 signatures for webhooks between Steward and another system, both ways: the signature covers the
// timestamp and the raw body (`<timestamp>.<body>`), so a captured request cannot be replayed after the window or
// altered; the comparison takes constant time. The headers follow the common `t` + `sha256=<hex>` shape.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { HttpError } from './errors.js';

export const SIGNATURE_HEADER = 'x-steward-signature';
export const TIMESTAMP_HEADER = 'x-steward-timestamp';

export function signatureOf(secret: string, timestamp: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

/** The headers that sign `body` now. */
export function signedHeaders(secret: string, body: string, now = Date.now()): Record<string, string> {
  const timestamp = String(Math.floor(now / 1000));
  return { [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: signatureOf(secret, timestamp, body) };
}

export type SignatureVerdict = { ok: true } | { ok: false; reason: string };

export function verifySignature(input: { secret: string; timestamp: string | undefined; signature: string | undefined; body: Buffer; toleranceSeconds: number; now?: number }): SignatureVerdict {
  if (!input.timestamp || !input.signature) return { ok: false, reason: `The ${TIMESTAMP_HEADER} and ${SIGNATURE_HEADER} headers are required.` };
  if (!/^\d{1,12}$/.test(input.timestamp)) return { ok: false, reason: `${TIMESTAMP_HEADER} must be Unix seconds.` };
  const age = Math.abs((input.now ?? Date.now()) / 1000 - Number(input.timestamp));
  if (age > input.toleranceSeconds) return { ok: false, reason: `The timestamp is outside the ${input.toleranceSeconds}-second window.` };
  const expected = Buffer.from(signatureOf(input.secret, input.timestamp, input.body));
  const given = Buffer.from(input.signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'The signature does not match.' };
  return { ok: true };
}

/**
 * Express middleware for a signed route mounted before JSON parsing: reads the raw body, answers 401 for a missing,
 * wrong or stale signature, and leaves the parsed JSON in `request.body` (a 400 when it is not JSON).
 */
export function signedJson(input: { secret: string | undefined; toleranceSeconds: number; limit: number }): RequestHandler {
  return (request, _response, next) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > input.limit && !failed) {
        failed = true;
        next(new HttpError(413, 'body_too_large', 'The body is too large.'));
      }
      if (!failed) chunks.push(chunk);
    });
    request.on('error', (error) => {
      if (!failed) next(error);
      failed = true;
    });
    request.on('end', () => {
      if (failed) return;
      if (!input.secret) return next(new HttpError(503, 'webhooks_disabled', 'Webhooks are off: no PLATFORM_WEBHOOK_SECRET is set.'));
      const body = Buffer.concat(chunks);
      const verdict = verifySignature({ secret: input.secret, timestamp: request.header(TIMESTAMP_HEADER), signature: request.header(SIGNATURE_HEADER), body, toleranceSeconds: input.toleranceSeconds });
      if (!verdict.ok) return next(new HttpError(401, 'invalid_signature', verdict.reason));
      try {
        request.body = JSON.parse(body.toString('utf8')) as unknown;
      } catch {
        return next(new HttpError(400, 'invalid_json', 'The body is not valid JSON.'));
      }
      next();
    });
  };
}
