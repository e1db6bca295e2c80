// Operators' endpoints (/metrics, the ping flow): with OPERATOR_TOKEN set they need `Authorization: Bearer <it>`;
// without it they answer only callers on this machine (development), never the network.
import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { HttpError } from './errors.js';

export function operatorOnly(token: string | undefined): RequestHandler {
  const expected = token ? Buffer.from(token) : undefined;
  return (request, response, next) => {
    if (!expected) {
      if (isLoopbackAddress(request.socket.remoteAddress)) return next();
      throw new HttpError(403, 'forbidden', 'This endpoint answers only this machine; set OPERATOR_TOKEN to reach it from elsewhere.');
    }
    const given = Buffer.from(/^Bearer +(\S+) *$/i.exec(request.header('authorization') ?? '')?.[1] ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      response.setHeader('www-authenticate', 'Bearer realm="steward-operator"');
      throw new HttpError(401, 'unauthorized', 'The operator token is required: Authorization: Bearer <OPERATOR_TOKEN>.');
    }
    next();
  };
}

function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  return /^127\./.test(address) || address === '::1' || /^::ffff:127\./.test(address);
}
