// A DM with a nonce is sent once, even when its step runs again after Discord has forgotten the nonce (a reminder's
// local activity redone minutes later, after an outage failed its workflow task). The sandbox's nonce window is
// shortened so the lapse happens within the test; a raw post shows that Discord alone would send it twice.
import { setTimeout as sleep } from 'node:timers/promises';
import { REST } from '@discordjs/rest';
import { Routes } from 'discord-api-types/v10';
import { DirectChannels } from '../../activities/shared/direct-channels.js';
import { nonceFor } from '../../activities/shared/nonce.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createWorld, type World } from '../sandbox/world.js';

const NONCE_WINDOW_MS = 300;

let world: World;
let testDatabase: TestDatabase;
let rest: REST;

beforeAll(async () => {
  world = await createWorld({ nonceWindowMs: NONCE_WINDOW_MS });
  testDatabase = await createTestDatabase();
  rest = new REST({ version: '10', api: `${world.sandbox.url}/api` }).setToken(world.app.token);
});

afterAll(async () => {
  await testDatabase.drop();
  await world.sandbox.close();
});

const reminder = (key: string) => ({ content: 'Reminder: **Meetup** starts in 2 minutes.', nonce: nonceFor(key), enforce_nonce: true });
const dmContents = () => world.sandbox.driver.dmsFor(world.memberId).map((message) => (message as { content?: string }).content);

test('a DM sent again after the nonce lapsed reaches the member once; without the ledger Discord would send it twice', async () => {
  const directChannels = new DirectChannels(testDatabase.database, () => rest);
  expect(await directChannels.send(world.memberId, reminder('event-1:event:120@1'))).toBe('sent');
  await sleep(NONCE_WINDOW_MS * 2);
  // A fresh worker (nothing in memory) runs the step again, after Discord's window.
  expect(await new DirectChannels(testDatabase.database, () => rest).send(world.memberId, reminder('event-1:event:120@1'))).toBe('sent');
  expect(dmContents()).toEqual(['Reminder: **Meetup** starts in 2 minutes.']);
  expect(await testDatabase.query('select nonce from sent_direct_messages')).toEqual([{ nonce: nonceFor('event-1:event:120@1') }]);

  // The same body posted straight to Discord after the window is a second message: the nonce alone had lapsed.
  const channelId = await directChannels.ofMember(world.memberId);
  await rest.post(Routes.channelMessages(channelId), { body: reminder('event-1:event:120@1') });
  expect(dmContents()).toHaveLength(2);
});

test('DMs without a nonce are not kept in the ledger, and each is sent', async () => {
  const directChannels = new DirectChannels(testDatabase.database, () => rest);
  const before = dmContents().length;
  await directChannels.send(world.memberId, { content: 'A level up!' });
  await directChannels.send(world.memberId, { content: 'A level up!' });
  expect(dmContents().length).toBe(before + 2);
  expect(await testDatabase.query('select count(*)::int as kept from sent_direct_messages')).toEqual([{ kept: 1 }]);
});
