// Approvals end to end: a request from the HTTP API posts a card in the approvals channel; approvers decide with
// buttons (Workflow Updates); the approved action runs once through Discord (the local sandbox, rate limits on);
// timeouts ping the approvers at half time and expire. Real Temporal, real PostgreSQL, real discord.js.
import { randomUUID } from 'node:crypto';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { issueApiToken } from '../../src/http/api-tokens.js';
import type { RunningSteward } from '../../src/steward.js';
import { BOT_PERMISSIONS, createWorld, type World } from '../sandbox/world.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { button, type Card } from '../support/review-cards.js';
import { eventually } from '../support/steward-process.js';
import { scheduleIdFor } from '../../src/temporal/schedules.js';
import { startTestSteward } from '../support/steward.js';
import { testClient } from '../support/temporal.js';
import { callGuildApi } from '../support/guild-api.js';

let world: World;
let db: TestDatabase;
let steward: RunningSteward;
let token: string;
let approverRoleId: string;
/** Two approvers (bob, carol), a member without the role (alice, world.memberId), and dave, who asks. */
const people = { bob: '', carol: '', dave: '' };

beforeAll(async () => {
  world = await createWorld();
  const { driver } = world.sandbox;
  driver.addBotToGuild(world.app.applicationId, world.guildId, {
    permissions: BOT_PERMISSIONS | PermissionFlagsBits.BanMembers | PermissionFlagsBits.KickMembers | PermissionFlagsBits.ModerateMembers,
  });
  approverRoleId = driver.createRole(world.guildId, { name: 'Approvers', permissions: 0n }).id;
  for (const name of Object.keys(people) as (keyof typeof people)[]) {
    people[name] = driver.createUser({ username: name }).id;
    driver.addMember(world.guildId, people[name], { roles: name === 'dave' ? [approverRoleId] : name === 'bob' || name === 'carol' ? [approverRoleId] : [] });
  }
  db = await createTestDatabase();
  steward = await startTestSteward(db, { world });
  token = (await db.database.transaction((em) => issueApiToken(em, world.guildId, 'moderation bot'))).token;
});

afterAll(async () => {
  await steward?.stop();
  await world?.sandbox.close();
  await db?.drop();
});

const api = <T>(method: string, path: string, body?: unknown) => callGuildApi<T>({ httpUrl: steward.httpUrl, guildId: world.guildId, token }, method, path, body);

async function configure(settings: Record<string, unknown> = {}) {
  const saved = await api('PUT', '/approvals/settings', { channel_id: world.channelId, approver_role_ids: [approverRoleId], ...settings });
  expect(saved.status).toBe(200);
}

/** A fresh member to act on, a request about them, and its card as the channel shows it. */
async function request(action: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const target = world.sandbox.driver.createUser({ username: `target-${randomUUID().slice(0, 6)}` }).id;
  world.sandbox.driver.addMember(world.guildId, target);
  const caseId = `case-${randomUUID().slice(0, 8)}`;
  const created = await api<{ case_id: string }>('POST', '/approvals', {
    case_id: caseId,
    action,
    target_id: target,
    reason: 'Posted scam links in #general',
    evidence: [{ url: 'https://discord.com/channels/1/2/3', excerpt: 'free nitro here' }],
    requester_id: people.dave,
    ...extra,
  });
  expect(created.status).toBe(202);
  const card = await cardFor(caseId, /^Approval needed/);
  return { target, caseId, card };
}

function cardFor(caseId: string, title: RegExp, timeoutMs = 20_000): Promise<Card> {
  return world.sandbox.driver.waitFor(() => {
    const messages = world.sandbox.driver.channelMessages(world.channelId) as unknown as (Card & { embeds?: { footer?: { text: string } }[] })[];
    return messages.find((message) => message.embeds?.some((embed) => embed.footer?.text === `Case ${caseId}` && title.test(embed.title)));
  }, timeoutMs);
}

function refusalTo(click: { responses(): unknown[] }, text: string) {
  return world.sandbox.driver.waitFor(() => (click.responses() as Card[]).find((message) => message.content === text), 10_000);
}

const logKinds = async (caseId: string) =>
  (await db.query<{ kind: string }>('select kind from moderation_log where case_id = $1 order by created_at', [caseId])).map((row) => row.kind);

test('an approver approves: the ban is applied once, the card says who and when, and the log has every step', async () => {
  await configure();
  const { target, caseId, card } = await request({ type: 'ban' });
  const pending = await api<{ pending: { case_id: string }[] }>('GET', '/moderation/pending');
  expect(pending.body.pending.map((entry) => entry.case_id)).toContain(caseId);

  world.sandbox.driver.clickButton(people.bob, world.channelId, card.id, button(card, 'Approve'));
  const closed = await cardFor(caseId, /^Ban: approved$/);
  expect(closed.components ?? []).toEqual([]);
  expect(world.sandbox.driver.bans(world.guildId).filter((ban) => ban.userId === target)).toEqual([
    { userId: target, reason: 'Posted scam links in #general' },
  ]);
  const [dm] = world.sandbox.driver.dmsFor(target) as unknown as Card[];
  expect(dm?.content).toBe(`You were banned from **Test Guild**.\nReason: Posted scam links in #general`);
  await eventually(async () => ((await logKinds(caseId)).includes('execution') ? true : undefined), 10_000, 'the execution to be logged');
  expect(await logKinds(caseId)).toEqual(['request', 'approve', 'execution']);
  const after = await api<{ pending: { case_id: string }[] }>('GET', '/moderation/pending');
  expect(after.body.pending.map((entry) => entry.case_id)).not.toContain(caseId);
});

test('a member without the approver role, and the requester themself, are refused; nothing changes', async () => {
  await configure();
  const { target, caseId, card } = await request({ type: 'kick' });
  const alices = world.sandbox.driver.clickButton(world.memberId, world.channelId, card.id, button(card, 'Approve'));
  await refusalTo(alices, 'Only approvers can decide this request.');
  const daves = world.sandbox.driver.clickButton(people.dave, world.channelId, card.id, button(card, 'Approve'));
  await refusalTo(daves, 'You asked for this action, so someone else must approve it.');
  expect(world.sandbox.driver.member(world.guildId, target)).toBeDefined();
  expect(await logKinds(caseId)).toEqual(['request']);
  // A redelivered rejection is one decision; a click after the decision changes nothing.
  const reject = world.sandbox.driver.clickButton(people.bob, world.channelId, card.id, button(card, 'Reject'));
  await reject.waitForAck();
  world.sandbox.driver.redeliverInteraction(reject.id);
  await cardFor(caseId, /^Kick: rejected$/);
  // A client still showing the card before its edit arrived can still send a click.
  const late = world.sandbox.driver.forgeButtonClick(people.carol, world.channelId, card.id, button(card, 'Approve'));
  await refusalTo(late, 'This request was already decided.');
  expect(world.sandbox.driver.member(world.guildId, target)).toBeDefined();
  expect((await logKinds(caseId)).filter((kind) => kind === 'reject')).toHaveLength(1);
});

test('a member who does not accept DMs is still acted on; the log notes the DM was refused', async () => {
  await configure();
  const { target, caseId, card } = await request({ type: 'timeout', duration_seconds: 600 });
  world.sandbox.driver.closeDirectMessages(target);
  world.sandbox.driver.clickButton(people.bob, world.channelId, card.id, button(card, 'Approve'));
  await cardFor(caseId, /^Timeout for 10 minutes: approved$/);
  const dms = world.sandbox.driver.restLog().filter((entry) => entry.route === '/channels/:channel_id/messages' && entry.errorCode === 50007);
  expect(dms.length).toBeGreaterThan(0);
  expect(world.sandbox.driver.dmsFor(target)).toEqual([]);
  const [execution] = await db.query<{ detail: { memberTold: string } }>(`select detail from moderation_log where case_id = $1 and kind = 'execution'`, [caseId]);
  expect(execution?.detail.memberTold).toBe('refused');
});

test('a quorum of 2 needs two different approvers', async () => {
  await configure({ quorum: 2 });
  const { target, caseId, card } = await request({ type: 'kick' });
  world.sandbox.driver.clickButton(people.bob, world.channelId, card.id, button(card, 'Approve'));
  await world.sandbox.driver.waitFor(() =>
    (world.sandbox.driver.channelMessages(world.channelId) as unknown as Card[]).find(
      (message) => message.id === card.id && JSON.stringify(message.embeds).includes('Approvals (1 of 2)'),
    ),
  10_000);
  const again = world.sandbox.driver.forgeButtonClick(people.bob, world.channelId, card.id, button(card, 'Approve'));
  await refusalTo(again, 'You already approved this; it needs 2 different approvers.');
  expect(world.sandbox.driver.member(world.guildId, target)).toBeDefined();
  world.sandbox.driver.clickButton(people.carol, world.channelId, card.id, button(card, 'Approve'));
  await cardFor(caseId, /^Kick: approved$/);
  expect(world.sandbox.driver.member(world.guildId, target)).toBeUndefined();
});

test('Modify makes the action milder; the modified action is what runs', async () => {
  await configure();
  const { target, caseId, card } = await request({ type: 'ban' });
  const modify = world.sandbox.driver.clickButton(people.bob, world.channelId, card.id, button(card, 'Modify'));
  const modal = (await modify.waitForAck(), modify.modal()) as { custom_id: string };
  world.sandbox.driver.submitModal(people.bob, modify.id, {
    customId: modal.custom_id,
    fields: { action: 'timeout', duration: '2h', reason: 'First offence: a timeout will do' },
  });
  const modified = await cardFor(caseId, /^Approval needed: Timeout for 2 hours$/);
  world.sandbox.driver.clickButton(people.carol, world.channelId, modified.id, button(modified, 'Approve'));
  await cardFor(caseId, /^Timeout for 2 hours: approved$/);
  const until = Date.parse(String(world.sandbox.driver.member(world.guildId, target)?.communication_disabled_until));
  expect(until - Date.now()).toBeGreaterThan(110 * 60_000);
  expect(world.sandbox.driver.bans(world.guildId).map((ban) => ban.userId)).not.toContain(target);
});

test('nobody decides: the admins are alerted, the approvers pinged at half time, then the request expires', async () => {
  const alerts = world.sandbox.driver.createChannel(world.guildId, { name: 'admin-alerts' }).id;
  await configure({ timeout_seconds: { ban: 12 }, alert_channel_id: alerts, alert_after_seconds: 5 });
  const { target, caseId, card } = await request({ type: 'ban' });
  const alert = await world.sandbox.driver.waitFor(
    () => (world.sandbox.driver.channelMessages(alerts) as unknown as Card[]).find((message) => message.content.includes(`Case ${caseId}`)),
    10_000,
  );
  expect(alert.content).toContain(`/${world.channelId}/${card.id}`);
  const ping = await world.sandbox.driver.waitFor(
    () =>
      (world.sandbox.driver.channelMessages(world.channelId) as unknown as Card[]).find(
        (message) => message.content.includes(`<@&${approverRoleId}>`) && message.content.includes(caseId),
      ),
    10_000,
  );
  expect(ping).toBeDefined();
  await cardFor(caseId, /^Ban: expired$/, 20_000);
  expect(world.sandbox.driver.bans(world.guildId).map((ban) => ban.userId)).not.toContain(target);
  expect(await logKinds(caseId)).toEqual(['request', 'alert', 'escalation', 'expiry']);
});

test('a member who left before the approval: the kick is superseded, not attempted', async () => {
  await configure();
  const { target, caseId, card } = await request({ type: 'kick' });
  world.sandbox.driver.removeMember(world.guildId, target);
  world.sandbox.driver.clickButton(people.bob, world.channelId, card.id, button(card, 'Approve'));
  await cardFor(caseId, /^Kick: approved, not applied$/);
  const kicks = world.sandbox.driver.restLog().filter((entry) => entry.method === 'DELETE' && entry.path.endsWith(`/members/${target}`));
  expect(kicks).toEqual([]);
});

test('a 500 from Discord during the ban is retried: exactly one ban', async () => {
  await configure();
  const { target, caseId, card } = await request({ type: 'ban' });
  world.sandbox.faults.serverError('PUT /guilds/:guild_id/bans/:user_id', { times: 1 });
  world.sandbox.driver.clickButton(people.bob, world.channelId, card.id, button(card, 'Approve'));
  await cardFor(caseId, /^Ban: approved$/);
  const puts = world.sandbox.driver.restLog().filter((entry) => entry.method === 'PUT' && entry.path.endsWith(`/bans/${target}`));
  expect(puts.map((entry) => entry.status)).toEqual([500, 204]);
  expect(world.sandbox.driver.bans(world.guildId).filter((ban) => ban.userId === target)).toHaveLength(1);
});

test('a 429 from Discord during the kick is waited out: the member is kicked once', async () => {
  await configure();
  const { target, caseId, card } = await request({ type: 'kick' });
  world.sandbox.faults.rateLimit('DELETE /guilds/:guild_id/members/:user_id', { times: 1, retryAfterMs: 300 });
  world.sandbox.driver.clickButton(people.bob, world.channelId, card.id, button(card, 'Approve'));
  await cardFor(caseId, /^Kick: approved$/);
  const kicks = world.sandbox.driver.restLog().filter((entry) => entry.method === 'DELETE' && entry.path.endsWith(`/members/${target}`));
  expect(kicks.map((entry) => entry.status)).toEqual([429, 204]);
  expect(world.sandbox.driver.member(world.guildId, target)).toBeUndefined();
});

test('requests before approvals are set up, and malformed ones, are refused with details', async () => {
  const before = await fetch(`${steward.httpUrl}/api/v1/guilds/${world.guildId}/approvals`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ action: { type: 'timeout', duration_seconds: 30 }, target_id: people.bob, reason: 'x' }),
  });
  expect(before.status).toBe(400);
  expect(JSON.stringify(await before.json())).toContain('a timeout lasts 60 s to 28 days');
  const long = await api<{ error: { details: { path: string }[] } }>('POST', '/approvals', {
    action: { type: 'kick' },
    target_id: people.bob,
    reason: 'x'.repeat(513),
  });
  expect(long.status).toBe(400);
  expect(long.body.error.details.map((detail) => detail.path)).toEqual(['reason']);
});

test('the moderation log keeps 90 days: a daily Schedule deletes older entries', async () => {
  const client = await testClient();
  try {
    const schedule = client.schedule.getHandle(scheduleIdFor('moderation-log-retention', steward.taskQueue));
    const description = await schedule.describe();
    expect(description.spec.calendars).toEqual([expect.objectContaining({ hour: [{ start: 3, end: 3, step: 1 }], minute: [{ start: 17, end: 17, step: 1 }] })]);
    await db.query(
      `insert into moderation_log (id, guild_id, case_id, kind, target_id, detail, created_at) values
         ('old-entry', $1, 'old', 'request', $2, '{}', now() - interval '91 days'),
         ('recent-entry', $1, 'recent', 'request', $2, '{}', now() - interval '89 days')`,
      [world.guildId, people.bob],
    );
    await schedule.trigger();
    await eventually(async () => ((await db.query(`select 1 from moderation_log where id = 'old-entry'`)).length === 0 ? true : undefined), 20_000, 'the purge');
    expect(await db.query(`select id from moderation_log where id = 'recent-entry'`)).toEqual([{ id: 'recent-entry' }]);
  } finally {
    await client.connection.close();
  }
});

test('a quorum no one could meet is refused with what to fix, and the settings stay as they were', async () => {
  await configure({ quorum: 2 });
  // bob, carol and dave hold the approver role; the owner can approve too: four in all.
  const refused = await api<{ error: { message: string } }>('PUT', '/approvals/settings', { channel_id: world.channelId, approver_role_ids: [approverRoleId], quorum: 5 });
  expect(refused.status).toBe(422);
  expect(refused.body.error.message).toBe(
    'A quorum of 5 can never be met: only 4 members can approve (an approver role, Administrator, or the owner). Lower the quorum or give more members the role.',
  );
  const kept = await api<{ quorum: number }>('GET', '/approvals/settings');
  expect(kept.body.quorum).toBe(2);
  expect((await api('PUT', '/approvals/settings', { channel_id: world.channelId, approver_role_ids: [approverRoleId], quorum: 4 })).status).toBe(200);
  await configure();
});
