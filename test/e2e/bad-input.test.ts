// Malformed but well-formed input against every HTTP entry (the ping flow, the records API, the Discord
// interactions endpoint): each gets a 4xx in the one error shape, with details, at once. None reaches PostgreSQL
// or starts a workflow that could never succeed (a NUL in a ping's text used to retry for ever).
import type { RunningSteward } from '../../src/steward.js';
import { issueApiToken } from '../../src/http/api-tokens.js';
import { createWorld, type World } from '../sandbox/world.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestSteward } from '../support/steward.js';

let world: World;
let db: TestDatabase;
let steward: RunningSteward;
let token: string;

beforeAll(async () => {
  world = await createWorld();
  db = await createTestDatabase();
  steward = await startTestSteward(db, { world });
  token = (await db.database.transaction((em) => issueApiToken(em, world.guildId, 'bad input'))).token;
});

afterAll(async () => {
  await steward?.stop();
  await world?.sandbox.close();
  await db?.drop();
});

const guild = () => `/api/v1/guilds/${world.guildId}`;
const NUL = 'a\u0000b';
const LONE_SURROGATE = 'coil \ud83d';

// Every row has its four cells (no body is `undefined`): jest would take a missing last argument for `done`.
const requests: [string, string, () => string, unknown][] = [
  ['a NUL in a ping', 'POST', () => '/api/ping', { message: NUL }],
  ['a lone surrogate in a ping', 'POST', () => '/api/ping', { message: LONE_SURROGATE }],
  ['a NUL in a record description', 'POST', () => `${guild()}/records`, { record_type: 'log_entry', description: NUL }],
  ['a lone surrogate in a record type', 'POST', () => `${guild()}/records`, { record_type: LONE_SURROGATE, description: 'x' }],
  ['the year 0', 'POST', () => `${guild()}/records`, { record_type: 'log_entry', description: 'x', occurred_at: '0000-06-01T00:00:00Z' }],
  ['a NUL in a record id', 'GET', () => `${guild()}/records/abc%00def`, undefined],
  ['a NUL in a filter', 'GET', () => `${guild()}/records?type=log%00entry`, undefined],
  ['a NUL in a page cursor', 'GET', () => `${guild()}/records?before=%00`, undefined],
  ['a NUL in a subject name', 'POST', () => `${guild()}/subjects`, { name: NUL }],
  ['a NUL in a subject id', 'DELETE', () => `${guild()}/subjects/x%00y`, undefined],
  ['a lone surrogate in an alias', 'POST', () => `${guild()}/maintainers`, { name: 'Ana', aliases: [LONE_SURROGATE] }],
  ['a NUL in a maintainer id', 'PUT', () => `${guild()}/maintainer-links/123456789012345678`, { maintainer_id: NUL }],
  ['a NUL in a record type label', 'PATCH', () => `${guild()}/settings`, {
    record_types: [{ name: 'log_entry', label: NUL, childTypes: [], childOnly: false, requiresSubject: false }],
  }],
  ['a NUL in a field name', 'POST', () => `${guild()}/subjects`, { [NUL]: 'x', name: 'Lathe' }],
];

test.each(requests)('%s gets a 400 with details, at once', async (_name, method, path, body) => {
  const response = await fetch(`${steward.httpUrl}${path()}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(5_000),
  });
  const answer = (await response.json()) as { error: { code: string; details?: { path: string; message: string }[] } };
  expect(response.status).toBe(400);
  expect(answer.error.code).toMatch(/^invalid_/);
  expect(answer.error.details?.length).toBeGreaterThan(0);
});

test('nothing malformed reached the database', async () => {
  expect(await db.query('select id from records')).toEqual([]);
  expect(await db.query('select id from subjects')).toEqual([]);
  expect(await db.query('select id from pings')).toEqual([]);
});

test.each([
  ['an array', [1, 2, 3]],
  ['a string', 'interaction'],
  ['an object that is no interaction', { hello: 'world' }],
])('a signed body that is %s gets a 400, not a 500', async (_name, payload) => {
  const response = await world.sandbox.driver.postSigned(world.app.applicationId, `${steward.httpUrl}/discord/interactions`, payload);
  expect(response.status).toBe(400);
  expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_body');
});
