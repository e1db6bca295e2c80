// A local server that speaks Q2Q's wire protocol (`POST /v1/classify/text` → `{scores, labels, ...}`), answers from
// a mode the test sets (well, down with a 503, too slow, malformed, partial, out of range, refusing) and records
// every request, so Steward's real HTTP client runs against it.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Q2qMode = 'ok' | 'down' | 'slow' | 'not-json' | 'partial' | 'out-of-range' | 'refuse';

export interface Q2qRequest {
  body: { text: string; userId: string; contextId?: string; contextType: string };
  authorization: string | undefined;
  answeredWith: Q2qMode;
}

export const Q2Q_SCORES = { confidence: 0.8, belonging: 0.7, lang_level_proxy: 0.6, job_readiness: 0.5, well_being: 0.9 };

export interface Q2qServer {
  url: string;
  requests: Q2qRequest[];
  mode: Q2qMode;
  /** Modes for the next requests, in order, before `mode` applies again. */
  script: Q2qMode[];
  /** How long `slow` waits before answering. */
  slowMs: number;
  close(): Promise<void>;
}

export async function startQ2qServer(): Promise<Q2qServer> {
  const state: Q2qServer = { url: '', requests: [], mode: 'ok', script: [], slowMs: 5_000, close: async () => undefined };
  const server = createServer(async (request, response) => {
    const body = JSON.parse((await read(request)) || '{}') as Q2qRequest['body'];
    if (request.method !== 'POST' || request.url !== '/v1/classify/text') {
      response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'Not found' }));
      return;
    }
    const mode = state.script.shift() ?? state.mode;
    state.requests.push({ body, authorization: request.headers.authorization, answeredWith: mode });
    const json = (status: number, payload: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
    switch (mode) {
      case 'ok':
        return json(200, { scores: Q2Q_SCORES, labels: ['community', 'growth'], metadata: { textLength: body.text.length, modelVersion: 'q2q-test-v1' } });
      case 'down':
        return json(503, { error: 'Service Unavailable' });
      case 'slow':
        setTimeout(() => json(200, { scores: Q2Q_SCORES }), state.slowMs).unref();
        return;
      case 'not-json':
        response.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>');
        return;
      case 'partial':
        return json(200, { scores: { confidence: 0.5, belonging: 0.5 } });
      case 'out-of-range':
        return json(200, { scores: { ...Q2Q_SCORES, well_being: 7 } });
      case 'refuse':
        return json(400, { error: 'text is required' });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () => new Promise((resolve) => server.close(() => resolve()));
  return state;
}

function read(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
