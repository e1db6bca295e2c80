// Request bodies as discord.js sends them: JSON, or multipart/form-data with `payload_json` and `files[n]`.
import type { IncomingMessage } from 'node:http';
import { ApiError } from '../errors.js';
import type { UploadedFile } from './router.js';

const MAX_BODY_BYTES = 25 * 1024 * 1024;

export interface ParsedBody {
  body: unknown;
  files: UploadedFile[];
}

async function readAll(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, 40005, 'Request entity too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const invalidJson = (): ApiError => new ApiError(400, 50109, 'The request body contains invalid JSON.');

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw invalidJson();
  }
}

export async function parseBody(request: IncomingMessage): Promise<ParsedBody> {
  const raw = await readAll(request);
  const type = request.headers['content-type'] ?? '';
  if (raw.length === 0) return { body: undefined, files: [] };
  if (type.startsWith('multipart/form-data')) {
    // The platform's fetch Request already implements a multipart parser.
    const form = await new Request('http://sandbox/', { method: 'POST', headers: { 'content-type': type }, body: raw }).formData();
    const files: UploadedFile[] = [];
    let body: unknown = {};
    for (const [field, value] of form) {
      if (typeof value === 'string') {
        if (field === 'payload_json') body = parseJson(value);
        continue;
      }
      files.push({ field, filename: value.name, contentType: value.type || 'application/octet-stream', data: Buffer.from(await value.arrayBuffer()) });
    }
    return { body, files };
  }
  if (type.startsWith('application/json')) return { body: parseJson(raw.toString('utf8')), files: [] };
  throw new ApiError(400, 50035, 'Invalid Form Body', { _errors: [{ code: 'CONTENT_TYPE_INVALID', message: `Expected "Content-Type" header to be one of {'application/json', 'multipart/form-data'}.` }] });
}
