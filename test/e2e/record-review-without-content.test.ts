// An application that has not switched on the Message Content intent reads guild messages empty, over REST as over
// the gateway. The review then works from the one message Discord does give it (the command's resolved target),
// says so on every card, and never fetches what it could not read.
import { randomUUID } from 'node:crypto';
import type { RunningSteward } from '../../src/steward.js';
import { createWorld, type World } from '../sandbox/world.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startAnthropicServer, type ScriptedLlmServer } from '../support/llm-servers/index.js';
import type { Card } from '../support/review-cards.js';
import { startTestSteward } from '../support/steward.js';

let world: World;
let db: TestDatabase;
let steward: RunningSteward;
let anthropic: ScriptedLlmServer;

beforeAll(async () => {
  world = await createWorld({ privilegedIntents: false });
  db = await createTestDatabase();
  anthropic = await startAnthropicServer({ apiKey: 'no-content-key' });
  steward = await startTestSteward(db, {
    world,
    env: { ANTHROPIC_API_KEY: 'no-content-key', ANTHROPIC_BASE_URL: anthropic.baseUrl, LLM_PROVIDERS: 'anthropic' },
  });
});

afterAll(async () => {
  await steward?.stop();
  await world.sandbox.close();
  await anthropic.close();
  await db.drop();
});

test('the sandbox blanks content on REST reads for an app without the intent', async () => {
  const { driver } = world.sandbox;
  const message = driver.sendMessage(world.memberId, world.channelId, { content: 'secret plans' });
  const response = await fetch(`${world.sandbox.url}/api/v10/channels/${world.channelId}/messages/${String(message.id)}`, {
    headers: { authorization: `Bot ${world.app.token}` },
  });
  expect(((await response.json()) as { content: string }).content).toBe('');
});

test('the review reads the resolved target only, and every card says so', async () => {
  const { driver } = world.sandbox;
  const channelId = driver.createChannel(world.guildId, { name: `shop-${randomUUID().slice(0, 6)}` }).id;
  driver.sendMessage(world.memberId, channelId, { content: 'the coil on machine 3 smells burnt' });
  const target = String(driver.sendMessage(world.memberId, channelId, { content: 'replaced the flipper coil on machine 3' }).id);
  anthropic.script({
    kind: 'tool',
    input: { suggestions: [{ record_type: 'log_entry', description: 'Replaced the flipper coil', source_message_ids: [target], author_id: world.memberId }] },
  });
  const restBefore = driver.restLog().length;
  const command = driver.runMessageCommand(world.memberId, world.guildId, channelId, 'Add to records', target);
  const card = await driver.waitFor(
    () => (command.responses() as unknown as Card[]).find((message) => message.embeds?.some((embed) => /^Item 1 of 1/.test(embed.title))),
    20_000,
  );
  expect(card.embeds?.[0]?.footer?.text).toContain('Only this message could be read: the Message Content intent is off');
  const sent = JSON.stringify(anthropic.lastRequest.body);
  expect(sent).toContain('replaced the flipper coil on machine 3');
  expect(sent).not.toContain('smells burnt');
  // Nothing was fetched from the channel: the target came with the interaction, the rest would have read empty.
  const reads = driver.restLog().slice(restBefore).filter((entry) => entry.method === 'GET' && entry.route.startsWith('/channels/'));
  expect(reads).toEqual([]);
});
