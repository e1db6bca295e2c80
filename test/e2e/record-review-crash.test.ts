// A record review survives its worker dying: SIGKILLed between two cards, and SIGKILLed after a record's write
// committed but before the worker could report it. A new worker resumes the same review, its retry of the write
// finds the committed record, and no record is written twice. And SIGKILLed once the first card was on Discord but
// before it was reported: the edit is repeated, and the member's click waits for it rather than being overwritten.
import { randomUUID } from 'node:crypto';
import type { RestLogEntry } from '../../src/sandbox/core.js';
import type { RunningSteward } from '../../src/steward.js';
import { createWorld, type World } from '../sandbox/world.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startAnthropicServer, type ScriptedLlmServer } from '../support/llm-servers/index.js';
import { eventually, type StewardProcess } from '../support/steward-process.js';
import { button, cardTitled, type Card } from '../support/review-cards.js';
import { discordEnv, startTestSteward } from '../support/steward.js';
import { testTemporalAddress, uniqueTaskQueue } from '../support/temporal.js';
import { WorkerProcesses } from '../support/worker-processes.js';

let world: World;
let db: TestDatabase;
let adapters: RunningSteward;
let anthropic: ScriptedLlmServer;
let sharedEnv: Record<string, string>;
const workers = new WorkerProcesses(() => sharedEnv);

beforeAll(async () => {
  world = await createWorld();
  db = await createTestDatabase();
  anthropic = await startAnthropicServer({ apiKey: 'crash-test-key' });
  sharedEnv = {
    TEMPORAL_ADDRESS: testTemporalAddress(),
    TEMPORAL_TASK_QUEUE: uniqueTaskQueue('review-crash'),
    DATABASE_URL: db.url,
    ...discordEnv(world),
    ANTHROPIC_API_KEY: 'crash-test-key',
    ANTHROPIC_BASE_URL: anthropic.baseUrl,
    LLM_PROVIDERS: 'anthropic',
  };
  adapters = await startTestSteward(db, { world, env: sharedEnv, role: 'adapters' });
});

afterAll(async () => {
  workers.killAll();
  await adapters?.stop();
  await world.sandbox.close();
  await anthropic.close();
  await db.drop();
});

const startWorker = () => workers.start();

async function kill(worker: StewardProcess) {
  expect(await workers.kill(worker)).toBe('SIGKILL');
}

test('killed between two cards and after a commit it never reported: the review resumes and every record exists once', async () => {
  const { driver } = world.sandbox;
  const channelId = driver.createChannel(world.guildId, { name: `crash-${randomUUID().slice(0, 6)}` }).id;
  const ids = ['compressor on machine 1 makes noise', 'cleaned the filter on machine 2', 'replaced the belt on machine 1'].map(
    (content) => String(driver.sendMessage(world.memberId, channelId, { content }).id),
  );
  anthropic.script({
    kind: 'tool',
    input: {
      suggestions: ids.map((id, index) => ({
        record_type: 'log_entry',
        description: `entry ${index + 1}`,
        source_message_ids: [id],
        author_id: world.memberId,
      })),
    },
  });
  let worker = await startWorker();
  const command = driver.runMessageCommand(world.memberId, world.guildId, channelId, 'Add to records', ids[2] as string);
  const cardId = (
    await driver.waitFor(() => (command.responses() as unknown as Card[]).find((card) => card.embeds?.[0]?.title.startsWith('Item 1 of 3')), 30_000)
  ).id;
  const first = await cardTitled(world, cardId, /^Item 1 of 3/, 45_000);
  driver.clickButton(world.memberId, channelId, cardId, button(first, 'Create'));
  const second = await cardTitled(world, cardId, /^Item 2 of 3/, 45_000);

  // Between two cards: the worker dies with no task in flight; a new one picks the review up.
  await kill(worker);
  worker = await startWorker();
  driver.clickButton(world.memberId, channelId, cardId, button(second, 'Create'));
  const third = await cardTitled(world, cardId, /^Item 3 of 3/, 45_000);

  // After the commit, before the report: the commit is held open by a deferred trigger; the worker is frozen while
  // PostgreSQL finishes it, and killed once the row is there, so the write's result never reaches Temporal.
  await db.query(`create function steward_test_slow_commit() returns trigger language plpgsql as $$
                  begin perform pg_sleep(1.5); return null; end $$`);
  await db.query(`create constraint trigger slow_commit after insert on records deferrable initially deferred
                  for each row execute function steward_test_slow_commit()`);
  driver.clickButton(world.memberId, channelId, cardId, button(third, 'Create'));
  await eventually(async () => {
    const sleeping = await db.query(`select 1 from pg_stat_activity where wait_event = 'PgSleep' and query ilike 'commit%'`);
    return sleeping.length > 0 ? true : undefined;
  }, 20_000, 'the third write to reach its commit');
  worker.child.kill('SIGSTOP');
  const committed = await eventually(async () => {
    const [row] = await db.query<{ id: string }>(
      'select r.id from records r join record_sources s on s.record_id = r.id where s.message_id = $1',
      [ids[2]],
    );
    return row;
  }, 10_000, 'the third record to be committed');
  await kill(worker);
  await db.query('drop trigger slow_commit on records');
  worker = await startWorker();
  // The witness: the new worker ran the write again, and it found the committed record instead of inserting.
  const found = await worker.waitForLog((line) => line.msg === 'Record found from an earlier attempt', 60_000);
  expect(found.recordId).toBe(committed.id);

  await cardTitled(world, cardId, /^Review finished$/, 45_000);
  const rows = await db.query<{ description: string }>(
    `select r.description from records r join record_sources s on s.record_id = r.id
     where s.message_id = any($1) order by r.description`,
    [ids],
  );
  expect(rows.map((row) => row.description)).toEqual(['entry 1', 'entry 2', 'entry 3']);
  worker.child.kill('SIGTERM');
  expect(await worker.exited).toBe(0);
}, 150_000);

test('killed after the first card reached Discord but before it was reported: the click waits for the repeated edit, and its card stays', async () => {
  const { driver } = world.sandbox;
  const channelId = driver.createChannel(world.guildId, { name: `crash-${randomUUID().slice(0, 6)}` }).id;
  const messageId = String(driver.sendMessage(world.memberId, channelId, { content: 'the fan on machine 3 rattles' }).id);
  anthropic.script({
    kind: 'tool',
    input: { suggestions: [{ record_type: 'log_entry', description: 'fan rattles', source_message_ids: [messageId], author_id: world.memberId }] },
  });
  const worker = await startWorker();
  // Every card edit in order; the worker dies the moment Discord has answered the first card's edit.
  const cardEdits: string[] = [];
  const stopWatching = driver.on('rest', (entry: RestLogEntry) => {
    if (entry.method !== 'PATCH' || !entry.route.startsWith('/webhooks/')) return;
    const title = (entry.body as { embeds?: { title?: string }[] } | undefined)?.embeds?.[0]?.title ?? '';
    cardEdits.push(title);
    if (cardEdits.length === 1) worker.child.kill('SIGKILL');
  });
  try {
    const command = driver.runMessageCommand(world.memberId, world.guildId, channelId, 'Add to records', messageId);
    const cardId = (await driver.waitFor(() => (command.responses() as unknown as Card[]).find((card) => card.embeds?.[0]?.title.startsWith('Item 1 of 1')), 30_000)).id;
    expect(await worker.exited).toBe('SIGKILL');
    await startWorker();
    const first = await cardTitled(world, cardId, /^Item 1 of 1/, 10_000);
    driver.clickButton(world.memberId, channelId, cardId, button(first, 'Create'));
    await cardTitled(world, cardId, /^Review finished$/, 60_000);
    // The witness: the first card's edit went out twice (the activity ran again after its worker died), and the
    // click's card came after the repeat, so the member's card stays finished.
    expect(cardEdits).toEqual(['Item 1 of 1: Log entry', 'Item 1 of 1: Log entry', 'Review finished']);
    const rows = await db.query('select 1 from record_sources where message_id = $1', [messageId]);
    expect(rows).toHaveLength(1);
  } finally {
    stopWatching();
  }
}, 120_000);
