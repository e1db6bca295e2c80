// A database outage while a member waits: the deferred interaction runs again once PostgreSQL is back (the member
// sees the answer, not "something went wrong"); an outage longer than the dispatcher's patience ends in Steward's
// own words. The HTTP API answers the same outage with a 503 and Retry-After. Real PostgreSQL behind a TCP proxy
// that cuts every connection, as the chaos suite does.
import { Writable } from 'node:stream';
import type { Client } from '@temporalio/client';
import type { APIInteraction } from 'discord-api-types/v10';
import express from 'express';
import { startPostgresProxy, type PostgresProxy } from '../../bench/chaos/postgres-proxy.js';
import { Database } from '../../src/db/database.js';
import { knownDirectChannels } from '../../src/discord/direct-channels.js';
import { createDispatcher } from '../../src/discord/dispatch.js';
import type { Command } from '../../src/discord/handlers.js';
import { stewardEntities } from '../../src/features/index.js';
import { errorHandler } from '../../src/http/errors.js';
import { createLogger } from '../../src/observability/logger.js';
import type { FlowStarter } from '../../src/temporal/start-flow.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { recordingResponder } from '../support/responder-recorder.js';

let testDatabase: TestDatabase;
let proxy: PostgresProxy;
let database: Database;
const logLines: Record<string, unknown>[] = [];
const logger = createLogger({
  level: 'info',
  destination: new Writable({ write: (chunk: Buffer, _encoding, done) => (logLines.push(JSON.parse(chunk.toString())), done()) }),
});

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  proxy = await startPostgresProxy();
  database = await Database.connect({ url: proxy.urlFor(testDatabase.url), poolSize: 2, entities: stewardEntities, statementTimeoutMs: 2_000 });
});

afterAll(async () => {
  await database.close();
  await proxy.close();
  await testDatabase.drop();
});

/** A command that defers, then reads the database: the shape of every handler that looks something up. */
const lookup: Command = {
  data: { name: 'lookup', description: 'reads the database after deferring' },
  async execute(_interaction, respond, context) {
    await respond.acknowledge({ type: 5, data: { flags: 64 } });
    const known = await knownDirectChannels(context.database.fork(), ['1']);
    await respond.editOriginal({ content: `Known: ${known.size}` });
  },
};

function dispatcher(outagePatienceMs: number) {
  return createDispatcher({
    commands: [lookup],
    components: [],
    context: { temporal: {} as Client, database, flows: {} as FlowStarter, logger },
    outagePatienceMs,
  });
}

const interaction = (id: string) => ({ id, token: 't', application_id: '2', type: 2, data: { name: 'lookup', type: 1 } }) as unknown as APIInteraction;

test('a cut shorter than the patience: deferred once, run again after the outage, answered', async () => {
  const { calls, responder } = recordingResponder();
  const cut = proxy.cut(4_000);
  const cutBefore = proxy.connectionsCut;
  await dispatcher(60_000)(interaction('outage-short'), responder);
  await cut;

  expect(calls).toEqual([
    { kind: 'acknowledge', body: { type: 5, data: { flags: 64 } } },
    { kind: 'editOriginal', body: { content: 'Known: 0' } },
  ]);
  // The outage happened and was waited out: connections were refused and the dispatcher logged its retries.
  expect(proxy.connectionsCut).toBeGreaterThan(cutBefore);
  const retries = logLines.filter((line) => line.interactionId === 'outage-short' && line.msg === 'A dependency is out; the interaction waits and runs again');
  expect(retries.length).toBeGreaterThanOrEqual(1);
  expect(retries[0]).toMatchObject({ outage: 'database' });
}, 30_000);

test('an outage longer than the patience: the member is told in Steward\'s words, with a reference', async () => {
  const { calls, responder } = recordingResponder();
  const cut = proxy.cut(6_000);
  await dispatcher(2_500)(interaction('outage-long'), responder);
  await cut;

  expect(calls.map((call) => call.kind)).toEqual(['acknowledge', 'followUp']);
  expect(JSON.stringify(calls[1]!.body)).toMatch(/Steward cannot reach its database right now\. Please try again in a minute\. Reference: `[0-9a-f]{8}`/);
  expect(logLines.find((line) => line.interactionId === 'outage-long' && line.msg === 'Interaction handler failed')).toMatchObject({ outage: 'database' });
}, 30_000);

test('the HTTP API answers a database outage with 503 and Retry-After, not a 500', async () => {
  const app = express();
  app.get('/lookup', async (_request, response) => {
    response.json({ known: (await knownDirectChannels(database.fork(), ['1'])).size });
  });
  app.use(errorHandler(logger));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/lookup`;
  try {
    const cut = proxy.cut(3_000);
    const during = await fetch(url);
    expect(during.status).toBe(503);
    expect(during.headers.get('retry-after')).toBe('5');
    expect(await during.json()).toMatchObject({ error: { code: 'unavailable' } });
    await cut;
    const after = await fetch(url);
    expect(after.status).toBe(200);
    expect(await after.json()).toEqual({ known: 0 });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}, 30_000);
