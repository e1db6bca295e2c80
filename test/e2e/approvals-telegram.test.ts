// Approvals from Telegram: a request also goes to the server's Telegram chat with Approve and Reject buttons (grammY
// against a local server speaking the Bot API's wire protocol); a press from a linked account is the same Workflow
// Update as a Discord click, under the same approver rules; forged, replayed and unlinked presses change nothing and
// are logged. Real Temporal, real PostgreSQL, discord.js against the sandbox.
import { randomUUID } from 'node:crypto';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { issueApiToken } from '../../src/http/api-tokens.js';
import type { RunningSteward } from '../../src/steward.js';
import { BOT_PERMISSIONS, createWorld, type World } from '../sandbox/world.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import type { Card } from '../support/review-cards.js';
import { eventually } from '../support/steward-process.js';
import { startTestSteward } from '../support/steward.js';
import { TelegramServer } from '../support/telegram-server.js';
import { callGuildApi } from '../support/guild-api.js';

let world: World;
let db: TestDatabase;
let steward: RunningSteward;
let telegram: TelegramServer;
let token: string;
let chatId: number;
let approverRoleId: string;
/** Discord members and their Telegram accounts: bob and carol approve; alice (world.memberId) does not. */
const discord = { bob: '', carol: '' };
const tg = { bob: 0, carol: 0, alice: 0, stranger: 0 };

beforeAll(async () => {
  world = await createWorld();
  const { driver } = world.sandbox;
  driver.addBotToGuild(world.app.applicationId, world.guildId, { permissions: BOT_PERMISSIONS | PermissionFlagsBits.BanMembers | PermissionFlagsBits.KickMembers });
  approverRoleId = driver.createRole(world.guildId, { name: 'Approvers', permissions: 0n }).id;
  for (const name of ['bob', 'carol'] as const) {
    discord[name] = driver.createUser({ username: name }).id;
    driver.addMember(world.guildId, discord[name], { roles: [approverRoleId] });
  }
  telegram = await new TelegramServer().start();
  chatId = telegram.createGroup('Moderators');
  for (const name of Object.keys(tg) as (keyof typeof tg)[]) tg[name] = telegram.createUser(name).id;
  db = await createTestDatabase();
  steward = await startTestSteward(db, { world, env: { TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_URL: telegram.apiRoot } });
  token = (await db.database.transaction((em) => issueApiToken(em, world.guildId, 'telegram tests'))).token;
  await configure();
  await link(discord.bob, tg.bob);
  await link(discord.carol, tg.carol);
  await link(world.memberId, tg.alice);
});

afterAll(async () => {
  await steward?.stop();
  await telegram?.close();
  await world?.sandbox.close();
  await db?.drop();
});

const api = <T>(method: string, path: string, body?: unknown) => callGuildApi<T>({ httpUrl: steward.httpUrl, guildId: world.guildId, token }, method, path, body);

async function configure(settings: Record<string, unknown> = {}) {
  const saved = await api('PUT', '/approvals/settings', { channel_id: world.channelId, approver_role_ids: [approverRoleId], telegram_chat_id: String(chatId), ...settings });
  expect(saved.status).toBe(200);
}

/** /telegram-link in Discord, then /link <code> to the bot in Telegram, as a member would. */
async function link(discordUserId: string, telegramUserId: number) {
  const command = world.sandbox.driver.runSlashCommand(discordUserId, world.guildId, world.channelId, 'telegram-link');
  const reply = await world.sandbox.driver.waitFor(() => (command.responses() as { content?: string }[]).find((message) => message.content?.includes('/link ')), 10_000);
  const code = /\/link (\d{8})/.exec(reply.content!)![1]!;
  telegram.sendText(telegramUserId, `/link ${code}`);
  await eventually(async () => telegram.messagesIn(telegramUserId).find((message) => message.text.startsWith('Linked')), 10_000, 'the link to be confirmed');
}

async function request(action: Record<string, unknown>) {
  const target = world.sandbox.driver.createUser({ username: `target-${randomUUID().slice(0, 6)}` }).id;
  world.sandbox.driver.addMember(world.guildId, target);
  const caseId = `tg-${randomUUID().slice(0, 8)}`;
  const created = await api('POST', '/approvals', { case_id: caseId, action, target_id: target, reason: 'Spam in #general', requester_id: discord.carol });
  expect(created.status).toBe(202);
  const message = await eventually(async () => telegram.messagesIn(chatId).find((candidate) => candidate.text.endsWith(`Case ${caseId}`)), 20_000, 'the Telegram message');
  return { target, caseId, message };
}

const telegramMessage = (id: number) => telegram.messagesIn(chatId).find((message) => message.message_id === id)!;
const discordCard = (caseId: string, title: RegExp) =>
  world.sandbox.driver.waitFor(
    () => (world.sandbox.driver.channelMessages(world.channelId) as unknown as Card[]).find((card) => card.embeds?.some((embed) => embed.footer?.text === `Case ${caseId}` && title.test(embed.title))),
    20_000,
  );
const logKinds = async (caseId: string) => (await db.query<{ kind: string }>('select kind from moderation_log where case_id = $1 order by created_at', [caseId])).map((row) => row.kind);

test('a linked approver approves in Telegram: one ban, and both cards show the outcome', async () => {
  const { target, caseId, message } = await request({ type: 'ban' });
  expect(message.text).toContain('Approval needed: Ban');
  expect(message.reply_markup?.inline_keyboard.flat().map((button) => button.text)).toEqual(['Approve', 'Reject']);
  const press = telegram.pressButton(tg.bob, chatId, message.message_id, 'Approve');
  await discordCard(caseId, /^Ban: approved$/);
  expect(world.sandbox.driver.bans(world.guildId).filter((ban) => ban.userId === target)).toHaveLength(1);
  await eventually(async () => (telegramMessage(message.message_id).text.startsWith('Ban: approved') ? true : undefined), 10_000, 'the Telegram message to close');
  expect(telegramMessage(message.message_id).reply_markup?.inline_keyboard ?? []).toEqual([]);
  expect(telegram.answerTo(press)).toEqual(expect.objectContaining({ text: 'Approved.' }));
  expect(await logKinds(caseId)).toEqual(expect.arrayContaining(['request', 'approve', 'execution']));
});

test('unlinked, non-approver and forged presses change nothing and are logged; a replayed press is one decision', async () => {
  await configure({ quorum: 2 });
  try {
    const { target, caseId, message } = await request({ type: 'kick' });
    const stranger = telegram.pressButton(tg.stranger, chatId, message.message_id, 'Approve');
    await eventually(async () => telegram.answerTo(stranger), 10_000, 'the stranger to be answered');
    expect(telegram.answerTo(stranger)!.text).toMatch(/^Link your Telegram account first/);
    const alice = telegram.pressButton(tg.alice, chatId, message.message_id, 'Approve');
    await eventually(async () => telegram.answerTo(alice), 10_000, 'alice to be answered');
    expect(telegram.answerTo(alice)!.text).toBe('Only approvers can decide this request.');
    // A press whose data is not a decision, and a decision pressed on a message that is not a request.
    const forgedData = telegram.forgeCallback(tg.bob, message, 'ban_everyone');
    const elsewhere = telegram.forgeCallback(tg.bob, telegram.messagesIn(tg.bob)[0]!, 'approve');
    await eventually(async () => (telegram.answerTo(forgedData) && telegram.answerTo(elsewhere) ? true : undefined), 10_000, 'the forged presses to be answered');
    expect(telegram.answerTo(forgedData)!.text).toBe("This button is not one of Steward's requests.");

    // Bob's approval, then the same press again: still one approval of the two needed.
    const bobs = telegram.pressButton(tg.bob, chatId, message.message_id, 'Approve');
    await eventually(async () => telegram.answerTo(bobs), 10_000, 'bob to be answered');
    telegram.forgeCallback(tg.bob, telegramMessage(message.message_id), 'approve', bobs);
    await eventually(async () => (telegramMessage(message.message_id).text.includes('Approvals: 1 of 2') ? true : undefined), 10_000, 'one approval shown');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(world.sandbox.driver.member(world.guildId, target)).toBeDefined();
    expect((await logKinds(caseId)).filter((kind) => kind === 'approve')).toHaveLength(1);
    expect((await logKinds(caseId)).filter((kind) => kind === 'telegram-refused')).toHaveLength(2);
  } finally {
    await configure();
  }
});

test('a Telegram chat that cannot be reached does not hold the request up in Discord', async () => {
  await configure({ telegram_chat_id: '-1009999999999' });
  try {
    const target = world.sandbox.driver.createUser({ username: `target-${randomUUID().slice(0, 6)}` }).id;
    world.sandbox.driver.addMember(world.guildId, target);
    const caseId = `tg-${randomUUID().slice(0, 8)}`;
    await api('POST', '/approvals', { case_id: caseId, action: { type: 'kick' }, target_id: target, reason: 'Spam', requester_id: discord.carol });
    const card = await discordCard(caseId, /^Approval needed/);
    const approve = (card.components?.[0]?.components ?? []).find((component) => component.label === 'Approve')!.custom_id;
    world.sandbox.driver.clickButton(discord.bob, world.channelId, card.id, approve);
    await discordCard(caseId, /^Kick: approved$/);
    expect(telegram.calls.filter((call) => call.method === 'sendMessage' && call.body.chat_id === '-1009999999999').map((call) => call.status)).toEqual([400]);
  } finally {
    await configure();
  }
});
