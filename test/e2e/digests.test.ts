// Weekly digests end to end: settings refused at configuration (time zone, hour, a channel Steward cannot post in),
// the server's Schedule created, changed, paused, resumed and deleted with them (its calendar at 09:00 local time
// across a daylight saving change, as the real server computes it), a triggered run posting each feature's section
// once (and again, never), previews, subscribers' DMs, a refused post reported and retried, the offline summary,
// and a server that removes Steward losing its Schedule. Steward in-process against the sandbox, real Temporal,
// real PostgreSQL.
import { randomUUID } from 'node:crypto';
import { ScheduleNotFoundError } from '@temporalio/client';
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import { postWeeklyDigest } from '../../workflows/digests/digest-workflow.js';
import { digestScheduleHandle, digestScheduleOptions } from '../../src/features/digests/schedule.js';
import { DEFAULT_DIGEST_SETTINGS } from '../../src/features/digests/settings.js';
import { issueApiToken } from '../../src/http/api-tokens.js';
import type { RunningSteward } from '../../src/steward.js';
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
const channels = { digest: '', alerts: '', closed: '', talk: '' };
let admin = '';

beforeAll(async () => {
  world = await createWorld();
  const { driver } = world.sandbox;
  driver.addBotToGuild(world.app.applicationId, world.guildId, { permissions: BOT_PERMISSIONS });
  for (const name of Object.keys(channels) as (keyof typeof channels)[]) channels[name] = driver.createChannel(world.guildId, { name }).id;
  // A channel Steward may read but not post in.
  driver.editChannelByHand(world.ownerId, channels.closed, { overwrite: { id: world.app.botUserId, type: 1, allow: 0n, deny: P.SendMessages } });
  const admins = driver.createRole(world.guildId, { name: 'Admins', permissions: P.ManageGuild, position: 4 }).id;
  admin = member([admins]);
  db = await createTestDatabase();
  steward = await startTestSteward(db, { world, env: { DIGEST_RETRY_SECONDS: '2' } });
  token = (await db.database.transaction((em) => issueApiToken(em, world.guildId, 'digest tests'))).token;
});

afterAll(async () => {
  await steward?.stop();
  await world?.sandbox.close();
  await db?.drop();
});

function member(roles: string[] = []): string {
  const id = world.sandbox.driver.createUser({ username: `member-${randomUUID().slice(0, 6)}` }).id;
  world.sandbox.driver.addMember(world.guildId, id, { roles });
  return id;
}

const api = <T>(method: string, path: string, body?: unknown, guildToken = token, guildId = world.guildId) => callGuildApi<T>({ httpUrl: steward.httpUrl, guildId, token: guildToken }, method, path, body);

async function runConfig(options: Record<string, string | number | boolean>): Promise<string> {
  const { driver } = world.sandbox;
  const handle = driver.runSlashCommand(admin, world.guildId, channels.talk, 'config digest set', options);
  const reply = await driver.waitFor(() => (handle.responses() as { content?: string }[]).find((message) => message.content), 10_000);
  return reply.content!;
}

interface EmbedJson {
  title: string;
  description: string;
  footer?: { text: string };
}
const digestsIn = (channelId: string) => world.sandbox.driver.channelMessages(channelId).filter((message) => (message.embeds as EmbedJson[] | undefined)?.[0]?.title.startsWith('🗞️ Weekly digest'));
const titlesOf = (message: { embeds?: unknown }) => (message.embeds as EmbedJson[]).map((embed) => embed.title);

/** A week's worth of every feature's data, written as each feature's store holds it. */
async function seedWeek(guildId: string, userId: string) {
  const at = new Date(Date.now() - 2 * 86_400_000);
  const day = at.toISOString().slice(0, 10);
  const id = () => randomUUID().slice(0, 18);
  await db.query(`insert into subjects (id, guild_id, name, created_at) values ($1, $2, 'Boiler', $3)`, [`s-${guildId}`, guildId, at]);
  for (let index = 0; index < 3; index++) {
    await db.query(
      `insert into records (id, guild_id, record_type, description, subject_id, occurred_at, origin, created_by, idempotency_key, created_at) values ($1, $2, 'service', 'Serviced', $3, $4, 'discord', 'test', $1, $4)`,
      [id(), guildId, `s-${guildId}`, at],
    );
  }
  await db.query(`insert into approval_requests (id, guild_id, case_id, action, target_id, reason, status, created_at) values ($1, $2, 'c1', '{}', $3, 'spam', 'executed', $4)`, [id(), guildId, userId, at]);
  await db.query(
    `insert into moderation_cases (id, guild_id, number, kind, target_id, source, reason, reason_history, evidence, status, created_at) values ($1, $2, 1, 'warn', $3, 'automod', 'spam', '[]', '[]', 'applied', $4)`,
    [id(), guildId, userId, at],
  );
  await db.query(
    `insert into events (id, guild_id, event_id, title, description, starts_at, duration_minutes, channel_id, organiser_id, time_zone, status, going) values ($1, $2, 'e1', 'Repair café', '', $3, 60, $4, $5, 'UTC', 'ended', 12)`,
    [`${guildId}:e1`, guildId, at, channels.talk, userId],
  );
  await db.query(
    `insert into feedback (id, guild_id, tracking_id, user_id, kind, text, analysis_status, analysis, share_status, created_at) values ($1, $2, 'FB-1', $3, 'command', 'Great sessions', 'analysed', '{"labels": ["community", "growth"]}', 'shared', $4)`,
    [`${guildId}:${id()}`, guildId, userId, at],
  );
  await db.query(`insert into recognitions (id, guild_id, giver_id, volunteer_id, badge, points, achievement, score_before, score_after, created_at) values ($1, $2, $3, $3, 'emerging', 5, 'Helped out', 0, 5, $4)`, [id(), guildId, userId, at]);
  await db.query(`insert into milestone_celebrations (guild_id, program_id, metric, threshold, program_name, status, created_at) values ($1, 'p1', 'hours', 100, 'Buddies', 'started', $2)`, [guildId, at]);
  await db.query(`insert into channel_hours (guild_id, channel_id, hour, messages, commands, joins, leaves, active_members) values ($1, $2, $3, 120, 4, 0, 0, 0), ($1, '0', $3, 0, 0, 7, 2, 5)`, [guildId, channels.talk, new Date(Math.floor(at.getTime() / 3_600_000) * 3_600_000)]);
  await db.query(`insert into member_days (guild_id, day, user_id, messages) values ($1, $2, $3, 120)`, [guildId, day, userId]);
  await db.query(`insert into xp_days (guild_id, day, user_id, xp) values ($1, $2, $3, 340)`, [guildId, day, userId]);
}

describe('configuration', () => {
  test('an unknown time zone, an hour outside 0–23 and a channel Steward cannot post in are refused', async () => {
    expect(await runConfig({ enabled: true, channel: channels.digest, timezone: 'Mars/Olympus' })).toBe(
      'timezone: is not a time zone Steward knows (use an IANA name such as Europe/Berlin). Nothing was changed.',
    );
    expect(await runConfig({ enabled: true, channel: channels.digest, hour: 24 })).toBe('hour: must be an hour from 0 to 23. Nothing was changed.');
    expect(await runConfig({ enabled: true, channel: channels.closed })).toBe(`Steward cannot post the digest in <#${channels.closed}>: it lacks Send Messages there. Nothing was changed.`);
    const bad = await api<{ error: { details: { path: string }[] } }>('PUT', '/digest/settings', { enabled: true, hour: -1, time_zone: 'Nowhere' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((detail) => detail.path)).toEqual(expect.arrayContaining(['hour', 'time_zone']));
    expect((await api('GET', '/digest')).body).toMatchObject({ settings: { enabled: false }, schedule: null });
  });

  test('turning digests on creates the Schedule at the local hour; changing the hour changes it; off deletes it', async () => {
    expect(await runConfig({ enabled: true, channel: channels.digest, timezone: 'Europe/Berlin', day: 1, hour: 9, 'alert-channel': channels.alerts })).toMatch(/^Saved\.\nWeekly digest: on, in <#\d+>, Mondays at 09:00 \(Europe\/Berlin\)/);
    const handle = digestScheduleHandle({ client: await testClient(), taskQueue: steward.taskQueue }, world.guildId);
    const created = await handle.describe();
    expect(created.spec.timezone).toBe('Europe/Berlin');
    expect(created.spec.calendars?.[0]).toMatchObject({ dayOfWeek: [{ start: 'MONDAY', end: 'MONDAY', step: 1 }], hour: [{ start: 9, end: 9, step: 1 }], minute: [{ start: 0, end: 0, step: 1 }] });
    expect(created.policies.overlap).toBe('SKIP');
    for (const next of created.info.nextActionTimes) {
      expect(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', weekday: 'long', hour: '2-digit', minute: '2-digit' }).format(next)).toBe('Monday 09:00');
    }
    expect(await runConfig({ hour: 18 })).toContain('Mondays at 18:00 (Europe/Berlin)');
    expect((await handle.describe()).spec.calendars?.[0]?.hour).toEqual([{ start: 18, end: 18, step: 1 }]);
    await runConfig({ enabled: false });
    await expect(handle.describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
    expect(await runConfig({ enabled: true, hour: 9 })).toContain('Weekly digest: on');
    expect((await handle.describe()).spec.calendars?.[0]?.hour).toEqual([{ start: 9, end: 9, step: 1 }]);
  });

  test("the calendar stays at 09:00 local across a daylight saving change, as the server computes it", async () => {
    const client = await testClient();
    const settings = { ...DEFAULT_DIGEST_SETTINGS, enabled: true, channelId: channels.digest, timeZone: 'Europe/Berlin', dayOfWeek: 1, hour: 9 };
    // The same options production uses, read from mid-March 2027: Berlin moves from UTC+1 to UTC+2 on 28 March.
    const options = digestScheduleOptions({ taskQueue: `dst-${randomUUID().slice(0, 8)}` }, world.guildId, settings, new Date('2027-03-10T00:00:00Z'));
    const handle = await client.schedule.create({ ...options, state: { paused: true } });
    try {
      const times = (await handle.describe()).info.nextActionTimes.map((time) => time.toISOString()).filter((time) => time < '2027-04-10');
      expect(times).toEqual(['2027-03-15T08:00:00.000Z', '2027-03-22T08:00:00.000Z', '2027-03-29T07:00:00.000Z', '2027-04-05T07:00:00.000Z']);
    } finally {
      await handle.delete();
    }
  });
});

describe('the digest', () => {
  test('a run posts every section with something to say, once; a second run for the same week posts nothing', async () => {
    await seedWeek(world.guildId, admin);
    const subscriber = member();
    const { driver } = world.sandbox;
    const subscribed = driver.runSlashCommand(subscriber, world.guildId, channels.talk, 'digest subscribe');
    await driver.waitFor(() => (subscribed.responses() as { content?: string }[]).find((reply) => reply.content === 'You will get the weekly digest by DM too.'), 10_000);

    const handle = digestScheduleHandle({ client: await testClient(), taskQueue: steward.taskQueue }, world.guildId);
    await handle.trigger();
    const [digest] = await eventually(async () => (digestsIn(channels.digest).length ? digestsIn(channels.digest) : undefined), 20_000, 'the digest');
    expect(titlesOf(digest!)).toEqual([expect.stringMatching(/^🗞️ Weekly digest · /), '📈 Activity', '🗂️ Records', '✅ Approvals', '🛡️ Moderation', '📅 Events', '🤝 Volunteering', '🏆 Top XP this week']);
    const embeds = digest!.embeds as EmbedJson[];
    // 7 seeded joins, and the members this file added itself, which statistics count live as they join.
    const joined = /^\*\*(\d+)\*\* joined, \*\*2\*\* left/.exec(embeds[1]!.description);
    expect(Number(joined?.[1])).toBeGreaterThanOrEqual(7);
    expect(embeds[2]!.description).toBe('**3** records created\nMost about: Boiler (3)');
    expect(embeds[6]!.description).toContain('themes: community (1), growth (1)');
    expect(embeds[7]!.description).toBe(`🥇 <@${admin}> · 340 XP`);
    await eventually(async () => (driver.dmsFor(subscriber).some((message) => (message.embeds as EmbedJson[] | undefined)?.[0]?.title.startsWith('🗞️')) ? true : undefined), 10_000, 'the DM');

    // The same week again (a retried run: the Schedule's workflow id with its nominal time), after the first finished.
    const recent = (await handle.describe()).info.recentActions.at(-1)!;
    const workflowId = recent.action.type === 'startWorkflow' ? recent.action.workflow.workflowId : '';
    expect(workflowId).toMatch(new RegExp(`^digest:${world.guildId}-\\d{4}-\\d{2}-\\d{2}T`));
    const client = await testClient();
    await client.workflow.getHandle(workflowId).result();
    const again = await client.workflow.execute(postWeeklyDigest, { taskQueue: steward.taskQueue, workflowId, args: [{ guildId: world.guildId, intervalSeconds: 7 * 86_400, delivery: { kind: 'post' } }] });
    expect(again).toMatchObject({ outcome: 'posted' });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(digestsIn(channels.digest)).toHaveLength(1);
    expect(driver.dmsFor(subscriber).filter((message) => (message.embeds as EmbedJson[] | undefined)?.[0]?.title.startsWith('🗞️'))).toHaveLength(1);
  });

  test('a server with nothing to report gets a quiet digest; the HTTP preview returns it without posting', async () => {
    const quiet = createQuietGuild();
    const quietToken = (await db.database.transaction((em) => issueApiToken(em, quiet, 'quiet'))).token;
    const preview = await api<{ outcome: string; sections: string[]; messages: { embeds: EmbedJson[] }[] }>('POST', '/digest/preview', undefined, quietToken, quiet);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ outcome: 'rendered', sections: [] });
    expect(preview.body.messages[0]!.embeds.map((embed) => embed.description)).toEqual(['A quiet week: nothing to report.']);
    const full = await api<{ sections: string[] }>('POST', '/digest/preview');
    expect(full.body.sections).toEqual(['activity', 'records', 'approvals', 'moderation', 'events', 'engagement', 'top-xp']);
  });

  test('/digest preview shows it to the admin only; pause and resume follow; members may not', async () => {
    const { driver } = world.sandbox;
    const before = digestsIn(channels.digest).length;
    const preview = driver.runSlashCommand(admin, world.guildId, channels.talk, 'digest preview');
    const shown = await driver.waitFor(() => (preview.responses() as { embeds?: EmbedJson[]; flags?: number }[]).find((reply) => reply.embeds?.length), 20_000);
    expect(shown.embeds![0]!.title).toMatch(/^🗞️ Weekly digest/);
    expect(shown.flags! & 64).toBe(64);
    expect(digestsIn(channels.digest)).toHaveLength(before);

    const refused = driver.runSlashCommand(member(), world.guildId, channels.talk, 'digest pause');
    expect(((await refused.waitForAck()).data as { content: string }).content).toBe('Only members who can manage the server can preview, pause or resume the digest.');
    const pause = driver.runSlashCommand(admin, world.guildId, channels.talk, 'digest pause');
    await driver.waitFor(() => (pause.responses() as { content?: string }[]).find((reply) => reply.content === 'The weekly digest is paused until someone resumes it.'), 10_000);
    const handle = digestScheduleHandle({ client: await testClient(), taskQueue: steward.taskQueue }, world.guildId);
    expect((await handle.describe()).state).toMatchObject({ paused: true, note: `Paused by <@${admin}>` });
    expect((await api<{ paused: boolean }>('POST', '/digest/resume')).body).toEqual({ paused: false });
    expect((await handle.describe()).state.paused).toBe(false);
  });

  test('a refused post is reported to the admins and tried again; posted once when it can be; the offline summary is marked', async () => {
    const { driver } = world.sandbox;
    await api('PUT', '/digest/settings', { enabled: true, channel_id: channels.digest, time_zone: 'Europe/Berlin', alert_channel_id: channels.alerts, llm_summary: true });
    const before = digestsIn(channels.digest).length;
    // Someone takes Steward's right to post in the digest channel after it was configured.
    driver.editChannelByHand(world.ownerId, channels.digest, { overwrite: { id: world.app.botUserId, type: 1, allow: 0n, deny: P.SendMessages } });
    const client = await testClient();
    // A week ending tomorrow at 08:00 UTC (09:00 in Berlin in winter), so the seeded days are in it.
    const periodEnd = new Date(Math.floor(Date.now() / 86_400_000 + 1) * 86_400_000 + 8 * 3_600_000);
    const nominal = periodEnd.toISOString().replace('.000Z', 'Z');
    const run = await client.workflow.start(postWeeklyDigest, { taskQueue: steward.taskQueue, workflowId: `digest:${world.guildId}-${nominal}`, args: [{ guildId: world.guildId, intervalSeconds: 7 * 86_400, delivery: { kind: 'post' } }] });
    const alert = await eventually(async () => driver.channelMessages(channels.alerts).find((message) => (message.content as string).includes('could not be posted')), 20_000, 'the alert');
    expect(alert.content).toContain('Steward may not post in the digest channel (give it Send Messages and Embed Links there).');
    driver.editChannelByHand(world.ownerId, channels.digest, { overwrite: { id: world.app.botUserId, remove: true } });
    expect(await run.result()).toMatchObject({ outcome: 'posted', periodEnd: periodEnd.toISOString() });
    const posted = digestsIn(channels.digest).slice(before);
    expect(posted).toHaveLength(1);
    const summary = (posted[0]!.embeds as EmbedJson[])[1]!;
    expect(summary.title).toBe('✨ Summary');
    expect(summary.footer?.text).toBe("Written by Steward's offline rules (no model configured)");
    const berlin = (at: number, year: boolean) => new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', ...(year ? { year: 'numeric' } : {}), timeZone: 'Europe/Berlin' }).format(at);
    expect(titlesOf(posted[0]!)[0]).toBe(`🗞️ Weekly digest · ${berlin(periodEnd.getTime() - 7 * 86_400_000, false)} – ${berlin(periodEnd.getTime() - 60_000, true)}`);
  });

  test('a server that removes Steward loses its Schedule', async () => {
    const handle = digestScheduleHandle({ client: await testClient(), taskQueue: steward.taskQueue }, world.guildId);
    expect((await handle.describe()).state.paused).toBe(false);
    world.sandbox.driver.removeMember(world.guildId, world.app.botUserId);
    await eventually(async () => (await handle.describe().then(() => undefined, (error: unknown) => (error instanceof ScheduleNotFoundError ? true : undefined))), 10_000, 'the Schedule deleted');
    const [settings] = await db.query<{ enabled: boolean }>('select enabled from digest_settings where guild_id = $1', [world.guildId]);
    expect(settings?.enabled).toBe(false);
  });
});

function createQuietGuild(): string {
  const { driver } = world.sandbox;
  const guild = driver.createGuild({ name: `quiet-${randomUUID().slice(0, 6)}`, ownerId: world.ownerId }).id;
  driver.addBotToGuild(world.app.applicationId, guild, { permissions: BOT_PERMISSIONS });
  return guild;
}
