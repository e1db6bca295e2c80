// A local stand-in for the volunteer platform: receives Steward's signed events at `/webhooks/steward`, checks each
// signature as the platform would, keeps one event per Idempotency-Key, and can be told to fail.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from '../../src/http/signed-webhooks.js';

export interface PlatformEventReceived {
  id: string;
  type: string;
  guild_id: string;
  data: Record<string, unknown>;
}

export interface PlatformServer {
  url: string;
  events: PlatformEventReceived[];
  /** Deliveries refused for a bad signature: should stay empty. */
  badSignatures: number;
  /** Every delivery, duplicates included. */
  deliveries: number;
  /** Answer this status instead of 200 while set. */
  failWith: number | undefined;
  close(): Promise<void>;
}

export async function startPlatformServer(secret: string): Promise<PlatformServer> {
  const state: PlatformServer = { url: '', events: [], badSignatures: 0, deliveries: 0, failWith: undefined, close: async () => undefined };
  const server = createServer(async (request, response) => {
    const body = await read(request);
    state.deliveries++;
    const verdict = verifySignature({ secret, timestamp: header(request, TIMESTAMP_HEADER), signature: header(request, SIGNATURE_HEADER), body, toleranceSeconds: 300 });
    if (!verdict.ok) {
      state.badSignatures++;
      response.writeHead(401).end(verdict.reason);
      return;
    }
    if (state.failWith) {
      response.writeHead(state.failWith).end('failing on purpose');
      return;
    }
    const event = JSON.parse(body.toString('utf8')) as PlatformEventReceived;
    if (event.id !== header(request, 'idempotency-key')) {
      response.writeHead(400).end('Idempotency-Key must be the event id');
      return;
    }
    if (!state.events.some((seen) => seen.id === event.id)) state.events.push(event);
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () => new Promise((resolve) => server.close(() => resolve()));
  return state;
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function read(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}
