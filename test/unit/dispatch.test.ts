// The dispatcher never throws at Discord: unknown or stale input and failing handlers get a short ephemeral answer.
import { Writable } from 'node:stream';
import type { Client } from '@temporalio/client';
import type { APIInteraction } from 'discord-api-types/v10';
import { createDispatcher } from '../../src/discord/dispatch.js';
import type { Command } from '../../src/discord/handlers.js';
import { createLogger } from '../../src/observability/logger.js';
import type { FlowStarter } from '../../src/temporal/start-flow.js';
import type { Database } from '../../src/db/database.js';
import { recordingResponder } from '../support/responder-recorder.js';

const logLines: string[] = [];
const logger = createLogger({
  level: 'info',
  destination: new Writable({ write: (chunk: Buffer, _encoding, done) => (logLines.push(chunk.toString()), done()) }),
});

const failing: Command = {
  data: { name: 'explode', description: 'fails after deferring' },
  async execute(_interaction, respond) {
    await respond.acknowledge({ type: 5, data: { flags: 64 } });
    throw new Error('the database is on fire');
  },
};

const dispatch = createDispatcher({
  commands: [failing],
  components: [],
  context: { temporal: {} as Client, database: {} as Database, flows: {} as FlowStarter, logger },
});

const interaction = (fields: Record<string, unknown>) => ({ id: '1', token: 't', application_id: '2', ...fields }) as unknown as APIInteraction;

test('a button whose custom_id no handler owns (an old release, another bot) is answered as expired', async () => {
  const { calls, responder } = recordingResponder();
  await dispatch(interaction({ type: 3, data: { custom_id: 'poll:vote:42', component_type: 2 } }), responder);
  expect(calls).toEqual([{ kind: 'acknowledge', body: { type: 4, data: { content: 'This button has expired.', flags: 64 } } }]);
});

test('a command removed from the registry is answered, not ignored', async () => {
  const { calls, responder } = recordingResponder();
  await dispatch(interaction({ type: 2, data: { name: 'gone', type: 1 } }), responder);
  expect(calls[0]?.body).toMatchObject({ type: 4, data: { content: 'This command is not available any more.', flags: 64 } });
});

test('a failing handler: the member gets a reference id, and the same id is in the logs', async () => {
  const { calls, responder } = recordingResponder();
  await dispatch(interaction({ type: 2, data: { name: 'explode', type: 1 } }), responder);
  expect(calls.map((call) => call.kind)).toEqual(['acknowledge', 'followUp']);
  const reference = /Reference: `([0-9a-f]{8})`/.exec(JSON.stringify(calls[1]?.body))?.[1];
  expect(reference).toBeDefined();
  const logged = logLines.map((line) => JSON.parse(line)).find((line) => line.reference === reference);
  expect(logged).toMatchObject({ msg: 'Interaction handler failed', err: { message: 'the database is on fire' } });
});

test('PING is answered with PONG', async () => {
  const { calls, responder } = recordingResponder();
  await dispatch(interaction({ type: 1 }), responder);
  expect(calls).toEqual([{ kind: 'acknowledge', body: { type: 1 } }]);
});
