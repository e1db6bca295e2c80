// One JSON error shape for every HTTP failure: { error: { code, message, details?, requestId } }.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { z } from 'zod';
import type { Logger } from '../observability/logger.js';
import { dependencyOutage } from '../outage.js';

/** What a caller is told to wait before trying again while a dependency is out. */
const OUTAGE_RETRY_AFTER_SECONDS = 5;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** Parses a request part with a zod schema, or throws a 400 that lists every problem with its path. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  throw new HttpError(
    400,
    'invalid_body',
    'The request body is invalid.',
    result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
  );
}

export const notFound: RequestHandler = (request) => {
  throw new HttpError(404, 'not_found', `No route for ${request.method} ${request.path}.`);
};

/**
 * express' own errors (bad JSON, too large) carry a status and a type; an outage of the database or Temporal is a
 * 503 with Retry-After (the caller's retry will pass); anything else is a 500 and is logged.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, request, response, _next) => {
    const requestId = response.locals.requestId as string | undefined;
    const outage = dependencyOutage(error);
    if (outage) {
      logger.warn({ err: error, requestId, path: request.path, outage }, 'A dependency is out; the caller is asked to retry');
      response.status(503).set('Retry-After', String(OUTAGE_RETRY_AFTER_SECONDS));
      response.json({ error: { code: 'unavailable', message: `The ${outage === 'database' ? 'database' : 'workflow service'} is unreachable for now; retry after ${OUTAGE_RETRY_AFTER_SECONDS} seconds.`, requestId } });
      return;
    }
    const known = toHttpError(error);
    if (!known) logger.error({ err: error, requestId, path: request.path }, 'Unhandled HTTP error');
    const { status, code, message, details } = known ?? new HttpError(500, 'internal', 'Something went wrong.');
    response.status(status).json({ error: { code, message, ...(details === undefined ? {} : { details }), requestId } });
  };
}

function toHttpError(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  const candidate = error as { status?: number; type?: string; message?: string };
  if (candidate.type === 'entity.parse.failed') return new HttpError(400, 'invalid_json', 'The body is not valid JSON.');
  if (candidate.type === 'entity.too.large') return new HttpError(413, 'body_too_large', 'The body is too large.');
  if (typeof candidate.status === 'number' && candidate.status >= 400 && candidate.status < 500) {
    return new HttpError(candidate.status, candidate.type ?? 'bad_request', candidate.message ?? 'Bad request.');
  }
  return undefined;
}
