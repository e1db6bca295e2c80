// Volunteer engagement end to end: /feedback analysed by a local Q2Q (and by the LLM chain when Q2Q fails, and later
// when both do), reviewed and shared with a local volunteer platform that checks every signature; /recognize with
// VIS points counted once and level roles replaced; the platform's signed milestone, buddy-match and SLA webhooks.
// Steward in-process against the sandbox (rate limits on), real Temporal, real PostgreSQL.
import { randomUUID } from 'node:crypto';
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import { celebrationBatchWorkflowId } from '../../workflows/engagement/messages.js';
import { CelebrationOutbox } from '../../src/features/engagement/celebration-outbox.js';
import { claimCelebrations, recordMilestoneUpdate } from '../../src/features/engagement/store/milestones.js';
import { issueApiToken } from '../../src/http/api-tokens.js';
import { signedHeaders } from '../../src/http/signed-webhooks.js';
import { createLogger } from '../../src/observability/logger.js';
import type { RunningSteward } from '../../src/steward.js';
import { FlowStarter } from '../../src/temporal/start-flow.js';
import { BOT_PERMISSIONS, createWorld, type World } from '../sandbox/world.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startAnthropicServer, type ScriptedLlmServer } from '../support/llm-servers/index.js';
import { startPlatformServer, type PlatformServer } from '../support/platform-server.js';
import { Q2Q_SCORES, startQ2qServer, type Q2qServer } from '../support/q2q-server.js';
import { button, type Card } from '../support/review-cards.js';
import { eventually } from '../support/steward-process.js';
import { startTestSteward } from '../support/steward.js';
import { testClient } from '../support/temporal.js';
import { callGuildApi } from '../support/guild-api.js';

const SECRET = 'platform-webhook-secret-for-tests-0123456789';
let world: World;
let db: TestDatabase;
let steward: RunningSteward;
let q2q: Q2qServer;
let anthropic: ScriptedLlmServer;
let platform: PlatformServer;
let token: string;
const channels = { review: '', recognition: '', milestones: '', alerts: '' };
const roles = { reviewers: '', emerging: '', contributing: '', highImpact: '', exceptional: '', top: '' };
let reviewer = '';

const LLM_SCORES = { confidence: 0.4, belonging: 0.3, lang_level_proxy: 0.5, job_readiness: 0.2, well_being: 0.6, themes: ['onboarding'] };

beforeAll(async () => {
  world = await createWorld();
  const { driver } = world.sandbox;
  driver.addBotToGuild(world.app.applicationId, world.guildId, { permissions: BOT_PERMISSIONS | P.ManageRoles });
  roles.top = driver.createRole(world.guildId, { name: 'Steward top', permissions: 0n, position: 10 }).id;
  driver.grantRole(world.guildId, world.app.botUserId, roles.top);
  roles.reviewers = driver.createRole(world.guildId, { name: 'Reviewers', permissions: 0n, position: 2 }).id;
  roles.emerging = driver.createRole(world.guildId, { name: 'Emerging', permissions: 0n, position: 2 }).id;
  roles.contributing = driver.createRole(world.guildId, { name: 'Contributing', permissions: 0n, position: 2 }).id;
  roles.highImpact = driver.createRole(world.guildId, { name: 'High Impact', permissions: 0n, position: 2 }).id;
  roles.exceptional = driver.createRole(world.guildId, { name: 'Exceptional', permissions: 0n, position: 2 }).id;
  for (const name of Object.keys(channels) as (keyof typeof channels)[]) channels[name] = driver.createChannel(world.guildId, { name }).id;
  reviewer = member([roles.reviewers]);
  q2q = await startQ2qServer();
  anthropic = await startAnthropicServer({ apiKey: 'test-anthropic-key' });
  platform = await startPlatformServer(SECRET);
  db = await createTestDatabase();
  steward = await startTestSteward(db, {
    world,
    env: {
      Q2Q_URL: q2q.url,
      Q2Q_API_KEY: 'q2q-test-key',
      Q2Q_TIMEOUT_MS: '1000',
      PLATFORM_URL: platform.url,
      PLATFORM_WEBHOOK_SECRET: SECRET,
      FEEDBACK_ANALYSIS_RETRY_SECONDS: '2',
      FEEDBACK_REVIEW_ALERT_SECONDS: '3',
      ANTHROPIC_API_KEY: 'test-anthropic-key',
      ANTHROPIC_BASE_URL: anthropic.baseUrl,
      LLM_PROVIDERS: 'anthropic',
    },
  });
  token = (await db.database.transaction((em) => issueApiToken(em, world.guildId, 'engagement tests'))).token;
  await configure();
});

beforeEach(() => {
  q2q.mode = 'ok';
  q2q.script = [];
  anthropic.reset();
  anthropic.setDefaultReply({ kind: 'tool', input: LLM_SCORES });
  platform.failWith = undefined;
});

afterAll(async () => {
  await steward?.stop();
  await world?.sandbox.close();
  await db?.drop();
  await q2q?.close();
  await anthropic?.close();
  await platform?.close();
});

function member(extraRoles: string[] = []): string {
  const id = world.sandbox.driver.createUser({ username: `volunteer-${randomUUID().slice(0, 6)}` }).id;
  world.sandbox.driver.addMember(world.guildId, id, { roles: extraRoles });
  return id;
}

const api = <T>(method: string, path: string, body?: unknown) => callGuildApi<T>({ httpUrl: steward.httpUrl, guildId: world.guildId, token }, method, path, body);

async function configure(settings: Record<string, unknown> = {}) {
  const saved = await api('PUT', '/engagement/settings', {
    recognition_channel_id: channels.recognition,
    milestone_channel_id: channels.milestones,
    admin_alert_channel_id: channels.alerts,
    level_role_ids: { emerging: roles.emerging, contributing: roles.contributing, high_impact: roles.highImpact, exceptional: roles.exceptional },
    ...settings,
  });
  expect(saved.status).toBe(200);
}

/** Posts to one of Steward's platform webhooks, signed unless told otherwise. */
async function webhook(path: string, body: unknown, { headers }: { headers?: Record<string, string> } = {}) {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const response = await fetch(`${steward.httpUrl}/webhooks/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(headers ?? signedHeaders(SECRET, raw)) },
    body: raw,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

interface FeedbackJson {
  tracking_id: string;
  user_id: string;
  analysis_status: string;
  analysis: { scores: Record<string, number>; analysedBy: string; labels: unknown } | null;
  share_status: string;
}

/** Runs /feedback and returns its tracking id from the receipt. */
async function giveFeedback(userId: string, message: string, sentiment?: string): Promise<{ trackingId: string; interactionId: string }> {
  const handle = world.sandbox.driver.runSlashCommand(userId, world.guildId, world.channelId, 'feedback', { message, ...(sentiment ? { sentiment } : {}) });
  const receipt = await world.sandbox.driver.waitFor(() => (handle.responses() as { content?: string }[]).find((reply) => /Tracking id/.test(reply.content ?? '')), 5_000);
  return { trackingId: /\*\*(FB-[0-9A-Z]+)\*\*/.exec(receipt.content!)![1]!, interactionId: handle.id };
}

function feedbackWhere(trackingId: string, match: (feedback: FeedbackJson) => boolean, what: string, timeoutMs = 30_000): Promise<FeedbackJson> {
  return eventually(async () => {
    const found = await api<FeedbackJson>('GET', `/engagement/feedback/${trackingId}`);
    return found.status === 200 && match(found.body) ? found.body : undefined;
  }, timeoutMs, what);
}

const platformEvent = (type: string, match: (data: Record<string, unknown>) => boolean) =>
  eventually(async () => platform.events.find((event) => event.type === type && match(event.data)), 30_000, `a ${type} event on the platform`);

async function command(userId: string, name: string, options: Record<string, unknown>, reply: RegExp): Promise<string> {
  const handle = world.sandbox.driver.runSlashCommand(userId, world.guildId, world.channelId, name, options as never);
  const answer = await world.sandbox.driver
    .waitFor(() => (handle.responses() as { content?: string }[]).find((message) => reply.test(message.content ?? '')), 20_000)
    .catch((error: Error) => {
      throw new Error(`/${name} answered ${JSON.stringify(handle.responses().map((message) => (message as { content?: string }).content))}, not ${reply}: ${error.message}`);
    });
  return answer.content!;
}

const messagesIn = (channelId: string) => world.sandbox.driver.channelMessages(channelId) as unknown as Card[];

describe('feedback', () => {
  test('a receipt at once; Q2Q scores stored under the linked platform id; the platform gets it signed', async () => {
    const volunteer = member();
    expect((await api('PUT', `/engagement/links/${volunteer}`, { platform_user_id: 'user-4711' })).status).toBe(200);
    const { trackingId } = await giveFeedback(volunteer, 'The onboarding session made me feel welcome.', 'positive');
    expect(trackingId).toMatch(/^FB-[0-9A-Z]{10}$/);
    const stored = await feedbackWhere(trackingId, (feedback) => feedback.share_status === 'shared', 'the feedback to be analysed and shared');
    expect(stored.analysis_status).toBe('analysed');
    expect(stored.analysis?.analysedBy).toBe('q2q');
    expect(stored.analysis?.scores).toEqual(Q2Q_SCORES);
    const sent = q2q.requests.find((request) => request.body.text === 'The onboarding session made me feel welcome.')!;
    expect(sent.body).toEqual({ text: 'The onboarding session made me feel welcome.', userId: 'user-4711', contextId: world.channelId, contextType: 'discord_feedback' });
    expect(sent.authorization).toBe('Bearer q2q-test-key');
    const event = await platformEvent('feedback.shared', (data) => data.trackingId === trackingId);
    expect(event.data).toMatchObject({ discordUserId: volunteer, sentiment: 'positive', analysis: { analysedBy: 'q2q', scores: Q2Q_SCORES } });
    expect(platform.badSignatures).toBe(0);
  });

  test('slow, non-JSON, partial and out-of-range answers are failed attempts, never stored; Q2Q down → the LLM scores it', async () => {
    const volunteer = member();
    // A slow answer and a page that is not JSON, then a good one: the third attempt's scores are stored.
    q2q.script = ['slow', 'not-json'];
    const first = await giveFeedback(volunteer, 'I am learning a lot from my mentor.');
    const analysed = await feedbackWhere(first.trackingId, (feedback) => feedback.analysis_status === 'analysed', 'the retried analysis');
    expect(analysed.analysis?.analysedBy).toBe('q2q');
    expect(q2q.requests.filter((request) => request.body.text === 'I am learning a lot from my mentor.').map((request) => request.answeredWith)).toEqual(['slow', 'not-json', 'ok']);

    // Partial and out-of-range scores until Q2Q's retries run out: the LLM chain answers in the same shape.
    q2q.script = ['partial', 'out-of-range'];
    q2q.mode = 'down';
    const second = await giveFeedback(volunteer, 'Too many forms to fill before I could start.', 'negative');
    const fallback = await feedbackWhere(second.trackingId, (feedback) => feedback.analysis_status === 'analysed', 'the LLM analysis');
    expect(fallback.analysis?.analysedBy).toBe('anthropic');
    expect(fallback.analysis?.scores).toEqual({ confidence: 0.4, belonging: 0.3, lang_level_proxy: 0.5, job_readiness: 0.2, well_being: 0.6 });
    expect(fallback.analysis?.labels).toEqual({ themes: ['onboarding'] });
    expect(q2q.requests.filter((request) => request.body.text === 'Too many forms to fill before I could start.').map((request) => request.answeredWith)).toEqual(['partial', 'out-of-range', 'down', 'down']);
    expect(JSON.stringify(anthropic.lastRequest.body)).toContain('Too many forms to fill before I could start.');
  });

  test('with Q2Q and the LLM both down the feedback is kept, shared, and analysed later', async () => {
    q2q.mode = 'down';
    anthropic.setDefaultReply({ kind: 'error', status: 529 });
    const volunteer = member();
    const { trackingId } = await giveFeedback(volunteer, 'Could we have sessions in the evening?', 'neutral');
    const deferred = await feedbackWhere(trackingId, (feedback) => feedback.analysis_status === 'deferred', 'the analysis to be deferred', 40_000);
    expect(deferred.analysis).toBeNull();
    await platformEvent('feedback.shared', (data) => data.trackingId === trackingId && data.analysis === null);
    expect(anthropic.requests.length).toBeGreaterThanOrEqual(3);
    q2q.mode = 'ok';
    const later = await feedbackWhere(trackingId, (feedback) => feedback.analysis_status === 'analysed', 'the later analysis', 40_000);
    expect(later.analysis?.analysedBy).toBe('q2q');
    await platformEvent('feedback.analysed', (data) => data.trackingId === trackingId);
  });

  test('a redelivered /feedback is one feedback', async () => {
    const volunteer = member();
    const { trackingId, interactionId } = await giveFeedback(volunteer, 'Redelivered feedback is counted once.');
    world.sandbox.driver.redeliverInteraction(interactionId);
    world.sandbox.driver.redeliverInteraction(interactionId);
    await feedbackWhere(trackingId, (feedback) => feedback.share_status === 'shared', 'the feedback to be shared');
    const listed = await api<{ feedback: FeedbackJson[] }>('GET', `/engagement/feedback?member=${volunteer}`);
    expect(listed.body.feedback.map((feedback) => feedback.tracking_id)).toEqual([trackingId]);
    expect(platform.events.filter((event) => event.type === 'feedback.shared' && event.data.trackingId === trackingId)).toHaveLength(1);
  });

  test('feedback that is only padding is refused before anything is stored', async () => {
    const volunteer = member();
    // Discord's client enforces min_length; spaces pass it, and Steward counts what is left.
    await command(volunteer, 'feedback', { message: '          ok' }, /10 to 500 characters; yours has 2/);
    expect((await api<{ feedback: FeedbackJson[] }>('GET', `/engagement/feedback?member=${volunteer}`)).body.feedback).toEqual([]);
  });

  test('with review on: only reviewers decide, the author cannot; approval shares it and tells the member; a wait is alerted', async () => {
    await configure({ review_enabled: true, review_channel_id: channels.review, reviewer_role_ids: [roles.reviewers] });
    try {
      const volunteer = member();
      const { trackingId } = await giveFeedback(volunteer, 'My buddy helped me prepare for an interview.', 'positive');
      const card = await world.sandbox.driver.waitFor(() => messagesIn(channels.review).find((message) => message.embeds?.[0]?.title === `Feedback ${trackingId}`), 10_000);
      expect((await api<FeedbackJson>('GET', `/engagement/feedback/${trackingId}`)).body.share_status).toBe('pending_review');
      // Nobody decides for a few seconds: the admins hear about it (an hour in production).
      await world.sandbox.driver.waitFor(() => messagesIn(channels.alerts).find((message) => message.content.includes(`Feedback ${trackingId} has waited for a reviewer`)), 15_000);

      const outsider = world.sandbox.driver.clickButton(member(), channels.review, card.id, button(card, 'Approve'));
      await refusal(outsider, "Only the server's feedback reviewers can decide on feedback.");
      const author = world.sandbox.driver.clickButton(volunteer, channels.review, card.id, button(card, 'Approve'));
      await refusal(author, 'You cannot review your own feedback.');
      expect(platform.events.some((event) => event.data.trackingId === trackingId)).toBe(false);

      world.sandbox.driver.clickButton(reviewer, channels.review, card.id, button(card, 'Approve'));
      const shared = await feedbackWhere(trackingId, (feedback) => feedback.share_status === 'shared', 'the approved feedback to be shared');
      expect(shared.analysis_status).toBe('analysed');
      await platformEvent('feedback.shared', (data) => data.trackingId === trackingId);
      const closed = await world.sandbox.driver.waitFor(() => messagesIn(channels.review).find((message) => message.id === card.id && (message.components ?? []).length === 0), 10_000);
      expect(JSON.stringify(closed.embeds)).toContain(`Approved by <@${reviewer}> and shared.`);
      const dm = await world.sandbox.driver.waitFor(() => (world.sandbox.driver.dmsFor(volunteer) as unknown as Card[]).find((message) => message.content.includes(trackingId)), 10_000);
      expect(dm.content).toBe(`Your feedback ${trackingId} was reviewed and shared with the programme team. Thank you!`);

      const late = world.sandbox.driver.forgeButtonClick(reviewer, channels.review, card.id, button(card, 'Reject'));
      await refusal(late, 'This feedback was already reviewed.');
    } finally {
      await configure();
    }
  });
});

async function refusal(handle: ReturnType<World['sandbox']['driver']['clickButton']>, words: string) {
  await world.sandbox.driver.waitFor(() => (handle.responses() as { content?: string; flags?: number }[]).find((reply) => reply.content === words && ((reply.flags ?? 0) & 64) === 64), 15_000);
}

test('👍 on one of Steward’s posts is quick feedback, once per member and sign; on anyone else’s post it is nothing', async () => {
  const volunteer = member();
  const ours = world.sandbox.driver.channelMessages(channels.recognition).at(-1) as unknown as Card | undefined;
  const post = ours ?? (await giveFeedbackCardOf());
  world.sandbox.driver.react(volunteer, channels.recognition, post.id, '👍');
  const theirs = world.sandbox.driver.sendMessage(member(), channels.recognition, { content: 'A member’s own message' }) as unknown as Card;
  world.sandbox.driver.react(volunteer, channels.recognition, theirs.id, '👍');
  const listed = await eventually(async () => {
    const found = (await api<{ feedback: (FeedbackJson & { kind: string; sentiment: string })[] }>('GET', `/engagement/feedback?member=${volunteer}`)).body.feedback;
    return found.some((feedback) => feedback.share_status === 'shared') ? found : undefined;
  }, 20_000, 'the quick feedback to be shared');
  expect(listed).toHaveLength(1);
  expect(listed[0]).toMatchObject({ kind: 'reaction', sentiment: 'positive', analysis_status: 'skipped' });
  // Taken back and given again: still one.
  world.sandbox.driver.unreact(volunteer, channels.recognition, post.id, '👍');
  world.sandbox.driver.react(volunteer, channels.recognition, post.id, '👍');
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect((await api<{ feedback: FeedbackJson[] }>('GET', `/engagement/feedback?member=${volunteer}`)).body.feedback).toHaveLength(1);
});

/** A message of Steward's in the recognition channel: a recognition's card. */
async function giveFeedbackCardOf(): Promise<Card> {
  const volunteer = member();
  await command(member(), 'recognize', { volunteer, achievement: 'Welcomed every newcomer this week.', badge: 'emerging' }, /was recognised/);
  return messagesIn(channels.recognition).find((message) => message.content === `<@${volunteer}>`)!;
}

test('/config engagement refuses review without a channel, in words, and changes nothing', async () => {
  const admin = member();
  const adminRole = world.sandbox.driver.createRole(world.guildId, { name: 'Admins', permissions: P.ManageGuild }).id;
  world.sandbox.driver.grantRole(world.guildId, admin, adminRole);
  await api('PUT', '/engagement/settings', { review_enabled: false });
  try {
    const refused = await command(admin, 'config engagement set', { review: true }, /Nothing was changed/);
    expect(refused).toBe('review-channel: a review channel is needed when review is on. Nothing was changed.');
    expect((await api<{ review_enabled: boolean }>('GET', '/engagement/settings')).body.review_enabled).toBe(false);
    const saved = await command(admin, 'config engagement set', { review: true, 'review-channel': channels.review }, /^Saved/);
    expect(saved).toContain(`Feedback review: on, in <#${channels.review}>`);
  } finally {
    await configure();
  }
});

describe('recognition', () => {
  test('yourself or a bot is refused in words', async () => {
    const volunteer = member();
    await command(volunteer, 'recognize', { volunteer, achievement: 'Organised the whole food drive.', badge: 'exceptional' }, /^You cannot recognise yourself/);
    await command(volunteer, 'recognize', { volunteer: world.app.botUserId, achievement: 'Answered every question.', badge: 'emerging' }, /^Bots cannot be recognised/);
  });

  test('points are added once however often the command is delivered; the level role is given, then replaced', async () => {
    const giver = member();
    const volunteer = member();
    const handle = world.sandbox.driver.runSlashCommand(giver, world.guildId, world.channelId, 'recognize', { volunteer, achievement: 'Ran the Saturday tutoring session.', badge: 'high_impact' });
    await handle.waitForAck();
    world.sandbox.driver.redeliverInteraction(handle.id);
    world.sandbox.driver.redeliverInteraction(handle.id);
    const reply = await world.sandbox.driver.waitFor(() => (handle.responses() as { content?: string }[]).find((message) => /was recognised/.test(message.content ?? '')), 20_000);
    expect(reply.content).toBe(`<@${volunteer}> was recognised (+20 VIS, now 20, Emerging) in <#${channels.recognition}>.`);
    const hasRole = (roleId: string) => ((world.sandbox.driver.member(world.guildId, volunteer) as { roles: string[] }).roles ?? []).includes(roleId);
    await world.sandbox.driver.waitFor(() => hasRole(roles.emerging), 10_000);
    const card = messagesIn(channels.recognition).find((message) => message.content === `<@${volunteer}>`)!;
    expect(card.embeds?.[0]?.title).toBe('🏅 High Impact recognition');
    expect((await api<{ vis: number; recognitions: number }>('GET', `/engagement/members/${volunteer}`)).body).toMatchObject({ vis: 20, recognitions: 1 });

    await command(giver, 'recognize', { volunteer, achievement: 'Mentored three new volunteers.', badge: 'contributing' }, /now 30, Contributing/);
    await world.sandbox.driver.waitFor(() => hasRole(roles.contributing) && !hasRole(roles.emerging), 10_000);
    await command(giver, 'recognize', { volunteer, achievement: 'Led the winter coat collection.', badge: 'exceptional' }, /now 80, Exceptional/);
    await world.sandbox.driver.waitFor(() => hasRole(roles.exceptional) && !hasRole(roles.contributing), 10_000);
    expect(hasRole(roles.highImpact)).toBe(false);
    expect((await api<{ vis: number; recognitions: number; level: string }>('GET', `/engagement/members/${volunteer}`)).body).toMatchObject({ vis: 80, recognitions: 3, level: 'exceptional' });
    expect(messagesIn(channels.recognition).filter((message) => message.content === `<@${volunteer}>`)).toHaveLength(3);
    const events = platform.events.filter((event) => event.type === 'recognition.created' && event.data.discordUserId === volunteer);
    await eventually(async () => (platform.events.filter((event) => event.type === 'recognition.created' && event.data.discordUserId === volunteer).length === 3 ? true : undefined), 10_000, 'three recognition events');
    expect(events.length).toBeLessThanOrEqual(3);

    const shown = await command(volunteer, 'milestones', {}, /VIS/);
    expect(shown).toContain(`**<@${volunteer}>**: VIS **80** · level **Exceptional** · 3 recognitions`);
    expect(shown).toContain('Top level reached');
  });

  test('a level role Steward cannot give is told to the recogniser and to the admins; the points still count', async () => {
    const above = world.sandbox.driver.createRole(world.guildId, { name: 'Above Steward', permissions: 0n, position: 100 }).id;
    await configure({ level_role_ids: { emerging: above } });
    try {
      const volunteer = member();
      const reply = await command(member(), 'recognize', { volunteer, achievement: 'Translated the welcome pack.', badge: 'emerging' }, /was recognised/);
      expect(reply).toContain("Their level role could not be given: Steward's role is not above the level role");
      await world.sandbox.driver.waitFor(() => messagesIn(channels.alerts).find((message) => message.content.includes(`<@${volunteer}> reached Emerging`)), 10_000);
      expect((await api<{ vis: number }>('GET', `/engagement/members/${volunteer}`)).body.vis).toBe(5);
    } finally {
      await configure();
    }
  });
});

describe('platform webhooks', () => {
  const program = () => ({ guild_id: world.guildId, program_id: `prog-${randomUUID().slice(0, 8)}`, program_name: 'Language Buddies' });
  const at = (minutes: number) => new Date(Date.UTC(2026, 11, 1, 12, minutes)).toISOString();
  const celebrationTitles = (name: string) => messagesIn(channels.milestones).map((message) => message.embeds?.[0]?.title ?? '').filter((title) => title.startsWith(`🎉 ${name}`));

  test('a bad, missing or stale signature is 401; a malformed body is 400 with details', async () => {
    const body = { ...program(), observed_at: at(0), hours: 10 };
    const raw = JSON.stringify(body);
    expect((await webhook('milestones', body, { headers: {} })).status).toBe(401);
    const wrong = await webhook('milestones', body, { headers: signedHeaders('not-the-secret-0123456789-0123456789', raw) });
    expect(wrong).toMatchObject({ status: 401, body: { error: { code: 'invalid_signature' } } });
    const stale = await webhook('milestones', body, { headers: signedHeaders(SECRET, raw, Date.now() - 10 * 60_000) });
    expect(stale.status).toBe(401);
    expect(stale.body).toMatchObject({ error: { message: 'The timestamp is outside the 300-second window.' } });
    const tampered = await webhook('milestones', { ...body, hours: 999 }, { headers: signedHeaders(SECRET, raw) });
    expect(tampered.status).toBe(401);
    const malformed = await webhook('milestones', { guild_id: 'nope', program_id: 'p', observed_at: 'yesterday' });
    expect(malformed.status).toBe(400);
    expect((malformed.body.error as { details: { path: string }[] }).details.map((detail) => detail.path)).toEqual(expect.arrayContaining(['guild_id', 'program_name', 'observed_at']));
    expect((await webhook('milestones', '{not json')).status).toBe(400);
  });

  test('a jump celebrates exactly the thresholds crossed, once; replays and older updates do nothing', async () => {
    const base = program();
    const name = `Hours ${base.program_id}`;
    const first = await webhook('milestones', { ...base, program_name: name, observed_at: at(0), hours: 190, sroi: 2.5, volunteers: 38 });
    expect(first.body).toEqual({ celebrations: [], baselines: ['hours', 'sroi', 'volunteers'], ignored: [] });
    const jump = { ...base, program_name: name, observed_at: at(5), hours: 410, sroi: 4.2, volunteers: 39 };
    const crossed = await webhook('milestones', jump);
    expect(crossed.body.celebrations).toEqual([
      { metric: 'hours', threshold: 200 },
      { metric: 'hours', threshold: 300 },
      { metric: 'hours', threshold: 400 },
      { metric: 'sroi', threshold: 3 },
      { metric: 'sroi', threshold: 4 },
    ]);
    await world.sandbox.driver.waitFor(() => celebrationTitles(name).length === 5, 15_000);
    expect(celebrationTitles(name).sort()).toEqual([
      `🎉 ${name} reached 200 volunteer hours!`,
      `🎉 ${name} reached 300 volunteer hours!`,
      `🎉 ${name} reached 400 volunteer hours!`,
      `🎉 ${name} reached a social return of 3:1!`,
      `🎉 ${name} reached a social return of 4:1!`,
    ]);
    // The same update again (a retried delivery), and one measured earlier that arrives late.
    expect((await webhook('milestones', jump)).body).toEqual({ celebrations: [], baselines: [], ignored: ['hours', 'sroi', 'volunteers'] });
    expect((await webhook('milestones', { ...base, program_name: name, observed_at: at(3), hours: 1000, volunteers: 60 })).body.ignored).toEqual(['hours', 'volunteers']);
    // A dip and a climb back past 400 does not celebrate 400 again; 40 volunteers is new.
    await webhook('milestones', { ...base, program_name: name, observed_at: at(6), hours: 350 });
    expect((await webhook('milestones', { ...base, program_name: name, observed_at: at(7), hours: 420, volunteers: 41 })).body.celebrations).toEqual([{ metric: 'volunteers', threshold: 40 }]);
    await world.sandbox.driver.waitFor(() => celebrationTitles(name).length === 6, 15_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(celebrationTitles(name)).toHaveLength(6);
  });

  test('celebrations no webhook drained, or whose claimer died before starting them, are started by the sweep once', async () => {
    const base = program();
    const name = `Outbox ${base.program_id}`;
    const statusOf = async () => (await db.query<{ status: string; batch_id: string | null }>('select status, batch_id from milestone_celebrations where program_id = $1 order by threshold', [base.program_id])).map((row) => [row.status, row.batch_id]);
    // What a webhook's transaction leaves when its process dies before the nudge: a pending, unclaimed row.
    const update = (minute: number, volunteers: number) => ({ guildId: world.guildId, programId: base.program_id, programName: name, observedAt: new Date(at(minute)), values: { volunteers } });
    await recordMilestoneUpdate(db.database, update(0, 5));
    expect((await recordMilestoneUpdate(db.database, update(1, 12))).crossings).toEqual([{ metric: 'volunteers', threshold: 10 }]);
    expect(await statusOf()).toEqual([['pending', null]]);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(celebrationTitles(name)).toEqual([]);

    const flows = new FlowStarter(await testClient(), steward.taskQueue);
    const outbox = new CelebrationOutbox({ database: db.database, flows, logger: createLogger({ level: 'silent' }) });
    expect(await outbox.sweep(new Date())).toBe(1);
    await world.sandbox.driver.waitFor(() => celebrationTitles(name).length === 1, 10_000);
    expect(celebrationTitles(name)).toEqual([`🎉 ${name} reached 10 volunteers!`]);
    const [[status, firstBatch]] = (await statusOf()) as [[string, string]];
    expect(status).toBe('started');
    // Swept again (another adapter's sweeper, the next round): nothing is pending, nothing is posted twice.
    expect(await outbox.sweep(new Date())).toBe(0);

    // A claimer that died after claiming, before starting: its claim is restarted under the batch's workflow id.
    expect((await recordMilestoneUpdate(db.database, update(2, 21))).crossings).toEqual([{ metric: 'volunteers', threshold: 20 }]);
    const [claimed] = (await claimCelebrations(db.database, { writtenBefore: new Date() })).filter((batch) => batch.celebrations.some((celebration) => celebration.programId === base.program_id));
    expect(claimed?.celebrations).toEqual([{ programId: base.program_id, programName: name, metric: 'volunteers', threshold: 20 }]);
    expect((await statusOf())[1]).toEqual(['pending', claimed!.batchId]);
    expect(await outbox.sweep(new Date())).toBe(1);
    await world.sandbox.driver.waitFor(() => celebrationTitles(name).length === 2, 10_000);
    const batchWorkflow = await (await testClient()).workflow.getHandle(celebrationBatchWorkflowId(world.guildId, claimed!.batchId)).describe();
    expect(batchWorkflow.type).toBe('celebrateMilestones');

    // A claimer that died after starting the workflow, before marking it: the restart finds the workflow and posts nothing.
    await db.query(`update milestone_celebrations set status = 'pending' where batch_id = $1`, [claimed!.batchId]);
    expect(await outbox.sweep(new Date())).toBe(0);
    expect(await statusOf()).toEqual([['started', firstBatch], ['started', claimed!.batchId]]);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(celebrationTitles(name)).toEqual([`🎉 ${name} reached 10 volunteers!`, `🎉 ${name} reached 20 volunteers!`]);
  });

  test('a buddy match DMs both members; a closed DM goes to the admins; a replayed match does nothing', async () => {
    const open = member();
    const closed = member();
    world.sandbox.driver.closeDirectMessages(closed);
    const match = { guild_id: world.guildId, match_id: `match-${randomUUID().slice(0, 8)}`, member_ids: [open, closed], program_name: 'Language Buddies' };
    expect(await webhook('buddy-matches', match)).toEqual({ status: 202, body: { match_id: match.match_id, duplicate: false } });
    const dm = await world.sandbox.driver.waitFor(() => (world.sandbox.driver.dmsFor(open) as unknown as Card[])[0], 10_000);
    expect(dm.embeds?.[0]?.description).toContain(`You have been matched with <@${closed}> in **Language Buddies**`);
    const alert = await world.sandbox.driver.waitFor(() => messagesIn(channels.alerts).find((message) => message.content.includes(match.match_id)), 10_000);
    expect(alert.content).toBe(`Buddy match ${match.match_id}: <@${closed}> does not accept DMs, so they were not told about their buddy <@${open}>. Please introduce them by hand.`);
    expect(await webhook('buddy-matches', match)).toEqual({ status: 202, body: { match_id: match.match_id, duplicate: true } });
    expect((await webhook('buddy-matches', { ...match, member_ids: [open, open] })).status).toBe(400);
  });

  test('an SLA breach reported by the platform reaches the admin alert channel once', async () => {
    const breach = { guild_id: world.guildId, breach_id: `sla-${randomUUID().slice(0, 8)}`, title: 'Mentor response time', detail: '3 requests waited over 48 hours.' };
    expect((await webhook('sla-breaches', breach)).status).toBe(202);
    expect((await webhook('sla-breaches', breach)).body.duplicate).toBe(true);
    await world.sandbox.driver.waitFor(() => messagesIn(channels.alerts).find((message) => message.content.includes('Mentor response time')), 10_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(messagesIn(channels.alerts).filter((message) => message.content.includes('Mentor response time'))).toHaveLength(1);
  });
});
