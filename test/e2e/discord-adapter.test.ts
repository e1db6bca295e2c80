// Steward's Discord adapter end to end: the real discord.js client inside Steward, the local Discord sandbox,
// the real Temporal dev server and PostgreSQL. A member runs /ping, sees the ephemeral answer, clicks its button.
import { loadConfig } from '../../src/config/index.js';
import { FeatureSet } from '../../src/features/feature-set.js';
import { stewardFeatures } from '../../src/features/index.js';
import type { RunningSteward } from '../../src/steward.js';
import { createWorld, type World } from '../sandbox/world.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestSteward } from '../support/steward.js';

interface SeenMessage {
  id: string;
  content: string;
  flags?: number;
  components?: { components: { custom_id: string; label: string }[] }[];
}

let world: World;
let db: TestDatabase;
let steward: RunningSteward;

beforeAll(async () => {
  world = await createWorld();
  db = await createTestDatabase();
  steward = await startTestSteward(db, { world });
});

afterAll(async () => {
  await steward?.stop();
  await world.sandbox.close();
  await db.drop();
});

const pingRows = () => db.query<{ id: string; message: string }>('select id, message from pings order by created_at');

async function answerSeenBy(handle: { responses(): unknown[] }, pattern: RegExp): Promise<SeenMessage> {
  return world.sandbox.driver.waitFor(() => {
    const seen = handle.responses() as SeenMessage[];
    return seen.find((message) => pattern.test(message.content));
  }, 15_000);
}

test('start-up registers exactly the command registry in the configured server', () => {
  const names = world.sandbox.driver.registeredCommands(world.app.applicationId, world.guildId).map((command) => command.name);
  const registry = new FeatureSet(stewardFeatures, loadConfig({}, 'all', stewardFeatures).features).commands();
  expect(names).toEqual(registry.map((command) => command.data.name));
  expect(names.slice(0, 3)).toEqual(['ping', 'Add to records', 'approvals']);
  expect(names).toContain('config');
});

test('/ping is deferred ephemerally, runs the workflow, and the member sees the edited answer', async () => {
  const handle = world.sandbox.driver.runSlashCommand(world.memberId, world.guildId, world.channelId, 'ping', { message: 'hello' });
  const ack = await handle.waitForAck();
  expect(ack).toMatchObject({ type: 5 });

  const answer = await answerSeenBy(handle, /^Pong: "hello"/);
  expect(answer.flags! & 64).toBe(64);
  expect(answer.components?.[0]?.components[0]).toMatchObject({ label: 'Ping again', custom_id: 'ping:again:hello' });
  expect(world.sandbox.driver.channelMessages(world.channelId)).toEqual([]);
  expect(await pingRows()).toEqual([{ id: `ping:discord:${handle.id}`, message: 'hello' }]);
});

test('clicking the button acknowledges with a deferred update and edits the same message', async () => {
  const command = world.sandbox.driver.runSlashCommand(world.memberId, world.guildId, world.channelId, 'ping', { message: 'again' });
  const card = await answerSeenBy(command, /^Pong: "again"/);

  const click = world.sandbox.driver.clickButton(world.memberId, world.channelId, card.id, 'ping:again:again');
  expect(await click.waitForAck()).toMatchObject({ type: 6 });
  await world.sandbox.driver.waitFor(() => {
    const edited = world.sandbox.driver.ephemeralMessagesFor(world.memberId).find((message) => message.id === card.id) as
      | SeenMessage
      | undefined;
    return edited?.content.includes(`ping:discord:${click.id}`);
  }, 15_000);
  expect((await pingRows()).filter((row) => row.id === `ping:discord:${click.id}`)).toHaveLength(1);
});

test('the HTTP interactions endpoint: Discord checks PONG and a bad signature, then deliveries are answered', async () => {
  const endpoint = `${steward.httpUrl}/discord/interactions`;
  await world.sandbox.driver.setInteractionsEndpoint(world.app.applicationId, endpoint);
  try {
    const unsigned = await fetch(endpoint, { method: 'POST', body: '{"type":1}', headers: { 'content-type': 'application/json' } });
    expect(unsigned.status).toBe(401);
    expect(((await unsigned.json()) as { error: { code: string } }).error.code).toBe('invalid_signature');

    const handle = world.sandbox.driver.runSlashCommand(world.memberId, world.guildId, world.channelId, 'ping', { message: 'over-http' });
    expect(await handle.waitForAck()).toMatchObject({ type: 5 });
    await answerSeenBy(handle, /^Pong: "over-http"/);
  } finally {
    await world.sandbox.driver.setInteractionsEndpoint(world.app.applicationId, null);
  }
});
