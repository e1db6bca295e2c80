// The eval loop against the local Anthropic wire server: the real SDK carries the built request, the answer is
// validated and scored, and a failed call scores 0 even where nothing was expected.
import { evaluate } from '../../eval/evaluate.js';
import type { EvalProvider } from '../../eval/provider.js';
import { conversations } from '../../eval/conversations/index.js';
import { buildProviderChain } from '../../src/llm/index.js';
import { startAnthropicServer, type ScriptedLlmServer } from '../support/llm-servers/index.js';

const apiKey = 'sk-ant-eval-test';
let server: ScriptedLlmServer;
beforeAll(async () => (server = await startAnthropicServer({ apiKey })));
afterAll(() => server.close());

function provider(): EvalProvider {
  const anthropic = { apiKey, baseUrl: server.baseUrl, timeoutMs: 2_000 };
  const chain = buildProviderChain({ anthropic, order: ['anthropic'] });
  return { chain, name: 'anthropic', model: 'claude-sonnet-4-6' };
}

test('each conversation is one forced tool call whose answer is validated and scored', async () => {
  const fault = named('unresolved-fault');
  const chatter = named('pure-chatter');
  const report = {
    record_type: 'problem_report',
    description: 'Twilight Zone clock stuck at 11:30',
    source_message_ids: [fault.targetId],
    author_id: fault.messages.at(-1)?.authorId,
    subject_id: 'tz',
  };
  server.script(
    { kind: 'tool', input: { suggestions: [report, { ...report, subject_id: 'nope' }] } },
    { kind: 'error', status: 400, message: 'bad request' },
  );

  const [faultResult, chatterResult] = await evaluate([fault, chatter], provider());

  expect(faultResult).toMatchObject({ name: 'unresolved-fault', score: { score: 100 } });
  expect(faultResult?.error).toBeUndefined();
  expect(faultResult?.dropped).toEqual([{ index: 1, reason: 'unknown subject nope' }]);
  expect(chatterResult?.error).toMatch(/invalid request/);
  expect(chatterResult?.score.score).toBe(0);

  const sent = server.requests[0]?.body as Record<string, unknown>;
  expect(sent).toMatchObject({
    temperature: 0,
    max_tokens: 2_000,
    tool_choice: { type: 'tool', name: 'suggest_records' },
  });
  expect(String(sent.system)).toContain('<subjects>');
  expect(JSON.stringify(sent.messages)).toContain('<transcript>');
});

function named(name: string) {
  const found = conversations.find((entry) => entry.name === name);
  if (!found) throw new Error(`no eval conversation ${name}`);
  return found;
}
