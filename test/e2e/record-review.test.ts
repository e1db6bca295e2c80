// The record review end to end: a member right-clicks a message in the local Discord sandbox, an LLM (a local
// server speaking Anthropic's wire protocol, called by the real SDK) suggests records, the member steps through
// the cards, and records land in PostgreSQL once each. Real Temporal, real PostgreSQL, real discord.js.
import { randomUUID } from 'node:crypto';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import type { RunningSteward } from '../../src/steward.js';
import { createWorld, type World } from '../sandbox/world.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startAnthropicServer, startOpenAiServer, type ScriptedLlmServer } from '../support/llm-servers/index.js';
import { button, cardTitled, type Card } from '../support/review-cards.js';
import { eventually } from '../support/steward-process.js';
import { startTestSteward } from '../support/steward.js';
import { testClient } from '../support/temporal.js';
import { recordNotificationStatus, recordNotificationsWorkflowId } from '../../workflows/records/notification-messages.js';

const COMMAND = 'Add to records';
let world: World;
let db: TestDatabase;
let steward: RunningSteward;
let anthropic: ScriptedLlmServer;
let openai: ScriptedLlmServer;
let bobId: string;
const subjectId = `subject-${randomUUID()}`;

beforeAll(async () => {
  world = await createWorld();
  bobId = world.sandbox.driver.createUser({ username: 'bob' }).id;
  world.sandbox.driver.addMember(world.guildId, bobId);
  db = await createTestDatabase();
  await db.query('insert into subjects (id, guild_id, name) values ($1, $2, $3)', [subjectId, world.guildId, 'Machine 3']);
  await db.query(`insert into maintainers (id, guild_id, name) values ('maint-alice', $1, 'Alice')`, [world.guildId]);
  anthropic = await startAnthropicServer({ apiKey: 'test-anthropic-key' });
  openai = await startOpenAiServer({ apiKey: 'test-openai-key' });
  steward = await startTestSteward(db, {
    world,
    env: {
      ANTHROPIC_API_KEY: 'test-anthropic-key',
      ANTHROPIC_BASE_URL: anthropic.baseUrl,
      OPENAI_API_KEY: 'test-openai-key',
      OPENAI_BASE_URL: openai.baseUrl,
      LLM_PROVIDERS: 'anthropic,openai',
      REVIEW_TIMEOUT_SECONDS: '6',
    },
  });
});

afterAll(async () => {
  await steward?.stop();
  await world.sandbox.close();
  await db.drop();
  for (const server of [anthropic, openai]) await server.close();
});

beforeEach(() => {
  anthropic.reset();
  openai.reset();
});

/** A maintenance conversation in a fresh channel: fault, part ordered, fix. */
function conversation() {
  const { driver } = world.sandbox;
  const channelId = driver.createChannel(world.guildId, { name: `shop-${randomUUID().slice(0, 6)}` }).id;
  const fault = driver.sendMessage(world.memberId, channelId, { content: 'flipper coil on machine 3 is dead' });
  const order = driver.sendMessage(bobId, channelId, { content: 'ordered a new one' });
  const fixed = driver.sendMessage(world.memberId, channelId, { content: 'fixed it, new coil is in' });
  return { channelId, fault: String(fault.id), order: String(order.id), fixed: String(fixed.id) };
}

function threeSuggestions(ids: ReturnType<typeof conversation>) {
  return {
    suggestions: [
      {
        record_type: 'problem_report',
        description: 'Flipper coil on machine 3 dead',
        source_message_ids: [ids.fault],
        author_id: world.memberId,
        subject_id: subjectId,
        children: [
          { record_type: 'log_entry', description: 'Replaced the flipper coil', source_message_ids: [ids.fixed], author_id: world.memberId },
        ],
      },
      {
        record_type: 'part_request',
        description: 'New flipper coil ordered',
        source_message_ids: [ids.order],
        author_id: bobId,
        subject_id: subjectId,
      },
    ],
  };
}

/** A fresh conversation, the model's three suggestions, and the member's first card. */
async function openReview() {
  const ids = conversation();
  anthropic.script({ kind: 'tool', input: threeSuggestions(ids) });
  const command = world.sandbox.driver.runMessageCommand(world.memberId, world.guildId, ids.channelId, COMMAND, ids.fixed);
  return { ids, command, first: await cardSeen(command, /^Item 1 of 3/) };
}

async function cardSeen(handle: { responses(): unknown[] }, title: RegExp): Promise<Card> {
  return world.sandbox.driver.waitFor(() => {
    const cards = handle.responses() as unknown as Card[];
    return cards.find((card) => card.embeds?.some((embed) => title.test(embed.title)));
  }, 20_000);
}

const recordsOf = (guildSources: string[]) =>
  db.query<{ id: string; record_type: string; description: string; parent_id: string | null; maintainer_id: string | null; occurred_at: Date }>(
    `select r.id, r.record_type, r.description, r.parent_id, r.maintainer_id, r.occurred_at from records r
     where exists (select 1 from record_sources s where s.record_id = r.id and s.message_id = any($1)) order by r.created_at`,
    [guildSources],
  );

test('happy path: three cards, create, create, cancel; records linked, attributed and dated', async () => {
  const ids = conversation();
  anthropic.script({ kind: 'tool', input: threeSuggestions(ids) });
  const command = world.sandbox.driver.runMessageCommand(world.memberId, world.guildId, ids.channelId, COMMAND, ids.fixed);
  expect(await command.waitForAck()).toMatchObject({ type: 5 });

  const first = await cardSeen(command, /^Item 1 of 3: Problem report — Machine 3$/);
  expect(first.embeds?.[0]?.footer?.text).toContain('anthropic');
  expect(first.components?.[0]?.components.map((component) => component.label)).toEqual(['Create', 'Edit', 'Skip']);
  // The conversation reached the model as data, with the forced tool.
  expect(JSON.stringify(anthropic.lastRequest.body)).toContain('flipper coil on machine 3 is dead');

  world.sandbox.driver.clickButton(world.memberId, ids.channelId, first.id, button(first, 'Create'));
  const second = await cardTitled(world, first.id, /^Item 2 of 3: Log entry/);
  world.sandbox.driver.clickButton(world.memberId, ids.channelId, first.id, button(second, 'Create'));
  const third = await cardTitled(world, first.id, /^Item 3 of 3: Part request — Machine 3$/);
  expect(third.components?.[0]?.components.map((component) => component.label)).toEqual(['Create', 'Edit', 'Cancel']);
  world.sandbox.driver.clickButton(world.memberId, ids.channelId, first.id, button(third, 'Cancel'));
  const summary = await cardTitled(world, first.id, /^Review cancelled$/);
  expect(summary.embeds?.[0]?.description).toMatch(/^Created 2, skipped 1/);
  expect(summary.components ?? []).toEqual([]);

  const records = await recordsOf([ids.fault, ids.order, ids.fixed]);
  expect(records.map((record) => record.record_type)).toEqual(['problem_report', 'log_entry']);
  const [problem, log] = records;
  expect(log?.parent_id).toBe(problem?.id);
  expect(problem?.maintainer_id).toBe('maint-alice');
  const faultTime = Number((BigInt(ids.fault) >> 22n) + 1_420_070_400_000n);
  expect(problem?.occurred_at.getTime()).toBe(faultTime);

  // The two records are handed to the reviewer's notification workflow once, when the review ends (not per click).
  const client = await testClient();
  const notifications = client.workflow.getHandle(recordNotificationsWorkflowId(world.guildId, world.memberId));
  expect(await eventually(async () => (await notifications.query(recordNotificationStatus).catch(() => undefined))?.pending === 2 || undefined)).toBe(true);
  await client.connection.close();

  const usage = await db.query<{ provider: string; flow: string; input_tokens: number }>(
    `select provider, flow, input_tokens from llm_usage where guild_id = $1 and id like $2`,
    [world.guildId, `review:${world.guildId}:${ids.fixed}:%`],
  );
  expect(usage).toEqual([{ provider: 'anthropic', flow: 'record-review', input_tokens: 1200 }]);

  const again = world.sandbox.driver.runMessageCommand(world.memberId, world.guildId, ids.channelId, COMMAND, ids.fixed);
  await world.sandbox.driver.waitFor(() =>
    (again.responses() as unknown as Card[]).some(
      (message) => /already reviewed|just been reviewed/.test(message.content + JSON.stringify(message.embeds ?? [])),
    ),
  );
});

test("a member's pause hands the records created so far to their announcement while the review stays open", async () => {
  const { ids, first } = await openReview();
  const notifications = (await testClient()).workflow.getHandle(recordNotificationsWorkflowId(world.guildId, world.memberId));
  const pendingBefore = (await notifications.query(recordNotificationStatus).catch(() => undefined))?.pending ?? 0;
  world.sandbox.driver.clickButton(world.memberId, ids.channelId, first.id, button(first, 'Create'));
  const second = await cardTitled(world, first.id, /^Item 2 of 3/);
  // Half the review's 6 s timeout later, the record is queued for announcement; the review is still waiting.
  expect(await eventually(async () => ((await notifications.query(recordNotificationStatus).catch(() => undefined))?.pending === pendingBefore + 1) || undefined, 5_000)).toBe(true);
  world.sandbox.driver.clickButton(world.memberId, ids.channelId, first.id, button(second, 'Skip'));
  await cardTitled(world, first.id, /^Item 3 of 3/);
  await notifications.client.connection.close();
});

test('an admin re-run is a review of its own: its records are written, its children linked to its own parents', async () => {
  const ids = conversation();
  anthropic.script({ kind: 'tool', input: threeSuggestions(ids) });
  const firstRun = world.sandbox.driver.runMessageCommand(world.memberId, world.guildId, ids.channelId, COMMAND, ids.fixed);
  const card = await cardSeen(firstRun, /^Item 1 of 3/);
  world.sandbox.driver.clickButton(world.memberId, ids.channelId, card.id, button(card, 'Create'));
  const second = await cardTitled(world, card.id, /^Item 2 of 3/);
  world.sandbox.driver.clickButton(world.memberId, ids.channelId, card.id, button(second, 'Skip'));
  const third = await cardTitled(world, card.id, /^Item 3 of 3/);
  world.sandbox.driver.clickButton(world.memberId, ids.channelId, card.id, button(third, 'Cancel'));
  await cardTitled(world, card.id, /^Review cancelled$/);
  await eventually(async () => {
    const [review] = await db.query<{ status: string }>('select status from record_reviews where message_id = $1', [ids.fixed]);
    return review?.status === 'cancelled' ? true : undefined;
  }, 10_000, 'the first review to close');

  // The server's owner re-runs the finished review; the model now reads the fix as the fault's report. Its first
  // card has the same position as the first run's created one: the keys of the two runs must not meet.
  anthropic.script({
    kind: 'tool',
    input: {
      suggestions: [
        {
          record_type: 'problem_report',
          description: 'Left flipper coil burnt out',
          source_message_ids: [ids.fixed],
          author_id: world.memberId,
          subject_id: subjectId,
          children: [{ record_type: 'log_entry', description: 'Replaced the flipper coil', source_message_ids: [ids.fixed], author_id: world.memberId }],
        },
      ],
    },
  });
  const rerun = world.sandbox.driver.runMessageCommand(world.ownerId, world.guildId, ids.channelId, COMMAND, ids.fixed);
  const rerunCard = await cardSeen(rerun, /^Item 1 of 2/);
  const ownerCard = (title: RegExp) =>
    world.sandbox.driver.waitFor(() => {
      const seen = world.sandbox.driver.ephemeralMessagesFor(world.ownerId).find((message) => message.id === rerunCard.id) as Card | undefined;
      return seen?.embeds?.some((embed) => title.test(embed.title)) ? seen : undefined;
    }, 20_000);
  world.sandbox.driver.clickButton(world.ownerId, ids.channelId, rerunCard.id, button(rerunCard, 'Create'));
  const child = await ownerCard(/^Item 2 of 2/);
  world.sandbox.driver.clickButton(world.ownerId, ids.channelId, rerunCard.id, button(child, 'Create'));
  const summary = await ownerCard(/^Review finished$/);
  expect(summary.embeds?.[0]?.description).toMatch(/^Created 2, skipped 0/);

  const records = await recordsOf([ids.fault, ids.fixed]);
  expect(records.map((record) => record.description)).toEqual([
    'Flipper coil on machine 3 dead',
    'Left flipper coil burnt out',
    'Replaced the flipper coil',
  ]);
  expect(records[2]?.parent_id).toBe(records[1]?.id);
  const usage = await db.query<{ id: string }>(`select id from llm_usage where id like $1`, [`review:${world.guildId}:${ids.fixed}:%`]);
  expect(usage).toHaveLength(2);
});

test('a database outage after a paid completion is retried on its own: the provider is not called (or paid) again', async () => {
  const ids = conversation();
  anthropic.script({ kind: 'tool', input: threeSuggestions(ids) });
  await db.query('alter table llm_usage rename to llm_usage_away');
  let restored = false;
  try {
    const command = world.sandbox.driver.runMessageCommand(world.memberId, world.guildId, ids.channelId, COMMAND, ids.fixed);
    await world.sandbox.driver.waitFor(() => anthropic.requests.length >= 1, 20_000);
    // The usage write fails ("relation does not exist") and is retried meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    await db.query('alter table llm_usage_away rename to llm_usage');
    restored = true;
    await cardSeen(command, /^Item 1 of 3/);
  } finally {
    if (!restored) await db.query('alter table llm_usage_away rename to llm_usage');
  }
  expect(anthropic.requests).toHaveLength(1);
  expect(openai.requests).toHaveLength(0);
  const usage = await db.query<{ provider: string }>(`select provider from llm_usage where id like $1`, [`review:${world.guildId}:${ids.fixed}:%`]);
  expect(usage).toEqual([{ provider: 'anthropic' }]);
});

test('a write the store refuses reaches the member as an answer; the card stays live and nothing is written', async () => {
  const ids = conversation();
  const doomedSubject = `subject-${randomUUID()}`;
  await db.query('insert into subjects (id, guild_id, name) values ($1, $2, $3)', [doomedSubject, world.guildId, 'Machine 9']);
  const suggestions = threeSuggestions(ids);
  suggestions.suggestions[0]!.subject_id = doomedSubject;
  anthropic.script({ kind: 'tool', input: suggestions });
  const command = world.sandbox.driver.runMessageCommand(world.memberId, world.guildId, ids.channelId, COMMAND, ids.fixed);
  const first = await cardSeen(command, /^Item 1 of 3: Problem report — Machine 9$/);
  // Someone deletes the subject through the API while the card is up.
  await db.query('delete from subjects where id = $1', [doomedSubject]);
  const click = world.sandbox.driver.clickButton(world.memberId, ids.channelId, first.id, button(first, 'Create'));
  await world.sandbox.driver.waitFor(
    () => (click.responses() as unknown as Card[]).find((message) => message.content === 'Item 1 could not be saved: no such subject in this server.'),
    20_000,
  );
  expect(await recordsOf([ids.fault])).toHaveLength(0);
  // The same card still works: skipping it moves on.
  world.sandbox.driver.clickButton(world.memberId, ids.channelId, first.id, button(first, 'Skip'));
  await cardTitled(world, first.id, /^Item 3 of 3/);
});

test('a channel Steward cannot read ends the review with a closed card that says why, and a closed review row', async () => {
  const { driver } = world.sandbox;
  // The bot may see the channel (so members can use its commands) but not read its history.
  const channelId = driver.createChannel(world.guildId, {
    name: `private-${randomUUID().slice(0, 6)}`,
    permissionOverwrites: [{ id: world.app.botUserId, type: 1, allow: '0', deny: String(PermissionFlagsBits.ReadMessageHistory) }],
  }).id;
  const message = driver.sendMessage(world.memberId, channelId, { content: 'flipper coil on machine 3 is dead' });
  const command = driver.runMessageCommand(world.memberId, world.guildId, channelId, COMMAND, String(message.id));
  const closed = await cardSeen(command, /^The review stopped$/);
  expect(closed.embeds?.[0]?.description).toMatch(/cannot read this conversation: it needs View Channel and Read Message History/);
  expect(closed.components ?? []).toEqual([]);
  const refused = driver.restLog().find((entry) => entry.path.startsWith(`/channels/${channelId}/messages`) && entry.status === 403);
  expect([50001, 50013]).toContain(refused?.errorCode);
  await eventually(async () => {
    const [review] = await db.query<{ status: string }>('select status from record_reviews where message_id = $1', [String(message.id)]);
    return review?.status === 'failed' ? true : undefined;
  }, 10_000, 'the review row to close');
});

test('a double click on Create writes one record; the second click is refused, not applied', async () => {
  const { ids, first } = await openReview();
  const create = button(first, 'Create');
  const clicks = [1, 2].map(() => world.sandbox.driver.clickButton(world.memberId, ids.channelId, first.id, create));
  await Promise.all(clicks.map((click) => click.waitForAck()));
  await cardTitled(world, first.id, /^Item 2 of 3/);
  await world.sandbox.driver.waitFor(() =>
    clicks.some((click) => (click.responses() as unknown as Card[]).some((message) => /already created|not up yet/.test(message.content))),
  );
  expect(await recordsOf([ids.fault])).toHaveLength(1);
});

test('a redelivered click (a gateway replay) is applied once and answered once, with no error', async () => {
  const { ids, first } = await openReview();
  const click = world.sandbox.driver.clickButton(world.memberId, ids.channelId, first.id, button(first, 'Create'));
  await click.waitForAck();
  world.sandbox.driver.redeliverInteraction(click.id);
  await cardTitled(world, first.id, /^Item 2 of 3/);
  // The second delivery's acknowledgement was refused with 40060, as Discord refuses it.
  await world.sandbox.driver.waitFor(() =>
    world.sandbox.driver.restLog().find((entry) => entry.path.includes(`/interactions/${click.id}/`) && entry.errorCode === 40060),
  );
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect((click.responses() as unknown as Card[]).map((message) => message.content)).not.toContainEqual(expect.stringMatching(/went wrong/));
  expect(await recordsOf([ids.fault])).toHaveLength(1);
});

test('a storm of 20 clicks writes one record, and every refusal is in Steward’s own words', async () => {
  const { ids, first } = await openReview();
  const create = button(first, 'Create');
  const clicks = Array.from({ length: 20 }, () => world.sandbox.driver.clickButton(world.memberId, ids.channelId, first.id, create));
  await Promise.all(clicks.map((click) => click.waitForAck()));
  await cardTitled(world, first.id, /^Item 2 of 3/);
  // Every losing click gets a follow-up; wait until all 19 have one.
  const followUps = () => clicks.flatMap((click) => (click.responses() as unknown as Card[]).map((message) => message.content).filter(Boolean));
  await world.sandbox.driver.waitFor(() => followUps().length >= 19, 20_000);
  const stewardsWords = /^(Item 1 was already created\.|This card is not current any more\.|Another click on this card was taken at the same moment; the card shows where the review is now\.)$/;
  for (const text of followUps()) expect(text).toMatch(stewardsWords);
  expect(await recordsOf([ids.fault])).toHaveLength(1);
});

test('only the member who started the review drives it; others get an ephemeral refusal', async () => {
  const { ids, first } = await openReview();

  const second = world.sandbox.driver.runMessageCommand(bobId, world.guildId, ids.channelId, COMMAND, ids.fixed);
  await world.sandbox.driver.waitFor(() =>
    (second.responses() as unknown as Card[]).some((message) => message.content.includes(`<@${world.memberId}> is reviewing`)),
  );
  // Bob clicks Create on Alice's card (a modified client could send it): refused in Steward's words, nothing written.
  const bobsClick = world.sandbox.driver.forgeButtonClick(bobId, ids.channelId, first.id, button(first, 'Create'));
  await world.sandbox.driver.waitFor(
    () => (bobsClick.responses() as unknown as Card[]).find((message) => message.content === `Only <@${world.memberId}> can act on this review.`),
    10_000,
  );
  expect(await recordsOf([ids.fault, ids.order, ids.fixed])).toHaveLength(0);
  expect(await cardTitled(world, first.id, /^Item 1 of 3/)).toBeDefined();
  world.sandbox.driver.clickButton(world.memberId, ids.channelId, first.id, button(first, 'Skip'));
  await cardTitled(world, first.id, /^Item 3 of 3/);
});

test('Edit opens a modal pre-filled with the description; submitting creates the edited record', async () => {
  const { ids, first } = await openReview();
  const edit = world.sandbox.driver.clickButton(world.memberId, ids.channelId, first.id, button(first, 'Edit'));
  expect(await edit.waitForAck()).toMatchObject({ type: 9 });
  const modal = edit.modal() as { custom_id: string; components: { components: { custom_id: string; value?: string }[] }[] };
  expect(modal.components[0]?.components[0]).toMatchObject({ custom_id: 'description', value: 'Flipper coil on machine 3 dead' });

  world.sandbox.driver.submitModal(world.memberId, edit.id, {
    customId: modal.custom_id,
    fields: { description: 'Left flipper coil burnt out', subject: 'machine 3' },
  });
  await cardTitled(world, first.id, /^Item 2 of 3/);
  expect((await recordsOf([ids.fault]))[0]?.description).toBe('Left flipper coil burnt out');
});

test('the first provider overloaded: after its retries the next provider answers, and the card says which', async () => {
  const ids = conversation();
  anthropic.setDefaultReply({ kind: 'error', status: 529 });
  openai.script({ kind: 'tool', input: threeSuggestions(ids) });
  const command = world.sandbox.driver.runMessageCommand(world.memberId, world.guildId, ids.channelId, COMMAND, ids.fixed);
  const first = await cardSeen(command, /^Item 1 of 3/);
  expect(first.embeds?.[0]?.footer?.text).toContain('openai');
  expect(anthropic.requests.length).toBe(3);
});

test('malformed output moves on at once; with nothing valid anywhere the member is told no records were found', async () => {
  const ids = conversation();
  anthropic.script({ kind: 'text', text: 'I think there is a problem report here.' });
  openai.script({ kind: 'tool', input: { suggestions: [{ record_type: 'no_such_type', description: 'x', source_message_ids: [ids.fault], author_id: world.memberId }] } });
  const command = world.sandbox.driver.runMessageCommand(world.memberId, world.guildId, ids.channelId, COMMAND, ids.fixed);
  await cardSeen(command, /^No records found$/);
  expect(anthropic.requests.length).toBe(1);
  expect(await recordsOf([ids.fault, ids.order, ids.fixed])).toHaveLength(0);
});

test('an abandoned review expires: the card says so and its buttons go away', async () => {
  const { ids, first } = await openReview();
  const expired = await cardTitled(world, first.id, /^Review expired$/);
  expect(expired.components ?? []).toEqual([]);
  expect(await recordsOf([ids.fault, ids.order, ids.fixed])).toHaveLength(0);
});

test('a 429 from Discord on the card edit is waited out; the next card still arrives', async () => {
  const { ids, first } = await openReview();
  // discord.js edits the card as `@original` (sent as %40original), Discord's own route for it.
  world.sandbox.faults.rateLimit('PATCH /webhooks/:webhook_id/:webhook_token/messages/@original', { times: 1, retryAfterMs: 300 });
  world.sandbox.driver.clickButton(world.memberId, ids.channelId, first.id, button(first, 'Create'));
  await cardTitled(world, first.id, /^Item 2 of 3/);
  const patches = world.sandbox.driver.restLog().filter((entry) => entry.method === 'PATCH' && entry.route.startsWith('/webhooks'));
  expect(patches.some((entry) => entry.status === 429)).toBe(true);
  expect(await recordsOf([ids.fault])).toHaveLength(1);
});
