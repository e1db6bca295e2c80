// The moderation ladder end to end: moderators' commands open numbered cases; warnings add decaying points that
// climb the ladder; kicks and bans go through approval unless the moderator's role acts directly; timed punishments
// end on durable timers that re-read the case; actions taken by hand in Discord become cases from the audit log.
// discord.js against the sandbox (rate limits on), real Temporal, real PostgreSQL.
import { randomUUID } from 'node:crypto';
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import { issueApiToken } from '../../src/http/api-tokens.js';
import type { RunningSteward } from '../../src/steward.js';
import { BOT_PERMISSIONS, createWorld, type World } from '../sandbox/world.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { button, type Card } from '../support/review-cards.js';
import { eventually } from '../support/steward-process.js';
import { startTestSteward } from '../support/steward.js';
import { testClient } from '../support/temporal.js';
import { callGuildApi } from '../support/guild-api.js';

let world: World;
let db: TestDatabase;
let steward: RunningSteward;
let token: string;
/** mod moderates (kick and ban through approval); senior's role acts directly; bob approves. */
const people = { mod: '', senior: '', bob: '' };
const roles = { moderators: '', senior: '', approvers: '', muted: '', high: '' };

beforeAll(async () => {
  world = await createWorld();
  const { driver } = world.sandbox;
  driver.addBotToGuild(world.app.applicationId, world.guildId, {
    permissions: BOT_PERMISSIONS | P.BanMembers | P.KickMembers | P.ModerateMembers | P.ManageRoles | P.ViewAuditLog,
  });
  // The bot's managed role sits at position 1; move it up so it outranks the mute role, as a server admin would.
  driver.grantRole(world.guildId, world.app.botUserId, driver.createRole(world.guildId, { name: 'Steward top', permissions: 0n, position: 6 }).id);
  const moderation = P.ModerateMembers | P.KickMembers | P.BanMembers;
  roles.moderators = driver.createRole(world.guildId, { name: 'Mods', permissions: moderation, position: 4 }).id;
  roles.senior = driver.createRole(world.guildId, { name: 'Senior mods', permissions: moderation, position: 4 }).id;
  roles.approvers = driver.createRole(world.guildId, { name: 'Approvers', permissions: 0n, position: 2 }).id;
  roles.muted = driver.createRole(world.guildId, { name: 'Muted', permissions: 0n, position: 2 }).id;
  // Created last and highest, so it stays above Steward's roles (Discord moves roles up when one is inserted below).
  roles.high = driver.createRole(world.guildId, { name: 'Above Steward', permissions: 0n, position: 100 }).id;
  people.mod = driver.createUser({ username: 'mod' }).id;
  people.senior = driver.createUser({ username: 'senior' }).id;
  people.bob = driver.createUser({ username: 'bob' }).id;
  driver.addMember(world.guildId, people.mod, { roles: [roles.moderators] });
  driver.addMember(world.guildId, people.senior, { roles: [roles.senior] });
  driver.addMember(world.guildId, people.bob, { roles: [roles.approvers] });
  db = await createTestDatabase();
  steward = await startTestSteward(db, { world });
  token = (await db.database.transaction((em) => issueApiToken(em, world.guildId, 'moderation tests'))).token;
  await api('PUT', '/approvals/settings', { channel_id: world.channelId, approver_role_ids: [roles.approvers] });
  await configure();
});

afterAll(async () => {
  await steward?.stop();
  await world?.sandbox.close();
  await db?.drop();
});

const api = <T>(method: string, path: string, body?: unknown) => callGuildApi<T>({ httpUrl: steward.httpUrl, guildId: world.guildId, token }, method, path, body);

async function configure(settings: Record<string, unknown> = {}) {
  const saved = await api('PUT', '/moderation/settings', {
    moderator_role_ids: [roles.moderators],
    direct_action_role_ids: [roles.senior],
    mute_role_id: roles.muted,
    ...settings,
  });
  expect(saved.status).toBe(200);
}

function newMember(extraRoles: string[] = []): string {
  const id = world.sandbox.driver.createUser({ username: `member-${randomUUID().slice(0, 6)}` }).id;
  world.sandbox.driver.addMember(world.guildId, id, { roles: extraRoles });
  return id;
}

/** Runs a slash command as `userId` and returns the reply once it has the words the workflow writes. */
async function command(userId: string, name: string, options: Record<string, unknown>, reply: RegExp): Promise<string> {
  const handle = world.sandbox.driver.runSlashCommand(userId, world.guildId, world.channelId, name, options as never);
  const answer = await world.sandbox.driver
    .waitFor(() => (handle.responses() as { content?: string }[]).find((message) => reply.test(message.content ?? '')), 20_000)
    .catch((error: Error) => {
      throw new Error(`/${name} answered ${JSON.stringify(handle.responses().map((message) => message.content))}, not ${reply}: ${error.message}`);
    });
  return answer.content!;
}

interface CaseJson {
  number: number;
  kind: string;
  status: string;
  source: string;
  moderator_id: string | null;
  reason: string;
  reason_history: { reason: string; by: string }[];
  duration_seconds: number | null;
}

async function casesOf(memberId: string) {
  return (await api<{ points: number; cases: CaseJson[] }>('GET', `/moderation/cases?member=${memberId}`)).body;
}

function caseWhere(memberId: string, match: (found: CaseJson) => boolean, what: string, timeoutMs = 20_000): Promise<CaseJson> {
  return eventually(async () => (await casesOf(memberId)).cases.find(match), timeoutMs, what);
}

const timedOutUntil = (memberId: string) => (world.sandbox.driver.member(world.guildId, memberId) as { communication_disabled_until?: string | null } | undefined)?.communication_disabled_until ?? null;
const isBanned = (memberId: string) => world.sandbox.driver.bans(world.guildId).some((ban) => ban.userId === memberId);

test('a warning opens a numbered case, tells the member by DM, and adds a point', async () => {
  const target = newMember();
  const reply = await command(people.mod, 'warn', { member: target, reason: 'Spamming #general' }, /^Case #\d+/);
  expect(reply).toMatch(/^Case #\d+: <@\d+> was warned\. They now have 1 point\.$/);
  const [dm] = world.sandbox.driver.dmsFor(target) as { content: string }[];
  expect(dm?.content).toMatch(/^You received a warning in \*\*Test Guild\*\*\.\nReason: Spamming #general\nCase #\d+$/);
  const { points, cases } = await casesOf(target);
  expect(points).toBe(1);
  expect(cases).toEqual([expect.objectContaining({ kind: 'warn', status: 'applied', source: 'command', moderator_id: people.mod })]);
});

test('points decay, and the ladder fires again when new warnings raise them past the threshold', async () => {
  // One point forgiven every 2 seconds; 2 points time a member out for 10 minutes.
  await configure({ decay_interval_seconds: 2, ladder: [{ points: 2, action: { type: 'timeout', durationSeconds: 600 } }] });
  try {
    const target = newMember();
    const first = await command(people.mod, 'warn', { member: target, reason: 'First', points: 2 }, /^Case #\d+/);
    expect(first).toContain('That reaches 2: the ladder asks for a 10 minutes timeout.');
    const ladderCase = await caseWhere(target, (found) => found.kind === 'timeout' && found.status === 'applied', 'the ladder timeout');
    expect(ladderCase.source).toBe('ladder');
    expect(timedOutUntil(target)).not.toBeNull();
    // Decay brings the balance back to zero; a new warning of 2 crosses the threshold again.
    await new Promise((resolve) => setTimeout(resolve, 4_500));
    const second = await command(people.mod, 'warn', { member: target, reason: 'Second', points: 2 }, /^Case #\d+/);
    expect(second).toContain('That reaches 2');
    await eventually(async () => ((await casesOf(target)).cases.filter((found) => found.kind === 'timeout').length === 2 ? true : undefined), 20_000, 'a second ladder timeout');
    // One point on top of a decayed balance below the threshold does not fire it.
    await new Promise((resolve) => setTimeout(resolve, 4_500));
    const third = await command(people.mod, 'warn', { member: target, reason: 'Third' }, /^Case #\d+/);
    expect(third).not.toContain('ladder');
  } finally {
    await configure();
  }
});

test('a kick from a moderator waits for an approver; a ban from a direct-action role applies at once', async () => {
  const target = newMember();
  const reply = await command(people.mod, 'kick', { member: target, reason: 'Raid account' }, /^Case #\d+/);
  const number = /^Case #(\d+)/.exec(reply)![1];
  expect(reply).toBe(`Case #${number}: the kick of <@${target}> waits for approval.`);
  const card = await world.sandbox.driver.waitFor(() =>
    (world.sandbox.driver.channelMessages(world.channelId) as unknown as Card[]).find((message) => message.embeds?.some((embed) => embed.footer?.text === `Case mod-${number}`)),
  10_000);
  world.sandbox.driver.clickButton(people.bob, world.channelId, card.id, button(card, 'Approve'));
  await caseWhere(target, (found) => found.kind === 'kick' && found.status === 'applied', 'the approved kick');
  expect(world.sandbox.driver.member(world.guildId, target)).toBeUndefined();

  const other = newMember();
  const banned = await command(people.senior, 'ban', { member: other, reason: 'Scam links' }, /^Case #\d+/);
  expect(banned).toMatch(/^Case #\d+: <@\d+> was banned\.$/);
  expect(isBanned(other)).toBe(true);
});

test.each([
  ['a 500', (route: string) => world.sandbox.faults.serverError(route, { times: 1 }), 500],
  ['a 429', (route: string) => world.sandbox.faults.rateLimit(route, { times: 1, retryAfterMs: 300 }), 429],
])('%s from Discord during a direct ban is retried: exactly one ban', async (_name, inject, status) => {
  const target = newMember();
  inject('PUT /guilds/:guild_id/bans/:user_id');
  await command(people.senior, 'ban', { member: target, reason: 'Retried ban' }, /was banned/);
  const puts = world.sandbox.driver.restLog().filter((entry) => entry.method === 'PUT' && entry.path.endsWith(`/bans/${target}`));
  expect(puts.map((entry) => entry.status)).toEqual([status, 204]);
  expect(world.sandbox.driver.bans(world.guildId).filter((ban) => ban.userId === target)).toHaveLength(1);
});

test('a temporary ban is lifted on time; a later permanent ban cancels the pending unban', async () => {
  const lifted = newMember();
  const created = await api('POST', '/moderation/cases', { idempotency_key: `temp-${lifted}`, kind: 'ban', target_id: lifted, reason: 'Cool off', duration_seconds: 5, moderator_id: people.senior, direct: true });
  expect(created.status).toBe(202);
  await eventually(async () => (isBanned(lifted) ? true : undefined), 10_000, 'the temporary ban');
  await caseWhere(lifted, (found) => found.kind === 'ban' && found.status === 'ended', 'the ban to end', 20_000);
  expect(isBanned(lifted)).toBe(false);

  const kept = newMember();
  await api('POST', '/moderation/cases', { idempotency_key: `temp-${kept}`, kind: 'ban', target_id: kept, reason: 'Cool off', duration_seconds: 6, moderator_id: people.senior, direct: true });
  await eventually(async () => (isBanned(kept) ? true : undefined), 10_000, 'the temporary ban');
  await command(people.senior, 'ban', { member: kept, reason: 'Came back as a scammer' }, /was banned/);
  await caseWhere(kept, (found) => found.kind === 'ban' && found.status === 'superseded', 'the temporary ban to be superseded');
  await new Promise((resolve) => setTimeout(resolve, 7_000));
  expect(isBanned(kept)).toBe(true);
  const unbans = world.sandbox.driver.restLog().filter((entry) => entry.method === 'DELETE' && entry.path.endsWith(`/bans/${kept}`));
  expect(unbans).toEqual([]);
});

test('a member who rejoins while muted is muted again; a changed duration moves the end without a new DM', async () => {
  const target = newMember();
  await api('POST', '/moderation/cases', { idempotency_key: `mute-${target}`, kind: 'mute', target_id: target, reason: 'Heated', duration_seconds: 3_600, moderator_id: people.mod });
  const hasMuteRole = () => ((world.sandbox.driver.member(world.guildId, target) as { roles: string[] } | undefined)?.roles ?? []).includes(roles.muted);
  await eventually(async () => (hasMuteRole() ? true : undefined), 10_000, 'the mute role');
  const muteCase = await caseWhere(target, (found) => found.kind === 'mute' && found.status === 'applied', 'the mute case');
  // The mute's timer is running (it starts right after the case is applied) before the member leaves.
  const timer = (await testClient()).workflow.getHandle(`punishment:${world.guildId}:${target}:mute`);
  await eventually(async () => ((await timer.describe().catch(() => undefined))?.status.name === 'RUNNING' ? true : undefined), 10_000, 'the mute timer');
  world.sandbox.driver.removeMember(world.guildId, target);
  world.sandbox.driver.addMember(world.guildId, target);
  await eventually(async () => (hasMuteRole() ? true : undefined), 10_000, 'the mute role again after the rejoin');
  const dmsBefore = world.sandbox.driver.dmsFor(target).length;
  const changed = await api<CaseJson>('PATCH', `/moderation/cases/${muteCase.number}`, { duration_seconds: 6, amended_by: people.mod });
  expect(changed.status).toBe(200);
  await caseWhere(target, (found) => found.number === muteCase.number && found.status === 'ended', 'the mute to end at its new time', 20_000);
  expect(hasMuteRole()).toBe(false);
  expect(world.sandbox.driver.dmsFor(target)).toHaveLength(dmsBefore);
});

test('a timeout longer than 28 days is applied for Discord\'s 28 and kept for the rest', async () => {
  const target = newMember();
  await api('POST', '/moderation/cases', { idempotency_key: `long-${target}`, kind: 'timeout', target_id: target, reason: 'Long break', duration_seconds: 40 * 86_400, moderator_id: people.mod });
  const until = await eventually(async () => timedOutUntil(target) ?? undefined, 10_000, 'the timeout');
  const days = (Date.parse(until) - Date.now()) / 86_400_000;
  expect(days).toBeGreaterThan(27.9);
  expect(days).toBeLessThanOrEqual(28);
  const found = await caseWhere(target, (entry) => entry.kind === 'timeout' && entry.status !== 'pending', 'the case');
  expect(found).toEqual(expect.objectContaining({ status: 'applied', duration_seconds: 40 * 86_400 }));
});

test('bans and kicks made by hand in Discord become cases naming the moderator', async () => {
  const target = newMember();
  world.sandbox.driver.moderateByHand(people.senior, world.guildId, { type: 'ban', targetId: target, reason: 'Obvious spam bot' });
  const found = await caseWhere(target, (entry) => entry.kind === 'ban', 'the manual ban case');
  expect(found).toEqual(expect.objectContaining({ status: 'applied', source: 'manual', moderator_id: people.senior, reason: 'Obvious spam bot' }));
  // Steward's own actions are in the audit log too, but are not logged twice.
  const other = newMember();
  await command(people.senior, 'kick', { member: other, reason: 'Direct kick' }, /was kicked/);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect((await casesOf(other)).cases).toHaveLength(1);
});

test('bad input gets a short answer and changes nothing', async () => {
  const target = newMember();
  const unreadable = world.sandbox.driver.runSlashCommand(people.mod, world.guildId, world.channelId, 'timeout', { member: target, duration: 'soon', reason: 'x' } as never);
  await world.sandbox.driver.waitFor(() => (unreadable.responses() as { content?: string }[]).find((m) => m.content === 'I could not read "soon" as a duration. Write it like 30m, 2h, 7d or 1w.'));
  const stranger = world.sandbox.driver.createUser({ username: 'stranger' }).id;
  const absent = world.sandbox.driver.runSlashCommand(people.mod, world.guildId, world.channelId, 'warn', { member: stranger, reason: 'x' } as never);
  await world.sandbox.driver.waitFor(() => (absent.responses() as { content?: string }[]).find((m) => m.content === `<@${stranger}> is not a member of this server.`));
  const notMod = world.sandbox.driver.runSlashCommand(world.ownerId, world.guildId, world.channelId, 'warn', { member: world.memberId, reason: 'x' } as never);
  await notMod.waitForAck();
  // Above Steward's highest role: refused before the member is told anything.
  const high = newMember([roles.high]);
  const refused = await command(people.senior, 'timeout', { member: high, duration: '1h', reason: 'Too high' }, /was not applied/);
  expect(refused).toMatch(/not applied: That member's highest role is not below Steward's/);
  expect(world.sandbox.driver.dmsFor(high)).toEqual([]);
  expect(timedOutUntil(high)).toBeNull();
  expect((await casesOf(high)).cases).toEqual([expect.objectContaining({ kind: 'timeout', status: 'failed' })]);
  expect((await casesOf(target)).cases).toEqual([]);
});

test('/reason amends a case and keeps the earlier reason; /cases lists the history', async () => {
  const target = newMember();
  const reply = await command(people.mod, 'warn', { member: target, reason: 'Wrong channel' }, /^Case #\d+/);
  const number = Number(/^Case #(\d+)/.exec(reply)![1]);
  await command(people.mod, 'reason', { number, reason: 'Posted an ad in the wrong channel' }, /reason is now/);
  const [found] = (await casesOf(target)).cases;
  expect(found).toEqual(expect.objectContaining({ reason: 'Posted an ad in the wrong channel', reason_history: [expect.objectContaining({ reason: 'Wrong channel', by: people.mod })] }));
  const listed = await command(people.mod, 'cases', { member: target }, /has 1 point/);
  expect(listed).toContain(`#${number} warn +1`);
});

test('with no language model configured, automatic moderation lets the pre-filter decide, and says so', async () => {
  await configure({ automod: { enabled: true, maxMentions: 3 } });
  try {
    const author = newMember();
    const [a, b, c] = [newMember(), newMember(), newMember()];
    world.sandbox.driver.sendMessage(author, world.channelId, { content: `hey <@${a}> <@${b}> <@${c}> look at this` });
    const found = await caseWhere(author, (entry) => entry.source === 'automod' && entry.status !== 'pending', 'the automod case');
    expect(found).toEqual(expect.objectContaining({ kind: 'timeout', status: 'applied', duration_seconds: 600 }));
    expect(found.reason).toBe("Automatic moderation (pre-filter rules): Matched the server's automatic rules (mentions); no language model is configured, so these rules decided.");
  } finally {
    await configure();
  }
});

test('/config changes the ladder, automod and approvals from Discord; values it cannot use change nothing', async () => {
  const owner = world.ownerId;
  try {
    const unreadable = await command(owner, 'config moderation rung', { points: 4, action: 'timeout', duration: 'soon' }, /Nothing was changed/);
    expect(unreadable).toBe('A timeout rung needs a duration from 1 minute to 28 days, like 1h or 3d. Nothing was changed.');
    const saved = await command(owner, 'config moderation rung', { points: 4, action: 'timeout', duration: '2h' }, /^Saved/);
    expect(saved).toContain('Ladder: 3 → timeout for 1 hour, 4 → timeout for 2 hours, 5 → kick, 7 → ban');
    const badPattern = await command(owner, 'config automod set', { 'add-pattern': '(unclosed' }, /Nothing was changed/);
    expect(badPattern).toBe('"(unclosed" is not a valid regular expression. Nothing was changed.');
    await command(owner, 'config automod set', { enabled: true, words: 'free nitro, scam' }, /^Saved/);
    const settings = (await api<{ ladder: { points: number }[]; automod: { enabled: boolean; words: string[] } }>('GET', '/moderation/settings')).body;
    expect(settings.ladder.map((rung) => rung.points)).toEqual([3, 4, 5, 7]);
    expect(settings.automod).toEqual(expect.objectContaining({ enabled: true, words: ['free nitro', 'scam'] }));
    // Only bob holds the approver role here (with the owner): a quorum of 3 could never be met.
    const quorum = await command(owner, 'config approvals set', { quorum: 3 }, /Nothing was changed/);
    expect(quorum).toMatch(/^A quorum of 3 can never be met: only 2 members can approve/);
    expect(() => world.sandbox.driver.runSlashCommand(people.mod, world.guildId, world.channelId, 'config moderation show')).toThrow(/needs permissions/);
  } finally {
    await configure();
  }
});
