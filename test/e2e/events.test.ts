// Events end to end: /event create announces a card (mirrored in Discord's Events tab); members answer by button,
// reaction or "Interested"; a rush of clicks fills exactly the capacity with the rest waitlisted in click order;
// freed seats are offered and passed on; reminders fire on durable timers, move with the start, and skip no one
// because one member closed their DMs; cancelling tells everyone. discord.js against the sandbox (rate limits on),
// real Temporal, real PostgreSQL. Timing tests start the event workflow directly with offsets in seconds.
import { randomUUID } from 'node:crypto';
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import nodeIcal from 'node-ical';
import type { Client } from '@temporalio/client';
import { DirectChannelSchema } from '../../src/discord/direct-channels.js';
import { issueApiToken } from '../../src/http/api-tokens.js';
import type { RunningSteward } from '../../src/steward.js';
import { eventOccurrence } from '../../workflows/events/event-workflow.js';
import { cancelEvent, editEvent, eventState, eventWorkflowId, rsvp, setPersonalReminders, type EventDetails, type EventInput, type Member } from '../../workflows/events/messages.js';
import { BOT_PERMISSIONS, createWorld, type World } from '../sandbox/world.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { button, type Card } from '../support/review-cards.js';
import { eventually } from '../support/steward-process.js';
import { startTestSteward } from '../support/steward.js';
import { testClient } from '../support/temporal.js';

let world: World;
let db: TestDatabase;
let steward: RunningSteward;
let temporal: Client;
let token: string;

beforeAll(async () => {
  world = await createWorld();
  world.sandbox.driver.addBotToGuild(world.app.applicationId, world.guildId, { permissions: BOT_PERMISSIONS | P.ManageEvents });
  db = await createTestDatabase();
  steward = await startTestSteward(db, { world });
  temporal = await testClient();
  token = (await db.database.transaction((em) => issueApiToken(em, world.guildId, 'events tests'))).token;
});

afterAll(async () => {
  await steward?.stop();
  await temporal?.connection.close();
  await world?.sandbox.close();
  await db?.drop();
});

const driver = () => world.sandbox.driver;

function newMembers(count: number): string[] {
  return Array.from({ length: count }, () => {
    const id = driver().createUser({ username: `m-${randomUUID().slice(0, 6)}` }).id;
    driver().addMember(world.guildId, id);
    return id;
  });
}

const asMember = (userId: string): Member => ({ userId, roleIds: [], permissions: '0' });

/** The event's card as the channel shows it. */
function cardOf(eventId: string, title = /./): Promise<Card & { embeds: { title: string; fields?: { name: string; value: string }[]; footer?: { text: string } }[]; reactions?: { emoji: { name: string } }[] }> {
  return driver().waitFor(() => (driver().channelMessages(world.channelId) as never[] as (Card & { embeds: { title: string; footer?: { text: string } }[] })[]).find((message) => message.embeds?.some((embed) => embed.footer?.text.startsWith(`Event ${eventId} `) && title.test(embed.title))), 20_000) as never;
}

const field = (card: { embeds: { fields?: { name: string; value: string }[] }[] }, name: RegExp) => card.embeds[0]!.fields?.find((entry) => name.test(entry.name));

/** Starts an event workflow directly, as /event create does, with timings a test can wait for. */
async function startEvent(details: Partial<EventDetails>, organiserId = world.ownerId): Promise<EventInput> {
  const eventId = `t${randomUUID().slice(0, 8)}`;
  const input: EventInput = {
    guildId: world.guildId,
    eventId,
    organiserId,
    managerRoleIds: [],
    details: {
      title: `Event ${eventId}`,
      description: 'A test event',
      startsAt: Date.now() + 3_600_000,
      durationMinutes: 60,
      capacity: null,
      channelId: world.channelId,
      reminderOffsetsSeconds: [],
      remindMaybe: false,
      signupRoleId: null,
      rsvpCutoff: null,
      claimWindowSeconds: 7_200,
      timeZone: 'UTC',
      ...details,
    },
  };
  await temporal.workflow.start(eventOccurrence, { taskQueue: steward.taskQueue, workflowId: eventWorkflowId(world.guildId, eventId), args: [input] });
  await cardOf(eventId);
  return input;
}

const handleOf = (input: EventInput) => temporal.workflow.getHandle(eventWorkflowId(input.guildId, input.eventId));
const dmTexts = (userId: string) => (driver().dmsFor(userId) as unknown as { content: string }[]).map((message) => message.content);

test('/event create announces a card with buttons, reactions and a mirror in the Events tab; the list and the iCalendar feed show it', async () => {
  const command = driver().runSlashCommand(world.ownerId, world.guildId, world.channelId, 'event create', { title: 'Board game night', start: 'tomorrow 7:30pm', capacity: 8 } as never);
  const reply = await driver().waitFor(() => (command.responses() as { content?: string }[]).find((message) => message.content?.startsWith('Event **Board game night**')), 20_000);
  const eventId = /id `([a-z0-9]+)`/.exec(reply.content!)![1]!;
  const card = await cardOf(eventId);
  expect(card.components?.[0]?.components.map((component) => component?.label)).toEqual(['Going', 'Maybe', "Can't go"]);
  await eventually(async () => ((driver().channelMessages(world.channelId) as unknown as { id: string; reactions?: unknown[] }[]).find((message) => message.id === card.id)?.reactions?.length === 3 ? true : undefined), 10_000, 'the three answer reactions');
  const mirrored = await eventually(async () => (driver().scheduledEvents(world.guildId) as unknown as { name: string; entity_metadata: { location: string } }[]).find((event) => event.name === 'Board game night'), 10_000, 'the scheduled event');
  expect(mirrored.entity_metadata.location).toContain(card.id);

  const api = (path: string) => fetch(`${steward.httpUrl}/api/v1/guilds/${world.guildId}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const listed = (await (await api('/events')).json()) as { events: { event_id: string; capacity: number }[] };
  expect(listed.events.find((event) => event.event_id === eventId)).toEqual(expect.objectContaining({ capacity: 8 }));
  const calendar = nodeIcal.sync.parseICS(await (await api('/events.ics')).text());
  const entry = Object.values(calendar).find((component) => component?.type === 'VEVENT' && (component as { summary?: string }).summary === 'Board game night');
  expect(entry).toBeDefined();
});

test('/event create refuses what it cannot use, saying what to fix, and creates nothing', async () => {
  const ask = async (options: Record<string, unknown>) => {
    const command = driver().runSlashCommand(world.ownerId, world.guildId, world.channelId, 'event create', { title: 'Nope', ...options } as never);
    return (await driver().waitFor(() => (command.responses() as { content?: string }[]).find((message) => message.content), 20_000)).content!;
  };
  expect(await ask({ start: 'someday soon-ish' })).toBe('I could not read "someday soon-ish" as a time. Try "2026-12-05 18:00", "friday 6pm" or "tomorrow 7:30pm". Nothing was created.');
  expect(await ask({ start: '2020-01-01 10:00' })).toBe('That start is in the past. Nothing was created.');
  expect(await ask({ start: 'tomorrow 6pm', reminders: '1d, 12h, 6h, 2h, 1h, 30m' })).toBe('At most 5 reminders. Nothing was created.');
  expect(await ask({ start: 'tomorrow 6pm', reminders: '3d' })).toBe('A reminder would fall before now (the event starts sooner than that): choose shorter offsets. Nothing was created.');
  expect(await ask({ start: 'tomorrow 6pm', reminders: 'soon' })).toBe('I could not read "soon" as a reminder offset; write them like 24h, 1h, 30m. Nothing was created.');
  const titles = (driver().channelMessages(world.channelId) as unknown as Card[]).flatMap((message) => message.embeds?.map((embed) => embed.title) ?? []);
  expect(titles).not.toContain('Nope');
});

test('answers by button, by reaction and by "Interested" all count; the latest answer wins', async () => {
  const input = await startEvent({ capacity: 5 });
  const [alice, bob, carol] = newMembers(3) as [string, string, string];
  const card = await cardOf(input.eventId);
  // Members react once the card shows its three reactions, as they would in Discord.
  await eventually(async () => ((driver().channelMessages(world.channelId) as unknown as { id: string; reactions?: unknown[] }[]).find((message) => message.id === card.id)?.reactions?.length === 3 ? true : undefined), 10_000, 'the answer reactions');
  const click = driver().clickButton(alice, world.channelId, card.id, button(card, 'Going'));
  await driver().waitFor(() => (click.responses() as { content?: string }[]).find((message) => message.content === "You're going."), 10_000);
  driver().react(bob, world.channelId, card.id, '❔');
  const state = () => handleOf(input).query(eventState);
  await eventually(async () => ((await state()).roster.maybe.includes(bob) ? true : undefined), 10_000, 'bob as maybe');
  driver().react(bob, world.channelId, card.id, '✅');
  await eventually(async () => ((await state()).roster.going.includes(bob) ? true : undefined), 10_000, 'bob going after his second reaction');
  const mirror = await eventually(async () => (await db.query<{ scheduled_event_id: string }>('select scheduled_event_id from events where event_id = $1', [input.eventId]))[0]?.scheduled_event_id ?? undefined, 10_000, 'the mirror id');
  driver().markInterested(carol, world.guildId, mirror);
  await eventually(async () => ((await state()).roster.maybe.includes(carol) ? true : undefined), 10_000, 'carol as maybe from the Events tab');
  const updated = await cardOf(input.eventId);
  await eventually(async () => (field(await cardOf(input.eventId), /^Going/)?.name === 'Going (2/5)' ? true : undefined), 10_000, 'the card to count two going');
  expect(updated.id).toBe(card.id);
});

test('50 members clicking Going at once for 10 seats: exactly 10 going, 40 waitlisted in the order they clicked', async () => {
  const input = await startEvent({ capacity: 10 });
  const card = await cardOf(input.eventId);
  const members = newMembers(50);
  const clicks = members.map((userId) => ({ userId, click: driver().clickButton(userId, world.channelId, card.id, button(card, 'Going')) }));
  await Promise.all(clicks.map(({ click }) => driver().waitFor(() => (click.responses() as { content?: string }[]).find((message) => message.content), 30_000)));
  const { roster } = await handleOf(input).query(eventState);
  expect(roster.going).toHaveLength(10);
  expect(roster.waitlist).toHaveLength(40);
  const clickOrder = clicks.filter(({ userId }) => roster.waitlist.includes(userId)).sort((a, b) => (BigInt(a.click.id) < BigInt(b.click.id) ? -1 : 1)).map(({ userId }) => userId);
  expect(roster.waitlist).toEqual(clickOrder);
  await eventually(async () => (field(await cardOf(input.eventId), /^Going/)?.name === 'Going (10/10)' ? true : undefined), 15_000, 'the card to show 10/10');
});

test('a freed seat is offered by DM; an unclaimed offer passes to the next, who claims it', async () => {
  const input = await startEvent({ capacity: 1, claimWindowSeconds: 3 });
  const [first, second, third] = newMembers(3) as [string, string, string];
  for (const userId of [first, second, third]) await handleOf(input).executeUpdate(rsvp, { args: [{ member: asMember(userId), answer: 'going' }] });
  await handleOf(input).executeUpdate(rsvp, { args: [{ member: asMember(first), answer: 'no' }] });
  await eventually(async () => dmTexts(second).find((text) => text.startsWith('A seat opened up')), 10_000, 'the offer to the second');
  // The second does not claim in time: the offer passes to the third.
  const offer = await eventually(async () => (driver().dmsFor(third) as unknown as Card[]).find((message) => message.content?.startsWith('A seat opened up')), 15_000, 'the offer to the third');
  expect(dmTexts(second).some((text) => text.startsWith('Your seat offer'))).toBe(true);
  const claim = driver().clickButton(third, (offer as Card & { channel_id: string }).channel_id, offer.id, button(offer, 'Claim my seat'));
  await driver().waitFor(() => (claim.responses() as { content?: string }[]).find((message) => message.content === "You're going."), 10_000);
  const { roster } = await handleOf(input).query(eventState);
  expect(roster.going).toEqual([third]);
  expect(roster.maybe).toContain(second);
});

test('reminders go to the channel and to attendees at their offsets and at the start; a closed DM does not stop the others', async () => {
  const input = await startEvent({ startsAt: Date.now() + 9_000, reminderOffsetsSeconds: [6] });
  const [open, closed] = newMembers(2) as [string, string];
  driver().closeDirectMessages(closed);
  for (const userId of [open, closed]) await handleOf(input).executeUpdate(rsvp, { args: [{ member: asMember(userId), answer: 'going' }] });
  await eventually(async () => dmTexts(open).find((text) => text.startsWith(`Reminder: **${input.details.title}** starts in 6 seconds`)), 15_000, 'the reminder DM');
  const channelTexts = () => (driver().channelMessages(world.channelId) as unknown as { content: string }[]).map((message) => message.content);
  expect(channelTexts().filter((text) => text.startsWith(`**${input.details.title}** starts`))).toHaveLength(1);
  await eventually(async () => channelTexts().find((text) => text.startsWith(`**${input.details.title}** is starting now!`) && text.includes(`<@${open}>`) && text.includes(`<@${closed}>`)), 15_000, 'the starting-now ping');
  expect(dmTexts(closed)).toEqual([]);
  await eventually(async () => (field(await cardOf(input.eventId), /^Checked in/) ? true : undefined), 10_000, 'the card in its started form');
});

test("members' DM channels are opened when they answer and kept in PostgreSQL, so a reminder costs Discord one request per DM", async () => {
  const input = await startEvent({ startsAt: Date.now() + 12_000, reminderOffsetsSeconds: [6] });
  const members = newMembers(3);
  for (const userId of members) await handleOf(input).executeUpdate(rsvp, { args: [{ member: asMember(userId), answer: userId === members[2] ? 'maybe' : 'going' }] });
  const stored = await eventually(async () => {
    const rows = await db.database.fork().find(DirectChannelSchema, { userId: { $in: members } });
    return rows.length === members.length ? rows : undefined;
  }, 10_000, 'the DM channels stored');
  const opensBeforeReminder = driver().restLog().filter((entry) => entry.method === 'POST' && entry.route === '/users/@me/channels').length;
  await eventually(async () => (members.slice(0, 2).every((userId) => dmTexts(userId).some((text) => text.startsWith('Reminder:'))) ? true : undefined), 15_000, 'the reminder DMs');
  expect(driver().restLog().filter((entry) => entry.method === 'POST' && entry.route === '/users/@me/channels').length).toBe(opensBeforeReminder);
  const dmChannelOf = (userId: string) => (driver().dmsFor(userId)[0] as { channel_id: string }).channel_id;
  for (const userId of members.slice(0, 2)) expect(stored.find((row) => row.userId === userId)!.channelId).toBe(dmChannelOf(userId));
});

test('moving the start moves the reminders; a personal reminder fires at its own offset', async () => {
  const input = await startEvent({ startsAt: Date.now() + 60_000, reminderOffsetsSeconds: [52] });
  const [member] = newMembers(1) as [string];
  await handleOf(input).executeUpdate(rsvp, { args: [{ member: asMember(member), answer: 'going' }] });
  // The reminder was due 8 s from now; the event moves 2 minutes later, so it is now due in over two minutes.
  await handleOf(input).executeUpdate(editEvent, { args: [{ member: asMember(world.ownerId), change: { startsAt: Date.now() + 180_000 } }] });
  await handleOf(input).executeUpdate(setPersonalReminders, { args: [{ member: asMember(member), offsetsSeconds: [175] }] });
  await eventually(async () => dmTexts(member).find((text) => text.includes('starts in 175 seconds')), 20_000, 'the personal reminder');
  await new Promise((resolve) => setTimeout(resolve, 4_000));
  expect(dmTexts(member).filter((text) => text.includes('starts in 52 seconds'))).toEqual([]);
  const refused = await handleOf(input).executeUpdate(editEvent, { args: [{ member: asMember(member), change: { title: 'Mine now' } }] }).catch((error: unknown) => error);
  expect(String((refused as { cause?: { message?: string } }).cause?.message)).toContain('Only the organiser or an event manager can change this event.');
});

test('cancelling tells everyone who answered, closes the card and removes the mirror', async () => {
  const input = await startEvent({ capacity: 1 });
  const [going, waiting] = newMembers(2) as [string, string];
  for (const userId of [going, waiting]) await handleOf(input).executeUpdate(rsvp, { args: [{ member: asMember(userId), answer: 'going' }] });
  const mirror = await eventually(async () => (await db.query<{ scheduled_event_id: string }>('select scheduled_event_id from events where event_id = $1', [input.eventId]))[0]?.scheduled_event_id ?? undefined, 10_000, 'the mirror id');
  await handleOf(input).executeUpdate(cancelEvent, { args: [{ member: asMember(world.ownerId), reason: 'the venue flooded' }] });
  expect(await handleOf(input).result()).toBe('cancelled');
  await cardOf(input.eventId, /^Cancelled: /);
  for (const userId of [going, waiting]) expect(dmTexts(userId).some((text) => text.endsWith('was cancelled: the venue flooded'))).toBe(true);
  expect(driver().scheduledEvents(world.guildId).map((event) => event.id)).not.toContain(mirror);
});

test('a weekly series announces each occurrence as its own event and continues as new; stopping it announces no more', async () => {
  const command = driver().runSlashCommand(world.ownerId, world.guildId, world.channelId, 'event create', { title: 'Weekly raid night', start: 'tomorrow 8pm', repeat: 'weekly' } as never);
  const reply = await driver().waitFor(() => (command.responses() as { content?: string }[]).find((message) => message.content?.startsWith('Series')), 20_000);
  const seriesId = /id `([a-z0-9]+)`/.exec(reply.content!)![1]!;
  // Two occurrences fall within the two-week horizon: both are announced, each with its own card and answers.
  const rows = await eventually(
    async () => {
      const found = await db.query<{ event_id: string; starts_at: Date }>('select event_id, starts_at from events where series_id = $1 order by starts_at', [seriesId]);
      return found.length === 2 ? found : undefined;
    },
    20_000,
    'two occurrences',
  );
  expect(rows.map((row) => row.event_id)).toEqual([`${seriesId}-1`, `${seriesId}-2`]);
  expect(rows[1]!.starts_at.getTime() - rows[0]!.starts_at.getTime()).toBeGreaterThanOrEqual(7 * 86_400_000 - 3_600_000);
  const series = temporal.workflow.getHandle(`series:${world.guildId}:${seriesId}`);
  await eventually(async () => {
    const history = await series.fetchHistory();
    // The run waiting for the third occurrence started from continue-as-new, and its history is a handful of events.
    return (history.events?.length ?? 99) < 20 && (await series.describe()).status.name === 'RUNNING' ? true : undefined;
  }, 20_000, 'a short history in the run waiting for the third');
  const runs = [];
  for await (const execution of temporal.workflow.list({ query: `WorkflowId = "series:${world.guildId}:${seriesId}"` })) runs.push(execution.runId);
  expect(runs.length).toBe(3);

  const stop = driver().runSlashCommand(world.ownerId, world.guildId, world.channelId, 'event cancel', { id: seriesId, reason: 'season over', series: true } as never);
  await driver().waitFor(() => (stop.responses() as { content?: string }[]).find((message) => message.content === 'The series is stopped: no further occurrences will be announced.'), 20_000);
  expect(await series.result()).toBe('stopped: season over');
});

test('lowering the capacity moves the latest to join back to the waitlist, with a DM', async () => {
  const input = await startEvent({ capacity: 3 });
  const members = newMembers(3);
  for (const userId of members) await handleOf(input).executeUpdate(rsvp, { args: [{ member: asMember(userId), answer: 'going' }] });
  await handleOf(input).executeUpdate(editEvent, { args: [{ member: asMember(world.ownerId), change: { capacity: 2 } }] });
  const { roster } = await handleOf(input).query(eventState);
  expect(roster.going).toEqual(members.slice(0, 2));
  expect(roster.waitlist).toEqual([members[2]]);
  await eventually(async () => dmTexts(members[2]!).find((text) => text.includes('back at the top of its waitlist')), 10_000, 'the DM to the one moved');
});

test('during the event members check in; at the end the card shows the final list and attendance is stored', async () => {
  // Six seconds long, starting in three.
  const input = await startEvent({ startsAt: Date.now() + 3_000, durationMinutes: 0.1 });
  const [here, away] = newMembers(2) as [string, string];
  for (const userId of [here, away]) await handleOf(input).executeUpdate(rsvp, { args: [{ member: asMember(userId), answer: 'going' }] });
  const started = await cardOf(input.eventId, /^Happening now: /);
  const checkIn = driver().clickButton(here, world.channelId, started.id, button(started, "I'm here"));
  await driver().waitFor(() => (checkIn.responses() as { content?: string }[]).find((message) => message.content === 'Checked in. Enjoy!'), 10_000);
  expect(await handleOf(input).result()).toBe('ended');
  const ended = await cardOf(input.eventId, /^Ended: /);
  expect(ended.components ?? []).toEqual([]);
  expect(field(ended, /^Checked in/)?.value).toBe(`<@${here}>`);
  const attendance = await db.query<{ user_id: string; answer: string; checked_in_at: Date | null }>('select user_id, answer, checked_in_at from event_attendance where event_record_id = $1 order by checked_in_at nulls last', [`${world.guildId}:${input.eventId}`]);
  expect(attendance.map((row) => [row.user_id, row.answer, row.checked_in_at !== null])).toEqual([
    [here, 'going', true],
    [away, 'going', false],
  ]);
});
