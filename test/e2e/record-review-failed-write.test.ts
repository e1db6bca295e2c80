// A review whose last write fails stays open on that item: the member is told to try again, the card keeps its
// buttons, and the second click saves the record and finishes the review. (Before, the review closed as finished
// with the item unsaved.) Its own Steward, with the default review timeout, as the
// write's retries take longer than the short timeout the main review suite uses.
import { randomUUID } from 'node:crypto';
import { button, cardTitled, type Card } from '../support/review-cards.js';
import { startReviewStack, type ReviewStack } from '../support/review-stack.js';

let stack: ReviewStack;

beforeAll(async () => {
  stack = await startReviewStack();
});

afterAll(() => stack?.stop());

test("the last item's write failing keeps the review on that item; a second click saves it and finishes", async () => {
  const { world, db, anthropic } = stack;
  const { driver } = world.sandbox;
  const channelId = driver.createChannel(world.guildId, { name: `shop-${randomUUID().slice(0, 6)}` }).id;
  const ordered = String(driver.sendMessage(world.memberId, channelId, { content: 'ordered a new flipper coil' }).id);
  const fixed = String(driver.sendMessage(world.memberId, channelId, { content: 'fixed it, new coil is in' }).id);
  anthropic.script({
    kind: 'tool',
    input: {
      suggestions: [
        { record_type: 'log_entry', description: 'Replaced the flipper coil', source_message_ids: [fixed], author_id: world.memberId },
        { record_type: 'log_entry', description: 'New flipper coil ordered', source_message_ids: [ordered], author_id: world.memberId },
      ],
    },
  });
  const command = driver.runMessageCommand(world.memberId, world.guildId, channelId, 'Add to records', fixed);
  const first = await driver.waitFor(() => (command.responses() as unknown as Card[]).find((card) => /^Item 1 of 2/.test(card.embeds?.[0]?.title ?? '')), 20_000);
  driver.clickButton(world.memberId, channelId, first.id, button(first, 'Create'));
  const last = await cardTitled(world, first.id, /^Item 2 of 2/);

  // The database refuses the last item's insert until the trigger goes: every retry of the click's write fails.
  await db.query(`create function steward_test_refuse_part() returns trigger language plpgsql as $$
                  begin raise exception 'disk full'; end $$`);
  await db.query(`create trigger refuse_part before insert on records for each row
                  when (new.description = 'New flipper coil ordered') execute function steward_test_refuse_part()`);
  const failed = driver.clickButton(world.memberId, channelId, first.id, button(last, 'Create'));
  await driver.waitFor(() => (failed.responses() as unknown as Card[]).find((reply) => reply.content === 'Item 2 could not be saved just now; please try again.'), 30_000);
  await db.query('drop trigger refuse_part on records');

  // The card still offers the item (it did not close as finished with it unsaved), and nothing was written for it.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const stillOpen = await cardTitled(world, first.id, /^Item 2 of 2/);
  expect(stillOpen.components?.[0]?.components.map((component) => component.label)).toContain('Create');
  const descriptions = async () =>
    (await db.query<{ description: string }>(
      'select r.description from records r join record_sources s on s.record_id = r.id where s.message_id = any($1) order by r.created_at',
      [[ordered, fixed]],
    )).map((row) => row.description);
  expect(await descriptions()).toEqual(['Replaced the flipper coil']);

  driver.clickButton(world.memberId, channelId, first.id, button(stillOpen, 'Create'));
  await cardTitled(world, first.id, /^Review finished$/, 20_000);
  expect(await descriptions()).toEqual(['Replaced the flipper coil', 'New flipper coil ordered']);
}, 90_000);
