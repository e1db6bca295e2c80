// Raid and spam protection end to end: organic joins never trip the detector; a burst of new accounts starts one
// lockdown (not two) whose alert card approvers drive; Lift by anyone else is refused in Steward's words; the lift
// restores every channel exactly and keeps what a moderator changed by hand; a quiet spell lifts it on its own;
// spam heat times a member out, longer on the next strike; settings that make no sense are refused.
// discord.js against the sandbox (rate limits on), real Temporal, real PostgreSQL.
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import type { Client } from '@temporalio/client';
import { caseById } from '../../src/features/moderation/store/cases.js';
import { ModerationCaseSchema } from '../../src/features/moderation/store/entities.js';
import { issueApiToken } from '../../src/http/api-tokens.js';
import type { RunningSteward } from '../../src/steward.js';
import { lockdownStatus, lockdownWorkflowId } from '../../workflows/raid/messages.js';
import { BOT_PERMISSIONS, createWorld, type World } from '../sandbox/world.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { eventually } from '../support/steward-process.js';
import { startTestSteward } from '../support/steward.js';
import { testClient } from '../support/temporal.js';

let world: World;
let db: TestDatabase;
let steward: RunningSteward;
let temporal: Client;
let token: string;
let approver: string;
let memberRole: string;
/** The accounts of the first raid, for its ban wave. */
let raiders: string[] = [];
/** The channels a lockdown locks: one with an @everyone overwrite of its own, one bare, one with slowmode already. */
const channels = { styled: '', bare: '', slow: '' };

type Overwrite = { id: string; type: number; allow: string; deny: string };
type SandboxChannel = { name: string; rate_limit_per_user?: number; permission_overwrites?: Overwrite[] };
type AlertCard = { id: string; embeds: { title: string; description: string; fields?: { name: string; value: string }[]; footer?: { text: string } }[]; components: { components: { custom_id: string; label: string }[] }[] };

beforeAll(async () => {
  world = await createWorld();
  const { driver } = world.sandbox;
  driver.addBotToGuild(world.app.applicationId, world.guildId, {
    permissions: BOT_PERMISSIONS | P.ManageChannels | P.ManageRoles | P.ManageGuild | P.ModerateMembers | P.KickMembers | P.SendMessagesInThreads | P.CreateInstantInvite | P.AttachFiles | P.EmbedLinks | P.BanMembers,
  });
  channels.styled = driver.createChannel(world.guildId, { name: 'styled' }).id;
  channels.bare = driver.createChannel(world.guildId, { name: 'bare' }).id;
  channels.slow = driver.createChannel(world.guildId, { name: 'slow' }).id;
  driver.editChannelByHand(world.ownerId, channels.styled, { overwrite: { id: world.guildId, type: 0, allow: P.AttachFiles, deny: P.EmbedLinks } });
  driver.editChannelByHand(world.ownerId, channels.slow, { slowmodeSeconds: 5 });
  // Steward's own role sits above the role its screening gate gives, as a server admin would arrange it.
  driver.grantRole(world.guildId, world.app.botUserId, driver.createRole(world.guildId, { name: 'Steward top', permissions: 0n, position: 6 }).id);
  memberRole = driver.createRole(world.guildId, { name: 'Verified', permissions: 0n, position: 2 }).id;
  const approvers = driver.createRole(world.guildId, { name: 'Approvers', permissions: 0n, position: 2 }).id;
  approver = driver.createUser({ username: 'approver' }).id;
  driver.addMember(world.guildId, approver, { roles: [approvers] });
  db = await createTestDatabase();
  steward = await startTestSteward(db, { world });
  temporal = await testClient();
  token = (await db.database.transaction((em) => issueApiToken(em, world.guildId, 'raid tests'))).token;
  expect((await api('PUT', '/approvals/settings', { channel_id: world.channelId, approver_role_ids: [approvers] })).status).toBe(200);
  await protect();
});

afterAll(async () => {
  await steward?.stop();
  await temporal?.connection.close();
  await world?.sandbox.close();
  await db?.drop();
});

async function api<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${steward.httpUrl}/api/v1/guilds/${world.guildId}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as T };
}

async function protect(settings: Record<string, unknown> = {}) {
  const saved = await api('PUT', '/raid/settings', {
    enabled: true,
    channel_ids: [channels.styled, channels.bare, channels.slow],
    alert_channel_id: world.channelId,
    quiet_minutes: 30,
    ...settings,
  });
  expect(saved).toMatchObject({ status: 200 });
}

const driver = () => world.sandbox.driver;
const channelOf = (id: string) => driver().channel(id) as unknown as SandboxChannel;
const everyoneOf = (id: string) => channelOf(id).permission_overwrites?.find((overwrite) => overwrite.id === world.guildId);
const lockedDown = () => channelsLocked().every(Boolean);
const channelsLocked = () => Object.values(channels).map((id) => channelOf(id).rate_limit_per_user === 30);
const guildFeatures = () => (driver().guild(world.guildId) as unknown as { features: string[] }).features;
/** What the lockdown may touch, as the server has it. */
const serverState = () => ({
  channels: Object.values(channels).map((id) => ({ slowmode: channelOf(id).rate_limit_per_user ?? 0, everyone: everyoneOf(id) ?? null })),
  features: guildFeatures(),
  verification: (driver().guild(world.guildId) as unknown as { verification_level: number }).verification_level,
});

function alertCards(): AlertCard[] {
  return (driver().channelMessages(world.channelId) as unknown as AlertCard[]).filter((message) => /^Lockdown/.test(message.embeds?.[0]?.footer?.text ?? ''));
}

async function lockdownRuns(): Promise<number> {
  const { count } = await temporal.workflow.count(`WorkflowId = '${lockdownWorkflowId(world.guildId)}'`);
  return count;
}

/** Clicks a button on the current alert card as `userId`; resolves with the ephemeral answer. */
async function press(userId: string, label: string | RegExp): Promise<string> {
  const card = alertCards().at(-1)!;
  const customId = card.components[0]!.components.find((component) => (typeof label === 'string' ? component.label === label : label.test(component.label)))!.custom_id;
  const click = driver().clickButton(userId, world.channelId, card.id, customId);
  return eventually(async () => (click.responses()[0] as { content?: string } | undefined)?.content || undefined, 15_000, `the answer to ${label}`);
}

test('organic growth, a join a second of aged accounts, never trips the detector', async () => {
  await driver().joinBurst(world.guildId, { count: 15, accountAgeDays: 400, intervalMs: 700, namePrefix: 'organic' });
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(await lockdownRuns()).toBe(0);
  expect(channelsLocked()).toEqual([false, false, false]);
});

test('30 new accounts joining in 5 s start one lockdown: slowmode on every chosen channel, an alert card, the raiders timed out', async () => {
  const before = serverState();
  raiders = await driver().joinBurst(world.guildId, { count: 30, accountAgeDays: 0.2, intervalMs: 160, namePrefix: 'raider' });
  await eventually(async () => (lockedDown() ? true : undefined), 20_000, 'slowmode on every channel');
  const card = await eventually(async () => alertCards().at(-1), 10_000, 'the alert card');
  expect(card.embeds[0]!.title).toMatch(/Raid detected/);
  expect(card.embeds[0]!.fields!.find((field) => field.name === 'Detected')!.value).toMatch(/joins in 10 s/);
  expect(card.components[0]!.components.map((component) => component.label)).toEqual(['Lift', 'Extend', 'Escalate', expect.stringMatching(/^Ban \d+ raiders$/)]);
  await eventually(async () => (raiders.every((id) => (driver().member(world.guildId, id) as { communication_disabled_until: string | null }).communication_disabled_until) ? true : undefined), 30_000, 'every raider timed out');
  // The burst crossed the threshold more than once; still one lockdown, one card.
  expect(await lockdownRuns()).toBe(1);
  expect(alertCards()).toHaveLength(1);
  // Only slowmode so far (level 1): nothing else touched.
  expect(serverState().channels.map((channel) => channel.everyone)).toEqual(before.channels.map((channel) => channel.everyone));
});

test("Lift by a member who is not an approver is refused in Steward's words; Escalate climbs; the lift restores exactly and keeps a moderator's own change", async () => {
  const before = { channels: [{ slowmode: 0, everyone: everyoneOf(channels.styled)! }, { slowmode: 0, everyone: null }, { slowmode: 5, everyone: null }], features: [], verification: 0 };
  expect(await press(world.memberId, 'Lift')).toBe('Only approvers can lift, extend or escalate a lockdown.');
  expect(lockedDown()).toBe(true);

  expect(await press(approver, 'Escalate')).toBe('Escalated to the next level.');
  await eventually(async () => (guildFeatures().includes('INVITES_DISABLED') ? true : undefined), 15_000, 'invites paused');
  const invite = driver().createInvite(world.ownerId, world.channelId);
  const newcomer = driver().createUser({ username: 'newcomer' }).id;
  expect(() => driver().joinWithInvite(newcomer, invite)).toThrow(/paused/);

  await press(approver, 'Escalate');
  await eventually(async () => (Object.values(channels).every((id) => BigInt(everyoneOf(id)?.deny ?? 0) & P.SendMessages) ? true : undefined), 15_000, '@everyone denied Send Messages');
  // Other bits of @everyone's own overwrite are kept while it is locked.
  expect(BigInt(everyoneOf(channels.styled)!.allow) & P.AttachFiles).toBe(P.AttachFiles);

  // An approver asks for a ban wave: one approval request for every raider, which another approver approves.
  expect(await press(approver, /^Ban \d+ raiders$/)).toBe('Asked the approvers to ban everyone who joined during the raid.');
  type ApprovalCard = { id: string; embeds: { title: string; fields: { name: string; value: string }[] }[]; components: { components: { custom_id: string; label: string }[] }[] };
  const request = await eventually(async () => (driver().channelMessages(world.channelId) as unknown as ApprovalCard[]).find((message) => message.embeds?.[0]?.title === 'Approval needed: Ban'), 15_000, 'the ban wave request');
  expect(request.embeds[0]!.fields.find((field) => field.name.startsWith('Members'))!.name).toBe(`Members (${raiders.length})`);
  const approve = request.components[0]!.components.find((component) => component.label === 'Approve')!.custom_id;
  const approved = driver().clickButton(world.ownerId, world.channelId, request.id, approve);
  await eventually(async () => (approved.responses().length > 0 ? true : undefined), 15_000, 'the approval answered');

  // A moderator opens #bare by hand during the lockdown.
  driver().editChannelByHand(world.ownerId, channels.bare, { overwrite: { id: world.guildId, type: 0, allow: P.SendMessages, deny: 0n } });
  expect(await press(approver, 'Lift')).toMatch(/^Lifting the lockdown/);
  const lifted = await eventually(async () => alertCards().find((card) => card.embeds[0]!.title === 'Lockdown lifted'), 30_000, 'the lifted card');
  expect(lifted.embeds[0]!.description).toBe(`Lifted by <@${approver}>.`);
  expect(lifted.embeds[0]!.fields!.find((field) => field.name === 'Kept as moderators changed them')!.value).toBe("#bare: @everyone's permissions");
  expect(lifted.components).toEqual([]);

  const after = serverState();
  expect(after.channels[0]).toEqual(before.channels[0]);
  expect(after.channels[1]).toEqual({ slowmode: 0, everyone: { id: world.guildId, type: 0, allow: String(P.SendMessages), deny: '0' } });
  expect(after.channels[2]).toEqual(before.channels[2]);
  expect(after.features).toEqual(before.features);
  expect(driver().joinWithInvite(newcomer, invite)).toBeDefined();

  // The lockdown is a case in the moderation log, with its timeline.
  const status = await temporal.workflow.getHandle(lockdownWorkflowId(world.guildId)).query(lockdownStatus);
  // The case is closed by the lockdown's last step, just after the card shows the lift.
  const logged = await eventually(async () => {
    const found = await db.database.fork().findOneOrFail(ModerationCaseSchema, { guildId: world.guildId, number: status.caseNumber! });
    return found.status === 'lifted' ? found : undefined;
  }, 10_000, 'the lockdown case to be closed');
  expect(logged).toMatchObject({ kind: 'lockdown', status: 'lifted', source: 'raid' });
  expect(logged.timeline!.map((entry) => entry.what).join('\n')).toMatch(/Level 1[\s\S]*Escalated by[\s\S]*Level 3[\s\S]*Lift pressed by[\s\S]*kept 1 changed by hand/);
  expect(await caseById(db.database.fork(), logged.id)).not.toBeNull();
  // The wave, approved while the lockdown lasted, bans every raider (Discord allows 5 bans per 5 s).
  await eventually(async () => (raiders.every((id) => driver().bans(world.guildId).some((ban) => ban.userId === id)) ? true : undefined), 90_000, 'every raider banned');
}, 180_000);

test('a quiet spell lifts the lockdown on its own timer, restoring every channel', async () => {
  await protect({ quiet_minutes: 1 });
  const before = serverState();
  await driver().joinBurst(world.guildId, { count: 25, accountAgeDays: 0.2, intervalMs: 100, namePrefix: 'wave' });
  await eventually(async () => (lockedDown() ? true : undefined), 20_000, 'the second lockdown');
  const locked = Date.now();
  await eventually(async () => (alertCards().filter((card) => card.embeds[0]!.title === 'Lockdown lifted').length === 2 ? true : undefined), 120_000, 'the lift after a quiet minute');
  expect(Date.now() - locked).toBeGreaterThan(50_000);
  expect(alertCards().at(-1)!.embeds[0]!.description).toBe('Lifted after a quiet spell.');
  expect(serverState()).toEqual(before);
}, 150_000);

test('spam heat times a member out; the next strike times them out for longer', async () => {
  const { driver: sandbox } = world.sandbox;
  const spammer = sandbox.createUser({ username: 'spammer' }).id;
  sandbox.addMember(world.guildId, spammer, { joinedAt: new Date(Date.now() - 86_400_000 * 30) });
  const timeoutLeft = () => Date.parse(String((sandbox.member(world.guildId, spammer) as { communication_disabled_until: string | null }).communication_disabled_until)) - Date.now();
  for (let index = 0; index < 6; index++) sandbox.sendMessage(spammer, channels.bare, { content: `buy cheap stuff ${index}` });
  const first = await eventually(async () => (timeoutLeft() > 0 ? timeoutLeft() : undefined), 20_000, 'the first timeout');
  expect(first).toBeLessThanOrEqual(60_000);
  sandbox.moderateByHand(world.ownerId, world.guildId, { type: 'timeout', targetId: spammer, until: null });
  await new Promise((resolve) => setTimeout(resolve, 10_500));
  for (let index = 0; index < 6; index++) sandbox.sendMessage(spammer, channels.bare, { content: `https://spam.example/${index} https://spam.example/again` });
  const second = await eventually(async () => (timeoutLeft() > 60_000 ? timeoutLeft() : undefined), 20_000, 'the longer timeout');
  expect(second).toBeGreaterThan(9 * 60_000);
  expect(second).toBeLessThanOrEqual(10 * 60_000);
}, 90_000);

test('settings that make no sense, or channels a lockdown could not change, are refused with what to fix', async () => {
  const answer = async (options: Record<string, unknown>) => {
    const command = driver().runSlashCommand(world.ownerId, world.guildId, world.channelId, 'config raid set', options as never);
    return eventually(async () => (command.responses()[0] as { content?: string } | undefined)?.content || undefined, 15_000, 'the /config answer');
  };
  expect(await answer({ joins: 0 })).toBe('joins: must be at least 2 joins. Nothing was changed.');
  expect(await answer({ window: 0 })).toBe('window: must be at least 1 second. Nothing was changed.');
  expect(await answer({ 'quiet-minutes': 2000 })).toBe('quiet-minutes: must be at most a day. Nothing was changed.');
  expect(await answer({ 'strike-minutes': '1, soon' })).toMatch(/^strike-minutes: .+\. Nothing was changed\.$/);
  const closed = driver().createChannel(world.guildId, { name: 'closed' }).id;
  driver().editChannelByHand(world.ownerId, closed, { overwrite: { id: world.app.botUserId, type: 1, allow: 0n, deny: P.ManageRoles } });
  expect(await answer({ 'add-channel': closed })).toBe(`A lockdown could not do its job:\n• <#${closed}>: Steward lacks Manage Permissions there.\nNothing was changed.`);
  // Rewriting @everyone's overwrite would write bits Steward does not hold itself, which Discord refuses.
  const announcements = driver().createChannel(world.guildId, { name: 'announcements' }).id;
  driver().editChannelByHand(world.ownerId, announcements, { overwrite: { id: world.guildId, type: 0, allow: 0n, deny: P.ManageWebhooks } });
  expect(await answer({ 'add-channel': announcements })).toBe(`A lockdown could not do its job:\n• <#${announcements}>: Steward lacks Manage Webhooks there.\nNothing was changed.`);
  const refused = await api<{ error: { code: string; details: { path: string; message: string }[] } }>('PUT', '/raid/settings', { enabled: true, channel_ids: [closed], quiet_minutes: 0 });
  expect(refused.status).toBe(400);
  expect(JSON.stringify(refused.body)).toMatch(/quiet_minutes/);
  const unusable = await api<{ error: { code: string } }>('PUT', '/raid/settings', { enabled: true, channel_ids: [closed] });
  expect(unusable.status).toBe(422);
  expect(JSON.stringify(unusable.body)).toContain('Steward lacks Manage Permissions there.');
  const kept = await api<{ channel_ids: string[] }>('GET', '/raid/settings');
  expect(kept.body.channel_ids).not.toContain(closed);
});

test('the screening gate: Verify with the right answer gives the member role; a too-new account cannot verify and is kicked in time', async () => {
  const { driver: sandbox } = world.sandbox;
  const slash = async (options: Record<string, unknown>) => {
    const command = sandbox.runSlashCommand(world.ownerId, world.guildId, world.channelId, 'config raid screening', options as never);
    return eventually(async () => (command.responses()[0] as { content?: string } | undefined)?.content || undefined, 15_000, 'the /config answer');
  };
  expect(await slash({ enabled: true, 'member-role': memberRole, question: 'What do we call the community garden on the corner?' })).toMatch(
    /^question: Discord shows at most 45 characters above a text box; answer: a question needs its answer/,
  );
  const saved = await slash({ enabled: true, 'member-role': memberRole, 'min-age-days': 3, question: 'What is two plus two?', answer: 'Four', 'kick-after': 1, 'post-in': world.channelId });
  expect(saved).toMatch(/Screening gate: on; Verify gives <@&\d+> to accounts at least 3 days old who answer "What is two plus two\?"; unverified members are kicked after 1 minute/);
  type Card = { id: string; embeds: { title: string }[]; components: { components: { custom_id: string; label: string }[] }[] };
  const gate = await eventually(async () => (sandbox.channelMessages(world.channelId) as unknown as Card[]).find((message) => message.embeds?.[0]?.title === 'Welcome!'), 10_000, 'the Verify card');
  const verify = gate.components[0]!.components[0]!.custom_id;

  const fresh = sandbox.createUser({ username: 'fresh', createdAt: new Date(Date.now() - 86_400_000) }).id;
  sandbox.addMember(world.guildId, fresh);
  const settled = sandbox.createUser({ username: 'settled', createdAt: new Date(Date.now() - 10 * 86_400_000) }).id;
  sandbox.addMember(world.guildId, settled);
  const joinedAt = Date.now();

  /** Verify, then the modal's answer; resolves with what the member reads. */
  const verifyAs = async (userId: string, answer: string) => {
    const click = sandbox.clickButton(userId, world.channelId, gate.id, verify);
    const modal = await eventually(async () => click.modal() as { custom_id: string; title: string } | undefined, 10_000, 'the question');
    expect(modal.title).toBe('Verify');
    const submitted = sandbox.submitModal(userId, click.id, { customId: modal.custom_id, fields: { answer } });
    return eventually(async () => (submitted.responses()[0] as { content?: string } | undefined)?.content || undefined, 15_000, 'the answer to Verify');
  };
  const roles = (userId: string) => (sandbox.member(world.guildId, userId) as { roles: string[] } | undefined)?.roles;
  expect(await verifyAs(settled, 'five')).toBe("That's not the answer; try again.");
  expect(roles(settled)).not.toContain(memberRole);
  expect(await verifyAs(settled, '  four ')).toBe('Welcome! You are verified.');
  expect(roles(settled)).toContain(memberRole);
  expect(await verifyAs(fresh, 'four')).toBe('Your account is too new to join yet: accounts must be at least 3 days old. A moderator can let you in.');

  await eventually(async () => (sandbox.member(world.guildId, fresh) === undefined ? true : undefined), 90_000, 'the unverified member kicked');
  expect(Date.now() - joinedAt).toBeGreaterThan(55_000);
  expect(sandbox.member(world.guildId, settled)).toBeDefined();
  expect(sandbox.auditLog(world.guildId).some((entry) => (entry as { target_id?: string; reason?: string }).target_id === fresh && /Did not verify within 1 minute$/.test(String((entry as { reason?: string }).reason)))).toBe(true);
}, 150_000);
