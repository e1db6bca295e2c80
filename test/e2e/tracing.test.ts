// One click followed end to end: a member's right-click and button click are each the root of a trace that runs
// through the Temporal client call and, carried by the workflow, each activity and the HTTP calls the activities
// make (the LLM, Discord), with the trace id in the log lines written along the way and no token in any span.
import { Writable } from 'node:stream';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { createLogger } from '../../src/observability/logger.js';
import { reviewWorkflowId } from '../../workflows/records/custom-id.js';
import { button, type Card } from '../support/review-cards.js';
import { eventually } from '../support/steward-process.js';
import { startReviewStack, type ReviewStack } from '../support/review-stack.js';
import { testClient } from '../support/temporal.js';

let stack: ReviewStack;
const spans = new InMemorySpanExporter();
const logLines: Record<string, unknown>[] = [];

beforeAll(async () => {
  const logs = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logLines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  stack = await startReviewStack({
    logger: createLogger({ level: 'debug', destination: logs }),
    extras: { spanProcessor: new SimpleSpanProcessor(spans) },
  });
});

afterAll(() => stack?.stop());

/** The chain of span names from a span up to its trace's root. */
function ancestry(span: ReadableSpan, all: ReadableSpan[]): string[] {
  const byId = new Map(all.map((each) => [each.spanContext().spanId, each]));
  const names: string[] = [];
  for (let current: ReadableSpan | undefined = span; current; current = current.parentSpanId ? byId.get(current.parentSpanId) : undefined) {
    names.unshift(current.name);
  }
  return names;
}

test('a review is one trace from the right-click to the LLM and Discord calls, and a click is one trace to its card edit', async () => {
  const { world, anthropic } = stack;
  const { driver } = world.sandbox;
  const channelId = driver.createChannel(world.guildId, { name: 'maintenance' }).id;
  const fixed = String(driver.sendMessage(world.memberId, channelId, { content: 'replaced the coil sleeve on machine 2' }).id);
  anthropic.script({
    kind: 'tool',
    input: { suggestions: [{ record_type: 'log_entry', description: 'Replaced the coil sleeve', source_message_ids: [fixed], author_id: world.memberId }] },
  });
  const command = driver.runMessageCommand(world.memberId, world.guildId, channelId, 'Add to records', fixed);
  const card = await driver.waitFor(() => (command.responses() as unknown as Card[]).find((each) => each.embeds?.some((embed) => /^Item 1 of 1/.test(embed.title))), 20_000);
  const workflowId = reviewWorkflowId(world.guildId, fixed);
  const clicked = driver.clickButton(world.memberId, channelId, card.id, button(card, 'Create'));
  const client = await testClient();
  await client.workflow.getHandle(workflowId).result();
  await client.connection.close();
  await eventually(async () => spans.getFinishedSpans().find((span) => span.name === 'RunActivity:showReviewCard'));
  const all = spans.getFinishedSpans();
  const traceOf = (name: string) => {
    const root = all.find((span) => span.name === name);
    expect(root).toBeDefined();
    const traceId = root!.spanContext().traceId;
    return all.filter((span) => span.spanContext().traceId === traceId);
  };

  // The right-click's trace: adapter → client start → (the workflow) → activity → the LLM's HTTP call.
  const rightClickSpans = traceOf('interaction command Add to records');
  const llmCall = rightClickSpans.find((span) => span.attributes['server.port'] === Number(new URL(anthropic.baseUrl).port) && span.attributes['url.path'] === '/v1/messages');
  expect(llmCall && ancestry(llmCall, rightClickSpans)).toEqual([
    'interaction command Add to records',
    'StartWorkflow:reviewRecordSuggestions',
    'RunActivity:suggestRecords',
    // The Anthropic SDK's own span, then the HTTP call under it.
    'anthropic.messages.create',
    'POST',
  ]);
  const rightClickTrace = llmCall?.spanContext().traceId;
  // The card is edited into the deferred reply by an activity: Discord's REST call, in the same trace.
  const cardEdit = rightClickSpans.find((span) => span.name === 'PATCH' && String(span.attributes['url.path']).includes('/webhooks/'));
  expect(cardEdit && ancestry(cardEdit, rightClickSpans)).toEqual([
    'interaction command Add to records',
    'StartWorkflow:reviewRecordSuggestions',
    'RunActivity:showReviewCard',
    'PATCH',
  ]);

  // The button click's own trace: adapter → client update → (the workflow's reply) → the activity writing the record.
  const clickSpans = traceOf('interaction component review');
  const reply = clickSpans.find((span) => span.name.startsWith('RunActivity:'));
  expect(reply && ancestry(reply, clickSpans)).toEqual(['interaction component review', expect.stringMatching(/^StartWorkflowUpdate:/), expect.stringMatching(/^RunActivity:/)]);
  expect(clickSpans.find((span) => span.name === 'interaction component review')?.attributes['discord.interaction.id']).toBe(clicked.id);

  // Log lines written inside a traced operation name its trace.
  const clickTrace = clickSpans[0]!.spanContext().traceId;
  expect(logLines.find((line) => line.msg === 'Handled interaction command Add to records')?.trace_id).toBe(rightClickTrace);
  expect(logLines.find((line) => line.msg === 'Handled interaction component review')?.trace_id).toBe(clickTrace);

  // No interaction or webhook token reaches a span: the paths carry `:token` instead.
  const everySpanText = JSON.stringify(all.map((span) => span.attributes));
  for (const token of [command.token, clicked.token]) expect(everySpanText).not.toContain(token);
  expect(everySpanText).toMatch(/\/interactions\/\d+\/:token\/callback/);
  expect(everySpanText).not.toContain(world.app.token);
}, 90_000);
