// What a record-review suite starts: a sandbox world, a test database, a scripted Anthropic server as the only LLM
// provider, and Steward against all three; `stop()` ends them in reverse order.
import type { RunningSteward } from '../../src/steward.js';
import { createWorld, type World } from '../sandbox/world.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { startAnthropicServer, type ScriptedLlmServer } from './llm-servers/index.js';
import { startTestSteward } from './steward.js';

export interface ReviewStack {
  world: World;
  db: TestDatabase;
  anthropic: ScriptedLlmServer;
  steward: RunningSteward;
  stop(): Promise<void>;
}

type StewardOptions = Omit<NonNullable<Parameters<typeof startTestSteward>[1]>, 'world'>;

export async function startReviewStack({ env = {}, ...options }: StewardOptions = {}): Promise<ReviewStack> {
  const world = await createWorld();
  const db = await createTestDatabase();
  const anthropic = await startAnthropicServer({ apiKey: 'test-anthropic-key' });
  const steward = await startTestSteward(db, {
    world,
    env: { ANTHROPIC_API_KEY: 'test-anthropic-key', ANTHROPIC_BASE_URL: anthropic.baseUrl, LLM_PROVIDERS: 'anthropic', ...env },
    ...options,
  });
  return {
    world,
    db,
    anthropic,
    steward,
    async stop() {
      await steward.stop();
      await world.sandbox.close();
      await db.drop();
      await anthropic.close();
    },
  };
}

/** The machine-2 conversation's two suggestions (a problem report, then its fix), with machine 2 in the catalogue. */
export async function scriptFlipperSuggestions({ world, db, anthropic }: ReviewStack, ids: { fault: string; fixed: string }): Promise<void> {
  await db.query(`insert into subjects (id, guild_id, name) values ('machine-2', $1, 'Machine 2')`, [world.guildId]);
  anthropic.script({
    kind: 'tool',
    input: {
      suggestions: [
        { record_type: 'problem_report', description: 'Left flipper weak on machine 2', source_message_ids: [ids.fault], author_id: world.memberId, subject_id: 'machine-2' },
        { record_type: 'log_entry', description: 'Replaced the coil sleeve', source_message_ids: [ids.fixed], author_id: world.memberId, subject_id: 'machine-2' },
      ],
    },
  });
}
