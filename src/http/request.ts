// Request parts other than the body (query, path) checked with zod, and store failures turned into HTTP ones,
// all in the error shape of ../errors.ts.
import type { ErrorRequestHandler } from 'express';
import type { z } from 'zod';
import { StoreError, type FieldIssue } from '../db/store-error.js';
import { HttpError } from './errors.js';

type RequestPart = 'body' | 'query' | 'path';

/** Like parseBody, for the query string or path parameters. */
export function parseRequestPart<T extends z.ZodType>(
  part: Exclude<RequestPart, 'body'>,
  schema: T,
  value: unknown,
): z.output<T> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  throw invalid(
    part,
    result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
  );
}

const storeStatus = { invalid: 400, not_found: 404, conflict: 409 } as const;

/**
 * The store names input fields in camelCase; the API's are snake_case. A GET has no body, so a bad value there
 * came from the query string.
 */
export const storeErrors: ErrorRequestHandler = (error, request, _response, next) => {
  if (!(error instanceof StoreError)) return next(error);
  if (error.kind === 'invalid') {
    return next(invalid(request.method === 'GET' ? 'query' : 'body', error.issues.map(toDetail)));
  }
  next(new HttpError(storeStatus[error.kind], error.code, error.message));
};

function invalid(part: RequestPart, details: { path: string; message: string }[]): HttpError {
  return new HttpError(400, `invalid_${part}`, `The request ${part} is invalid.`, details);
}

function toDetail({ field, message }: FieldIssue): { path: string; message: string } {
  return { path: field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`), message };
}
