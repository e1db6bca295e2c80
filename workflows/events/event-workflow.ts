// One event occurrence (`event:<guild>:<event>`): the card, answers (Updates, so each click gets its outcome), the
// capacity with its waitlist and seat offers, reminders on durable timers (sent once, on time, even after restarts),
// changes and cancellation by the organiser, check-ins while it runs, and attendance once it is over. Card edits
// are coalesced, so a rush of clicks costs one edit every couple of seconds.
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { DirectMessage, EventsActivities } from '../../activities/events/index.js';
import { renderEventCard } from './card.js';
import {
  EVENT_REFUSED,
  answerBySign,
  cancelEvent,
  checkIn,
  claimSeat,
  editEvent,
  eventState,
  rsvp,
  setPersonalReminders,
  type EventDetails,
  type EventInput,
  type EventState,
  type EventStatus,
  type Member,
} from './messages.js';
import { MAX_OFFSETS, describeOffset, remindersToSend, type ReminderDue } from './reminders.js';
import { Roster, type Answer, type RosterSnapshot } from './roster.js';
import { clock, showDetails } from '../shared/details.js';

/** Discord and PostgreSQL answer in well under a second: an attempt lost with a dead worker is retried after 15 s. */
const io = proxyActivities<EventsActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/**
 * Reminders run as local activities: no round trip through the server to schedule them, so they stay on time when
 * many fall due at once. A long Discord outage still retries them, on durable timers.
 */
const reminders = proxyLocalActivities<EventsActivities>({
  startToCloseTimeout: '1 minute',
  localRetryThreshold: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/** The shortest time between two edits of the card: Discord allows about 5 edits per 5 s in a channel. */
const CARD_EDIT_INTERVAL_MS = 2_000;
/** Members pinged per "starting now" message, so each stays under Discord's 2,000 characters. */
const MENTIONS_PER_MESSAGE = 80;
const ADMINISTRATOR = 1n << 3n;

/** What a run hands the next one when its history is long (a busy event continues as new). */
export interface CarriedEvent {
  details: EventDetails;
  status: EventStatus;
  roster: RosterSnapshot;
  checkedIn: string[];
  personal: Record<string, number[]>;
  sent: string[];
  notBefore: number;
  cardMessageId: string;
  scheduledEventId: string | null;
}

export async function eventOccurrence(input: EventInput, carried?: CarriedEvent): Promise<EventStatus> {
  let details = carried?.details ?? input.details;
  const roster = carried ? Roster.from(carried.roster) : new Roster(details.capacity);
  let status: EventStatus = carried?.status ?? 'scheduled';
  const checkedIn: string[] = carried?.checkedIn ?? [];
  const personal: Record<string, number[]> = carried?.personal ?? {};
  const sent = new Set(carried?.sent ?? []);
  /** Reminders due before this were for a start that has since moved (or the event was created after them). */
  let notBefore = carried?.notBefore ?? Date.now();
  let cardMessageId: string | null = carried?.cardMessageId ?? null;
  let scheduledEventId = carried?.scheduledEventId ?? null;
  let cancelledBecause: string | undefined;
  let cardStale = false;
  let mirrorStale = false;
  let lastCardEdit = 0;
  /** A card edit in flight: it runs beside the main loop, so reminders never wait behind it. */
  let cardEditing = false;
  /** Members whose DM channels this run has opened ahead of their reminders, and whether it is opening more now. */
  const directChannelsOpen = new Set<string>();
  let directChannelsOpening = false;
  /** Bumped by every handler, so the main loop wakes to act on what changed. */
  let changes = 0;
  const notices: DirectMessage[] = [];
  const link = () => (cardMessageId ? `https://discord.com/channels/${input.guildId}/${details.channelId}/${cardMessageId}` : '');

  const state = (): EventState => ({ status, details, roster: roster.snapshot(), cardMessageId, checkedIn: [...checkedIn] });
  const changed = (options: { card?: boolean; mirror?: boolean } = { card: true }) => {
    if (options.card) cardStale = true;
    if (options.mirror) mirrorStale = true;
    changes++;
  };
  /** A freed seat goes to the first on the waitlist, by DM with a Claim button, until the claim window or the start. */
  const offerFreedSeat = () => {
    const offer = roster.offerNext(Math.min(Date.now() + details.claimWindowSeconds * 1000, details.startsAt));
    if (!offer) return;
    notices.push({
      userId: offer.userId,
      key: `offer:${input.eventId}:${offer.userId}:${offer.expiresAt}`,
      content: `A seat opened up for **${details.title}** (<t:${Math.floor(details.startsAt / 1000)}:F>). Claim it before <t:${Math.floor(offer.expiresAt / 1000)}:R>, or it goes to the next person waiting. ${link()}`,
      buttons: ['claim'],
    });
  };
  const isManager = (member: Member) =>
    member.userId === input.organiserId || (BigInt(member.permissions || '0') & ADMINISTRATOR) !== 0n || member.roleIds.some((role) => input.managerRoleIds.includes(role));
  const refuse = (words: string): never => {
    throw ApplicationFailure.create({ type: EVENT_REFUSED, message: words });
  };
  const checkAnswerAllowed = (member: Member, answer: Answer) => {
    if (status === 'cancelled') refuse('This event was cancelled.');
    if (status !== 'scheduled') refuse('Answers are closed: the event has started.');
    if (details.rsvpCutoff !== null && Date.now() > details.rsvpCutoff) refuse(`Answers closed <t:${Math.floor(details.rsvpCutoff / 1000)}:R>.`);
    if (answer !== 'no' && details.signupRoleId && !member.roleIds.includes(details.signupRoleId)) refuse(`Only members with the <@&${details.signupRoleId}> role can sign up.`);
  };
  const applyAnswer = (userId: string, answer: Answer, clickId?: string) => {
    const outcome = roster.answer(userId, answer, clickId);
    if (outcome !== 'unchanged') {
      offerFreedSeat();
      changed();
    }
    return outcome;
  };

  setHandler(eventState, state);
  setHandler(
    rsvp,
    ({ member, answer, clickId }) => {
      const outcome = applyAnswer(member.userId, answer, clickId);
      const position = roster.snapshot().waitlist.indexOf(member.userId);
      return { outcome, ...(position >= 0 ? { waitlistPosition: position + 1 } : {}) };
    },
    { validator: ({ member, answer }) => checkAnswerAllowed(member, answer) },
  );
  setHandler(
    claimSeat,
    ({ member }) => {
      roster.claim(member.userId);
      changed();
      return { outcome: 'going' };
    },
    {
      validator: ({ member }) => {
        if (status !== 'scheduled') refuse('This event is no longer taking answers.');
        const offer = roster.openOffer;
        if (roster.answerOf(member.userId) === 'going') refuse('You already have a seat.');
        if (!offer || offer.userId !== member.userId || offer.expiresAt <= Date.now()) refuse('This seat offer has passed; answer Going again to rejoin the waitlist.');
      },
    },
  );
  setHandler(
    checkIn,
    ({ member }) => {
      if (!checkedIn.includes(member.userId)) checkedIn.push(member.userId);
      changed();
    },
    {
      validator: (_request: { member: Member }) => {
        if (status !== 'started') refuse('Check-in opens when the event starts.');
      },
    },
  );
  setHandler(
    setPersonalReminders,
    ({ member, offsetsSeconds }) => {
      personal[member.userId] = [...new Set(offsetsSeconds)].sort((a, b) => b - a);
      changes++;
      return personal[member.userId]!;
    },
    {
      validator: ({ offsetsSeconds }: { offsetsSeconds: number[] }) => {
        if (status !== 'scheduled') refuse('This event is no longer ahead.');
        if (offsetsSeconds.length > MAX_OFFSETS) refuse(`At most ${MAX_OFFSETS} reminders.`);
        if (offsetsSeconds.some((offset) => details.startsAt - offset * 1000 <= Date.now())) refuse('A reminder would fall in the past: choose shorter offsets.');
      },
    },
  );
  setHandler(
    editEvent,
    ({ change }) => {
      const startMoved = change.startsAt !== undefined && change.startsAt !== details.startsAt;
      details = { ...details, ...change };
      if (startMoved) notBefore = Date.now();
      if (change.capacity !== undefined) {
        for (const userId of roster.setCapacity(change.capacity)) {
          notices.push({ userId, key: `demoted:${input.eventId}:${change.capacity}`, content: `**${details.title}** now has fewer seats, so you are back at the top of its waitlist. ${link()}` });
        }
        offerFreedSeat();
      }
      changed({ card: true, mirror: true });
      return state();
    },
    {
      validator: ({ member, change }) => {
        if (!isManager(member)) refuse('Only the organiser or an event manager can change this event.');
        if (status !== 'scheduled') refuse('Only an event that has not started can be changed.');
        if (change.startsAt !== undefined && change.startsAt <= Date.now()) refuse('The new start is in the past.');
        if (change.capacity !== undefined && change.capacity !== null && change.capacity < 1) refuse('A capacity must be at least 1 (or none).');
        if (change.reminderOffsetsSeconds && change.reminderOffsetsSeconds.length > MAX_OFFSETS) refuse(`At most ${MAX_OFFSETS} reminders.`);
      },
    },
  );
  setHandler(
    cancelEvent,
    ({ reason }) => {
      cancelledBecause = reason;
      changes++;
    },
    {
      validator: ({ member }) => {
        if (!isManager(member)) refuse('Only the organiser or an event manager can cancel this event.');
        if (status === 'ended' || status === 'cancelled' || cancelledBecause !== undefined) refuse('This event is already over.');
      },
    },
  );
  setHandler(answerBySign, ({ userId, answer, via }) => {
    if (status !== 'scheduled' || (details.rsvpCutoff !== null && Date.now() > details.rsvpCutoff)) return;
    const current = roster.answerOf(userId);
    if (answer === null) {
      // A reaction taken back withdraws the answer it gave, and only that one.
      if (current !== undefined) {
        roster.remove(userId);
        offerFreedSeat();
        changed();
      }
      return;
    }
    // "Interested" on Discord's event is a Maybe, which never overrides a firmer answer.
    if (via === 'scheduled-event' && current !== undefined && current !== 'no') return;
    if (answer !== 'no' && details.signupRoleId) return log.info('Sign-up by a sign ignored: the event needs a role', { userId });
    applyAnswer(userId, answer);
  });

  if (!carried) {
    cardMessageId = await io.postEventCard({ guildId: input.guildId, eventId: input.eventId, channelId: details.channelId, card: card() });
    // Saved before the reactions go up, so a reaction on the card finds its event.
    await io.saveEvent({ event: input, state: state(), scheduledEventId });
    await io.addAnswerReactions({ channelId: details.channelId, messageId: cardMessageId });
    scheduledEventId = await io.mirrorScheduledEvent({ guildId: input.guildId, scheduledEventId: null, details, state: 'scheduled', link: link() });
    await io.saveEvent({ event: input, state: state(), scheduledEventId });
  }

  /** "Scheduled for 18:00 UTC: 12/20 going, 3 maybe, 2 waiting; next reminder at 17:00 UTC". */
  function showProgress() {
    const { going, maybe, waitlist } = roster.snapshot();
    const seats = details.capacity === null ? `${going.length}` : `${going.length}/${details.capacity}`;
    const next = pending()[0];
    showDetails(
      `${status === 'started' ? 'Started' : 'Scheduled'} for ${clock(details.startsAt, Date.now())}: ${seats} going, ${maybe.length} maybe, ${waitlist.length} waiting`,
      next ? `Next reminder at ${clock(next.at, Date.now())}` : '',
    );
  }

  function card() {
    return renderEventCard({ guildId: input.guildId, eventId: input.eventId, details, status, roster: roster.snapshot(), checkedIn, organiserId: input.organiserId });
  }
  const refreshCard = async () => {
    cardStale = false;
    cardEditing = true;
    lastCardEdit = Date.now();
    try {
      await io.editEventCard({ channelId: details.channelId, messageId: cardMessageId!, card: card() });
      await io.saveEvent({ event: input, state: state(), scheduledEventId });
    } finally {
      cardEditing = false;
      changes++;
    }
  };
  /**
   * The DM channels of members who may be reminded, opened while the event is quiet: when many reminders fall due at
   * once, each costs Discord one request per DM instead of two. Beside the main loop, like the card.
   */
  const openDirectChannelsAhead = async () => {
    const members = [...roster.attendees(true), ...roster.snapshot().waitlist].filter((userId) => !directChannelsOpen.has(userId));
    directChannelsOpening = true;
    try {
      await io.openDirectChannels({ userIds: members });
      for (const userId of members) directChannelsOpen.add(userId);
    } finally {
      directChannelsOpening = false;
      changes++;
    }
  };
  const directChannelsToOpen = () => !directChannelsOpening && [...roster.attendees(true), ...roster.snapshot().waitlist].some((userId) => !directChannelsOpen.has(userId));
  const pending = () => remindersToSend({ startsAt: details.startsAt, offsetsSeconds: details.reminderOffsetsSeconds, personal, notBefore, sent });

  for (;;) {
    if (notices.length > 0) await io.sendDirectMessages({ guildId: input.guildId, eventId: input.eventId, messages: notices.splice(0) });
    if (cancelledBecause !== undefined) return cancel(cancelledBecause);
    const expired = roster.expireOffer(Date.now());
    if (expired) {
      notices.push({ userId: expired, key: `offer-passed:${input.eventId}:${expired}`, content: `Your seat offer for **${details.title}** has passed; it went to the next person waiting.` });
      offerFreedSeat();
      changed();
      continue;
    }
    for (const reminder of pending().filter((due) => due.at <= Date.now())) await remind(reminder);
    const endsAt = details.startsAt + details.durationMinutes * 60_000;
    if (status === 'started' && Date.now() >= endsAt) return end();
    if (mirrorStale) {
      mirrorStale = false;
      scheduledEventId = await io.mirrorScheduledEvent({ guildId: input.guildId, scheduledEventId, details, state: 'scheduled', link: link() });
    }
    if (cardStale && !cardEditing && Date.now() - lastCardEdit >= CARD_EDIT_INTERVAL_MS) void refreshCard();
    if (status === 'scheduled' && directChannelsToOpen() && patched('open-dm-channels-ahead')) void openDirectChannelsAhead();
    if (notices.length > 0) continue;
    if (workflowInfo().continueAsNewSuggested) {
      await condition(() => !cardEditing && !directChannelsOpening && allHandlersFinished());
      const next: CarriedEvent = { details, status, roster: roster.snapshot(), checkedIn, personal, sent: [...sent], notBefore, cardMessageId: cardMessageId!, scheduledEventId };
      return continueAsNew<typeof eventOccurrence>(input, next);
    }
    showProgress();
    const wakes = [pending()[0]?.at, roster.openOffer?.expiresAt, status === 'started' ? endsAt : undefined, cardStale && !cardEditing ? lastCardEdit + CARD_EDIT_INTERVAL_MS : undefined];
    const wakeAt = Math.min(...wakes.filter((at): at is number => at !== undefined));
    const seen = changes;
    await condition(() => changes !== seen, Number.isFinite(wakeAt) ? Math.max(wakeAt - Date.now(), 1) : undefined);
  }

  async function remind(reminder: ReminderDue) {
    sent.add(reminder.key);
    const start = Math.floor(details.startsAt / 1000);
    const attendees = roster.attendees(details.remindMaybe);
    if (reminder.kind === 'start') {
      status = 'started';
      changed();
      const going = roster.attendees(false);
      for (let index = 0, chunk = 0; index < Math.max(going.length, 1); index += MENTIONS_PER_MESSAGE, chunk++) {
        const mentioned = going.slice(index, index + MENTIONS_PER_MESSAGE);
        const content = chunk === 0 ? `**${details.title}** is starting now! ${mentioned.map((id) => `<@${id}>`).join(' ')}` : mentioned.map((id) => `<@${id}>`).join(' ');
        await io.postChannelReminder({ channelId: details.channelId, key: `${input.eventId}:${reminder.key}:${chunk}`, content, mention: mentioned, replyTo: cardMessageId });
      }
      return;
    }
    const when = `<t:${start}:F> (<t:${start}:R>)`;
    const recipients = reminder.kind === 'personal' ? [reminder.userId!].filter((id) => roster.answerOf(id) !== undefined && roster.answerOf(id) !== 'no') : attendees;
    const messages = recipients.map((userId) => ({
      userId,
      key: `${input.eventId}:${reminder.key}`,
      content: `Reminder: **${details.title}** starts ${describeOffset(reminder.offsetSeconds)}, ${when}. ${link()}`,
      buttons: ['leave' as const],
    }));
    // The members' DMs first, then the channel's post, in one local activity: a reminder is one workflow step.
    const { refused } = await reminders.deliverReminder({
      guildId: input.guildId,
      eventId: input.eventId,
      messages,
      ...(reminder.kind === 'event'
        ? { channelPost: { channelId: details.channelId, key: `${input.eventId}:${reminder.key}`, content: `**${details.title}** starts ${when}.`, replyTo: cardMessageId } }
        : {}),
    });
    if (refused.length > 0) log.info('Reminder DMs refused (members closed their DMs)', { eventId: input.eventId, reminder: reminder.key, refused });
  }

  async function cancel(reason: string): Promise<EventStatus> {
    const attendees = [...roster.attendees(true), ...roster.snapshot().waitlist];
    status = 'cancelled';
    showDetails(`Cancelled at ${clock(Date.now())}: ${reason}`);
    await condition(() => !cardEditing);
    await io.editEventCard({ channelId: details.channelId, messageId: cardMessageId!, card: card() });
    if (attendees.length > 0) {
      await io.sendDirectMessages({
        guildId: input.guildId,
        eventId: input.eventId,
        messages: attendees.map((userId) => ({ userId, key: `cancelled:${input.eventId}`, content: `**${details.title}** (<t:${Math.floor(details.startsAt / 1000)}:F>) was cancelled: ${reason}` })),
      });
    }
    await io.mirrorScheduledEvent({ guildId: input.guildId, scheduledEventId, details, state: 'cancelled', link: link() });
    await io.saveEvent({ event: input, state: state(), scheduledEventId });
    await condition(allHandlersFinished);
    return status;
  }

  async function end(): Promise<EventStatus> {
    status = 'ended';
    showDetails(`Ended at ${clock(Date.now())}: ${roster.snapshot().going.length} went, ${checkedIn.length} checked in`);
    await condition(() => !cardEditing);
    await io.editEventCard({ channelId: details.channelId, messageId: cardMessageId!, card: card() });
    await io.saveAttendance({ event: input, state: state() });
    await io.mirrorScheduledEvent({ guildId: input.guildId, scheduledEventId, details, state: 'ended', link: link() });
    await io.saveEvent({ event: input, state: state(), scheduledEventId });
    await condition(allHandlersFinished);
    return status;
  }
}
