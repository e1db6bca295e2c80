// XP leveling end to end: members' messages through the gateway earn XP in the adapter (cooldown, bounds,
// multipliers, ignored channels), written in batches; level-ups follow the curve and start a workflow that gives
// reward roles (stacking or replacing) and announces; a rejoining member gets their rewards back; /rank,
// /leaderboard with its page buttons, /xp and /config xp; the HTTP API. Steward in-process against the sandbox
// (rate limits on), real Temporal, real PostgreSQL.
import { randomUUID } from 'node:crypto';
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import { xpForLevel, CURVE_PRESETS } from '../../workflows/leveling/curve.js';
import { sweepUnrewardedLevels } from '../../src/features/leveling/xp-writer.js';
import { issueApiToken } from '../../src/http/api-tokens.js';
import type { RunningSteward } from '../../src/steward.js';
import { FlowStarter } from '../../src/temporal/start-flow.js';
import { BOT_PERMISSIONS, createWorld, type World } from '../sandbox/world.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { eventually } from '../support/steward-process.js';
import { startTestSteward } from '../support/steward.js';
import { testClient } from '../support/temporal.js';
import { callGuildApi } from '../support/guild-api.js';

let world: World;
let db: TestDatabase;
let steward: RunningSteward;
let token: string;
const channels = { talk: '', doubled: '', quiet: '', levels: '' };
const roles = { top: '', bronze: '', silver: '', booster: '', helper: '' };
let admin = '';

beforeAll(async () => {
  world = await createWorld();
  const { driver } = world.sandbox;
  driver.addBotToGuild(world.app.applicationId, world.guildId, { permissions: BOT_PERMISSIONS | P.ManageRoles });
  roles.top = driver.createRole(world.guildId, { name: 'Steward top', permissions: 0n, position: 10 }).id;
  driver.grantRole(world.guildId, world.app.botUserId, roles.top);
  roles.bronze = driver.createRole(world.guildId, { name: 'Bronze', permissions: 0n, position: 2 }).id;
  roles.silver = driver.createRole(world.guildId, { name: 'Silver', permissions: 0n, position: 3 }).id;
  roles.booster = driver.createRole(world.guildId, { name: 'Booster', permissions: 0n, position: 2 }).id;
  roles.helper = driver.createRole(world.guildId, { name: 'Helper', permissions: 0n, position: 2 }).id;
  const admins = driver.createRole(world.guildId, { name: 'Admins', permissions: P.ManageGuild, position: 4 }).id;
  for (const name of Object.keys(channels) as (keyof typeof channels)[]) channels[name] = driver.createChannel(world.guildId, { name }).id;
  admin = member([admins]);
  db = await createTestDatabase();
  steward = await startTestSteward(db, { world });
  token = (await db.database.transaction((em) => issueApiToken(em, world.guildId, 'leveling tests'))).token;
});

afterAll(async () => {
  await steward?.stop();
  await world?.sandbox.close();
  await db?.drop();
});

function member(extraRoles: string[] = []): string {
  const id = world.sandbox.driver.createUser({ username: `member-${randomUUID().slice(0, 6)}` }).id;
  world.sandbox.driver.addMember(world.guildId, id, { roles: extraRoles });
  return id;
}

const api = <T>(method: string, path: string, body?: unknown) => callGuildApi<T>({ httpUrl: steward.httpUrl, guildId: world.guildId, token }, method, path, body);

interface LevelJson {
  xp: number;
  level: number;
  place: number | null;
  messages: number;
}

async function configure(settings: Record<string, unknown>) {
  const saved = await api('PUT', '/xp/settings', settings);
  expect(saved.status).toBe(200);
}

const levelOf = async (userId: string) => (await api<LevelJson>('GET', `/users/${userId}/level`)).body;
/** Waits for the adapter's next write to show the member's XP at `xp` (written every two seconds). */
const xpReaches = (userId: string, predicate: (level: LevelJson) => boolean) => eventually(async () => { const level = await levelOf(userId); return predicate(level) ? level : undefined; }, 10_000, 'the XP write');
const memberRoles = (userId: string) => (world.sandbox.driver.member(world.guildId, userId) as { roles: string[] }).roles;
const say = (userId: string, channelId = channels.talk, content = 'hello there') => world.sandbox.driver.sendMessage(userId, channelId, { content });

describe('earning XP', () => {
  test("MEE6's defaults: a message earns 15–25 XP, then nothing for a minute; an ignored channel and a bot earn none", async () => {
    await configure({ ignored_channel_ids: [channels.quiet] });
    const talker = member();
    for (let index = 0; index < 5; index++) say(talker);
    say(talker, channels.quiet);
    const bot = world.sandbox.driver.createUser({ username: `bot-${randomUUID().slice(0, 6)}`, bot: true }).id;
    world.sandbox.driver.addMember(world.guildId, bot);
    say(bot);
    const earned = await xpReaches(talker, (level) => level.xp > 0);
    expect(earned.xp).toBeGreaterThanOrEqual(15);
    expect(earned.xp).toBeLessThanOrEqual(25);
    expect(earned.messages).toBe(1);
    // Two more writes go by: the other four messages were inside the cooldown.
    await new Promise((resolve) => setTimeout(resolve, 4_500));
    expect((await levelOf(talker)).xp).toBe(earned.xp);
    expect(await levelOf(bot)).toMatchObject({ xp: 0, place: null });
  });

  test("multipliers: the channel's times the largest of the member's roles'", async () => {
    await configure({ xp_min: 10, xp_max: 10, cooldown_seconds: 0, channel_multipliers: { [channels.doubled]: 2 }, role_multipliers: { [roles.booster]: 3, [roles.helper]: 1.5 } });
    const boosted = member([roles.booster, roles.helper]);
    say(boosted, channels.doubled);
    expect((await xpReaches(boosted, (level) => level.xp > 0)).xp).toBe(60);
    const plain = member();
    say(plain);
    say(plain);
    expect((await xpReaches(plain, (level) => level.messages === 2)).xp).toBe(20);
  });
});

describe('levels and rewards', () => {
  test("levels follow the curve; each level-up is announced once and its reward roles stack", async () => {
    await configure({ xp_min: 100, xp_max: 100, cooldown_seconds: 0, role_rewards: [{ level: 1, role_id: roles.bronze }, { level: 2, role_id: roles.silver }], reward_mode: 'stack', announce: 'channel', announce_channel_id: channels.levels });
    const climber = member();
    say(climber);
    expect(await xpReaches(climber, (level) => level.xp === 100)).toMatchObject({ level: 1 });
    await eventually(async () => (memberRoles(climber).includes(roles.bronze) ? true : undefined), 10_000, 'the bronze role');
    say(climber);
    say(climber);
    // MEE6: level 1 costs 100, level 2 155 more: 300 XP is level 2.
    expect(await xpReaches(climber, (level) => level.xp === 300)).toMatchObject({ level: 2 });
    expect(xpForLevel(CURVE_PRESETS.mee6, 2)).toBe(255);
    await eventually(async () => (memberRoles(climber).includes(roles.silver) ? true : undefined), 10_000, 'the silver role');
    expect(memberRoles(climber)).toEqual(expect.arrayContaining([roles.bronze, roles.silver]));
    const announcements = () => world.sandbox.driver.channelMessages(channels.levels).map((message) => message.content as string).filter((content) => content.includes(`<@${climber}>`));
    await eventually(async () => (announcements().length === 2 ? true : undefined), 10_000, 'two announcements');
    expect(announcements()).toEqual([`🎉 <@${climber}> reached level 1 and earned <@&${roles.bronze}>!`, `🎉 <@${climber}> reached level 2 and earned <@&${roles.silver}>!`]);
  });

  test('replacing rewards keep only the highest; an admin lowering the XP takes rewards back; a rejoin gives them back', async () => {
    await configure({ role_rewards: [{ level: 1, role_id: roles.bronze }, { level: 2, role_id: roles.silver }], reward_mode: 'replace', announce: 'off' });
    const veteran = member([roles.bronze]);
    const set = await api<LevelJson>('PUT', `/users/${veteran}/level`, { level: 2 });
    expect(set).toMatchObject({ status: 200, body: { xp: 255, level: 2 } });
    await eventually(async () => (memberRoles(veteran).includes(roles.silver) && !memberRoles(veteran).includes(roles.bronze) ? true : undefined), 10_000, 'silver replacing bronze');

    world.sandbox.driver.removeMember(world.guildId, veteran);
    world.sandbox.driver.addMember(world.guildId, veteran);
    expect(memberRoles(veteran)).toEqual([]);
    await eventually(async () => (memberRoles(veteran).includes(roles.silver) ? true : undefined), 10_000, 'silver given back on rejoin');
    expect(memberRoles(veteran)).not.toContain(roles.bronze);

    expect((await api<LevelJson>('PUT', `/users/${veteran}/level`, { xp: 0 })).body).toMatchObject({ xp: 0, level: 0 });
    await eventually(async () => (memberRoles(veteran).length === 0 ? true : undefined), 10_000, 'rewards taken back');
  });

  test('a level-up whose workflow never started is started by the sweep, once', async () => {
    await configure({ role_rewards: [{ level: 1, role_id: roles.bronze }], announce: 'channel', announce_channel_id: channels.levels });
    const quiet = member();
    // What a write leaves when the adapter dies before starting the level-up: the level above the rewarded one.
    await db.query(`insert into member_levels (guild_id, user_id, xp, level, rewarded_level, generation, messages, updated_at) values ($1, $2, 120, 1, 0, 0, 1, now())`, [world.guildId, quiet]);
    const flows = new FlowStarter(await testClient(), steward.taskQueue);
    // Written just now, so the adapter's own sweep (a minute's grace) leaves it to this one.
    expect(await sweepUnrewardedLevels({ database: db.database, flows }, new Date(Date.now() + 1_000))).toBe(1);
    await eventually(async () => (memberRoles(quiet).includes(roles.bronze) ? true : undefined), 10_000, 'the bronze role');
    await eventually(async () => ((await db.query<{ rewarded_level: number }>('select rewarded_level from member_levels where user_id = $1', [quiet]))[0]?.rewarded_level === 1 ? true : undefined), 10_000, 'the level marked rewarded');
    expect(await sweepUnrewardedLevels({ database: db.database, flows }, new Date(Date.now() + 1_000))).toBe(0);
    const announced = world.sandbox.driver.channelMessages(channels.levels).filter((message) => (message.content as string).includes(`<@${quiet}>`));
    expect(announced).toHaveLength(1);
  });
});

describe('commands', () => {
  test('/leaderboard pages with its buttons; /rank shows the place', async () => {
    await configure({});
    const ranked = Array.from({ length: 23 }, () => member());
    // Far above everyone else in this server, so the first 23 places are these members, in this order.
    for (const [index, userId] of ranked.entries()) expect((await api('PUT', `/users/${userId}/level`, { xp: 1_000_000 - index * 1000 })).status).toBe(200);
    const { driver } = world.sandbox;
    const handle = driver.runSlashCommand(ranked[5]!, world.guildId, channels.talk, 'leaderboard');
    const board = await driver.waitFor(() => (handle.responses() as { id: string; embeds?: { description: string; footer: { text: string } }[]; components?: { components: { custom_id: string }[] }[] }[]).find((reply) => reply.embeds?.[0]?.footer.text.startsWith('Page 1')), 10_000);
    expect(board.embeds![0]!.description.split('\n')[0]).toBe(`**#1** <@${ranked[0]}> · level ${levelAt(1_000_000)} · 1,000,000 XP`);
    const next = board.components![0]!.components[1]!.custom_id;
    driver.clickButton(ranked[7]!, channels.talk, board.id, next);
    const second = await driver.waitFor(() => {
      const message = driver.channelMessages(channels.talk).find((candidate) => candidate.id === board.id) as { embeds: { description: string; footer: { text: string } }[] } | undefined;
      return message?.embeds[0]?.footer.text.startsWith('Page 2') ? message : undefined;
    }, 10_000);
    const lines = second.embeds[0]!.description.split('\n');
    expect(lines).toHaveLength(10);
    expect(lines[0]).toContain(`**#11** <@${ranked[10]}>`);

    const rank = driver.runSlashCommand(ranked[2]!, world.guildId, channels.talk, 'rank');
    const shown = await driver.waitFor(() => (rank.responses() as { embeds?: { description: string }[] }[]).find((reply) => reply.embeds?.length), 10_000);
    expect(shown.embeds![0]!.description).toContain(`<@${ranked[2]}> is #3 of`);

    const page = await api<{ total: number; entries: { user_id: string; place: number }[] }>('GET', '/leaderboard?page=3&per_page=10');
    expect(page.body.entries[0]).toMatchObject({ user_id: ranked[20], place: 21 });
    expect((await api('GET', '/leaderboard?per_page=500')).status).toBe(400);
  });

  test('/xp is for admins; /config xp refuses a curve that never grows', async () => {
    const { driver } = world.sandbox;
    const someone = member();
    // Discord does not show /xp to members who cannot manage the server.
    expect(() => driver.runSlashCommand(someone, world.guildId, channels.talk, 'xp add', { member: admin, xp: 500 })).toThrow(/needs permissions/);
    const added = driver.runSlashCommand(admin, world.guildId, channels.talk, 'xp add', { member: someone, xp: 500 });
    await driver.waitFor(() => (added.responses() as { content?: string }[]).find((reply) => reply.content?.includes('now has 500 XP (level 3)')), 10_000);

    const shrinking = driver.runSlashCommand(admin, world.guildId, channels.talk, 'config xp set', { 'curve-a': -1 });
    const answer = await driver.waitFor(() => (shrinking.responses() as { content?: string }[]).find((reply) => reply.content?.includes('Nothing was changed')), 10_000);
    expect(answer.content).toBe('curve: the curve must not shrink: a and b must be 0 or more. Nothing was changed.');
    const bad = await api<{ error: { details: { path: string; message: string }[] } }>('PUT', '/xp/settings', { curve: { a: 0, b: 0, c: 0 }, xp_min: 30, xp_max: 20 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((detail) => detail.path)).toEqual(expect.arrayContaining(['curve', 'xpMin']));
  });
});

function levelAt(xp: number): number {
  let level = 0;
  while (xpForLevel(CURVE_PRESETS.mee6, level + 1) <= xp) level++;
  return level;
}
