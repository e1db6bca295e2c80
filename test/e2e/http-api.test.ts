// The HTTP adapter, in-process through the composition root, against the real Temporal and PostgreSQL servers.
import type { RunningSteward } from '../../src/steward.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import type { FeatureServices } from '../../src/features/feature.js';
import { pingRoutes } from '../../src/features/ping/http.js';
import { createHttpApp } from '../../src/http/app.js';
import { operatorOnly } from '../../src/http/operator.js';
import { listen } from '../../src/http/server.js';
import { createLogger } from '../../src/observability/logger.js';
import { Metrics } from '../../src/observability/metrics.js';
import { startTestSteward } from '../support/steward.js';

let db: TestDatabase;
let steward: RunningSteward;
let url: string;

beforeAll(async () => {
  db = await createTestDatabase();
  steward = await startTestSteward(db, { env: { HTTP_BODY_LIMIT: '2kb' } });
  url = steward.httpUrl ?? '';
});

afterAll(async () => {
  await steward?.stop();
  await db.drop();
});

interface PingAnswer {
  workflowId: string;
  message: string;
  attempts: number;
}

interface ErrorAnswer {
  error: { code: string; message: string; details: { path: string; message: string }[]; requestId: string };
}

const json = async <T>(response: Response) => (await response.json()) as T;

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

test('liveness and readiness', async () => {
  expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' });
  const ready = await fetch(`${url}/readyz`);
  expect(ready.status).toBe(200);
  expect(await ready.json()).toEqual({ status: 'ready', checks: { temporal: 'ok', database: 'ok' } });
});

test('POST /api/ping runs the workflow and answers with its result', async () => {
  const response = await post('/api/ping', JSON.stringify({ message: 'hello' }));
  expect(response.status).toBe(200);
  const body = await json<PingAnswer>(response);
  expect(body).toMatchObject({ message: 'hello', attempts: 1 });
  expect(body.workflowId).toMatch(/^ping:[0-9a-f-]{36}$/);
  expect(await db.query('select message from pings where id = $1', [body.workflowId])).toEqual([{ message: 'hello' }]);
});

test('the same Idempotency-Key twice gives the first answer and writes one row', async () => {
  const headers = { 'idempotency-key': `order-${Date.now()}` };
  const [first, second] = await Promise.all([
    post('/api/ping', JSON.stringify({ message: 'once' }), headers).then((r) => json<PingAnswer>(r)),
    post('/api/ping', JSON.stringify({ message: 'once' }), headers).then((r) => json<PingAnswer>(r)),
  ]);
  expect(second).toEqual(first);
  expect(await db.query('select attempts from pings where id = $1', [first.workflowId])).toEqual([{ attempts: 1 }]);
});

test('bad input gets a 4xx in one JSON shape, with details', async () => {
  const invalid = await post('/api/ping', JSON.stringify({ message: '', holdMs: -1, extra: true }));
  expect(invalid.status).toBe(400);
  const { error } = await json<ErrorAnswer>(invalid);
  expect(error).toMatchObject({ code: 'invalid_body', message: 'The request body is invalid.' });
  expect(error.details.map((detail) => detail.path).sort()).toEqual(['', 'holdMs', 'message']);
  expect(error.requestId).toEqual(invalid.headers.get('x-request-id'));

  const notJson = await post('/api/ping', '{"message":');
  expect(notJson.status).toBe(400);
  expect((await json<ErrorAnswer>(notJson)).error.code).toBe('invalid_json');

  const tooLarge = await post('/api/ping', JSON.stringify({ message: 'x'.repeat(3_000) }));
  expect(tooLarge.status).toBe(413);
  expect((await json<ErrorAnswer>(tooLarge)).error.code).toBe('body_too_large');

  const badKey = await post('/api/ping', JSON.stringify({ message: 'hi' }), { 'idempotency-key': 'no spaces please' });
  expect(badKey.status).toBe(400);

  const unknown = await fetch(`${url}/api/nothing-here`);
  expect(unknown.status).toBe(404);
  expect((await json<ErrorAnswer>(unknown)).error).toMatchObject({ code: 'not_found', message: 'No route for GET /api/nothing-here.' });
});

test('/metrics has process, HTTP and Temporal worker metrics', async () => {
  const text = await (await fetch(`${url}/metrics`)).text();
  expect(text).toMatch(/^process_cpu_user_seconds_total /m);
  expect(text).toMatch(/^steward_http_request_duration_seconds_count\{method="POST",route="\/api\/ping",status="200"\} [1-9]/m);
  expect(text).toMatch(/^steward_workflows_started_total\{flow="ping"\} [1-9]/m);
  expect(text).toMatch(/^steward_temporal_metrics_up 1$/m);
  expect(text).toMatch(/^temporal_workflow_completed\{.*\} [1-9]/m);
});

test('with OPERATOR_TOKEN set, /metrics and the ping flow need it', async () => {
  const logger = createLogger({ level: 'silent' });
  const guard = operatorOnly('operator-token-0123456789');
  const app = createHttpApp({
    logger,
    metrics: new Metrics(),
    bodyLimit: '2kb',
    operatorOnly: guard,
    routers: [pingRoutes({ operatorOnly: guard } as FeatureServices)],
  });
  const server = await listen(app, '127.0.0.1', 0);
  try {
    const ping = (headers: Record<string, string>) =>
      fetch(`${server.url}/api/ping`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    expect((await ping({})).status).toBe(401);
    expect((await ping({ authorization: 'Bearer wrong-token-0123456789x' })).status).toBe(401);
    const bearer = { authorization: 'Bearer operator-token-0123456789' };
    expect((await fetch(`${server.url}/metrics`, { headers: bearer })).status).toBe(200);
    // Past the guard, the body is checked as usual.
    expect((await ping(bearer)).status).toBe(400);
  } finally {
    await server.close();
  }
});
