// The all-in-one process (`npm start`: embedded Temporal dev server, worker, adapters) SIGKILLed mid-review, as an
// out-of-memory kill or a power cut would: its dev server dies with it, the next start comes up healthy on the same
// data, and the member finishes the review. A port taken by another program is a clear error, never an attach.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { freePort } from '../../src/net.js';
import { createWorld, type World } from '../sandbox/world.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startAnthropicServer, type ScriptedLlmServer } from '../support/llm-servers/index.js';
import { button, cardTitled, type Card } from '../support/review-cards.js';
import { eventually, spawnSteward, type StewardProcess } from '../support/steward-process.js';
import { discordEnv } from '../support/steward.js';

let world: World;
let db: TestDatabase;
let anthropic: ScriptedLlmServer;
let dataDir: string;
const processes: StewardProcess[] = [];

beforeAll(async () => {
  world = await createWorld();
  db = await createTestDatabase();
  anthropic = await startAnthropicServer({ apiKey: 'npm-start-key' });
  dataDir = mkdtempSync(join(tmpdir(), 'steward-npm-start-'));
});

afterAll(async () => {
  for (const steward of processes) steward.child.kill('SIGKILL');
  await world.sandbox.close();
  await anthropic.close();
  await db.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function allInOneEnv(ports: { dev: number; ui: number }): Promise<Record<string, string>> {
  return {
    DATA_DIR: dataDir,
    TEMPORAL_DEV_PORT: String(ports.dev),
    TEMPORAL_UI_PORT: String(ports.ui),
    TEMPORAL_METRICS_PORT: String(await freePort()),
    ...(process.env.STEWARD_TEST_TEMPORAL_CLI ? { TEMPORAL_CLI_PATH: process.env.STEWARD_TEST_TEMPORAL_CLI } : {}),
    DATABASE_URL: db.url,
    HTTP_PORT: '0',
    ...discordEnv(world),
    ANTHROPIC_API_KEY: 'npm-start-key',
    ANTHROPIC_BASE_URL: anthropic.baseUrl,
    LLM_PROVIDERS: 'anthropic',
  };
}

async function startAllInOne(env: Record<string, string>): Promise<StewardProcess> {
  const steward = spawnSteward('all', env);
  processes.push(steward);
  await steward.waitForLog((line) => line.msg === 'Steward is running', 90_000);
  return steward;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('killed whole mid-review: no server outlives it, the next start is healthy on the same data, the review finishes', async () => {
  const ports = { dev: await freePort(), ui: await freePort() };
  const env = await allInOneEnv(ports);
  const first = await startAllInOne(env);

  const { driver } = world.sandbox;
  const channelId = driver.createChannel(world.guildId, { name: `start-${randomUUID().slice(0, 6)}` }).id;
  const fault = String(driver.sendMessage(world.memberId, channelId, { content: 'flipper coil on machine 2 is dead' }).id);
  const fixed = String(driver.sendMessage(world.memberId, channelId, { content: 'fixed it' }).id);
  anthropic.script({
    kind: 'tool',
    input: {
      suggestions: [
        { record_type: 'log_entry', description: 'Coil found dead', source_message_ids: [fault], author_id: world.memberId },
        { record_type: 'log_entry', description: 'Coil replaced', source_message_ids: [fixed], author_id: world.memberId },
      ],
    },
  });
  const command = driver.runMessageCommand(world.memberId, world.guildId, channelId, 'Add to records', fixed);
  const card = await driver.waitFor(() => (command.responses() as unknown as Card[]).find((message) => message.embeds?.length), 30_000);
  driver.clickButton(world.memberId, channelId, card.id, button(card, 'Create'));
  const second = await cardTitled(world, card.id, /^Item 2 of 2/);

  const serverPid = Number(readFileSync(join(dataDir, 'temporal.db.server-pid'), 'utf8'));
  expect(alive(serverPid)).toBe(true);
  first.child.kill('SIGKILL');
  expect(await first.exited).toBe('SIGKILL');
  // The kernel ends the dev server with its parent: nothing keeps the port for the next start.
  await eventually(async () => (alive(serverPid) ? undefined : true), 5_000, 'the orphaned dev server to end');

  const second_ = await startAllInOne(env);
  expect(readFileSync(join(dataDir, 'temporal.db.server-pid'), 'utf8')).not.toBe(String(serverPid));
  const health = await fetch(`${second_.logs.find((line) => line.msg === 'HTTP API listening')?.url as string}/readyz`);
  expect(health.status).toBe(200);
  driver.clickButton(world.memberId, channelId, card.id, button(second, 'Create'));
  const summary = await cardTitled(world, card.id, /^Review finished$/, 30_000);
  expect(summary.embeds?.[0]?.description).toMatch(/^Created 2, skipped 0/);
  const records = await db.query<{ description: string }>(
    `select r.description from records r join record_sources s on s.record_id = r.id where s.message_id = any($1) order by r.created_at`,
    [[fault, fixed]],
  );
  expect(records.map((record) => record.description)).toEqual(['Coil found dead', 'Coil replaced']);
}, 180_000);

test('a port taken by another program stops the start with a clear error', async () => {
  const squatter: Server = createServer();
  const port = await freePort();
  await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
  try {
    const env = await allInOneEnv({ dev: port, ui: await freePort() });
    const steward = spawnSteward('all', { ...env, DATA_DIR: mkdtempSync(join(tmpdir(), 'steward-squat-')) });
    processes.push(steward);
    const failure = await steward.waitForLog((line) => line.msg === 'Steward failed to start', 60_000);
    expect(JSON.stringify(failure)).toContain(`Port ${port} on 127.0.0.1 is taken by another program`);
    expect(await steward.exited).toBe(1);
  } finally {
    squatter.close();
  }
}, 90_000);
