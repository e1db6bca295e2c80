// Text PostgreSQL and Temporal cannot take is refused at the edge: a NUL character (PostgreSQL's wire protocol
// rejects it as "invalid message format", and a workflow carrying it would retry for ever) and unpaired UTF-16
// surrogates (not Unicode; they would be stored as replacement characters). Every JSON body, query string and
// path is checked, so no route can forget it.
import type { RequestHandler } from 'express';
import { HttpError } from './errors.js';

/** Deeper than any body Steward takes; anything deeper is refused rather than walked. */
const MAX_DEPTH = 32;

export const refuseUnstorableText: RequestHandler = (request, _response, next) => {
  const problems = [
    ...unstorable(safeDecode(request.path), 'path'),
    ...unstorable(request.query, 'query'),
    ...unstorable(request.body, 'body'),
  ];
  if (problems.length > 0) {
    const part = problems[0]!.path.split('.')[0]!;
    throw new HttpError(400, `invalid_${part}`, `The request ${part} is invalid.`, problems);
  }
  next();
};

function isStorableText(text: string): boolean {
  return !text.includes('\u0000') && text.isWellFormed();
}

function unstorable(value: unknown, path: string, depth = 0): { path: string; message: string }[] {
  if (depth > MAX_DEPTH) return [{ path, message: 'nested too deeply' }];
  if (typeof value === 'string') {
    return isStorableText(value) ? [] : [{ path, message: 'contains a NUL character or unpaired surrogates, which cannot be stored' }];
  }
  if (Array.isArray(value)) return value.flatMap((item, index) => unstorable(item, `${path}.${index}`, depth + 1));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => [
      ...unstorable(key, `${path}.${key}`, depth + 1).map((problem) => ({ ...problem, message: `its name ${problem.message}` })),
      ...unstorable(item, `${path}.${key}`, depth + 1),
    ]);
  }
  return [];
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
