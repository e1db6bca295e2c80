// An event's vocabulary: its details, how members answer (Updates, so a click is answered with its outcome), how the
// organiser changes or cancels it, and what it reports. The adapter, the HTTP API and the workflow share these.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Answer, RosterSnapshot, RsvpOutcome } from './roster.js';
import { utcMinute } from '../shared/details.js';

export interface EventDetails {
  title: string;
  description: string;
  /** Epoch ms. */
  startsAt: number;
  durationMinutes: number;
  /** Seats; null for no limit. */
  capacity: number | null;
  channelId: string;
  /** Seconds before the start, at most 5. */
  reminderOffsetsSeconds: number[];
  /** Whether Maybe members get the reminders too. */
  remindMaybe: boolean;
  /** Only members with this role may answer Going or Maybe. */
  signupRoleId: string | null;
  /** Epoch ms after which answers are closed. */
  rsvpCutoff: number | null;
  /** How long an offered seat waits to be claimed (never past the start). */
  claimWindowSeconds: number;
  /** The IANA zone the times were typed in, for the ICS feed and the card's footer. */
  timeZone: string;
}

export interface EventInput {
  guildId: string;
  eventId: string;
  organiserId: string;
  details: EventDetails;
  /** Roles that may edit or cancel any event, besides its organiser. */
  managerRoleIds: string[];
  /** The recurring series it belongs to. */
  seriesId?: string;
}

/** A member acting, as Discord describes them. */
export interface Member {
  userId: string;
  roleIds: string[];
  /** Discord's permission bits, as a decimal string. */
  permissions: string;
}

export interface RsvpRequest {
  member: Member;
  answer: Answer;
  /** The click's snowflake (the interaction id): the waitlist keeps the order of the clicks. */
  clickId?: string;
}

export interface RsvpResult {
  outcome: RsvpOutcome;
  /** Their place on the waitlist, from 1. */
  waitlistPosition?: number;
}

export type EventChange = Partial<Pick<EventDetails, 'title' | 'description' | 'startsAt' | 'durationMinutes' | 'capacity' | 'reminderOffsetsSeconds'>>;

export type EventStatus = 'scheduled' | 'started' | 'ended' | 'cancelled';

export interface EventState {
  status: EventStatus;
  details: EventDetails;
  roster: RosterSnapshot;
  cardMessageId: string | null;
  checkedIn: string[];
}

export const rsvp = defineUpdate<RsvpResult, [RsvpRequest]>('rsvp');
export const claimSeat = defineUpdate<RsvpResult, [{ member: Member }]>('claimSeat');
export const checkIn = defineUpdate<void, [{ member: Member }]>('checkIn');
export const setPersonalReminders = defineUpdate<number[], [{ member: Member; offsetsSeconds: number[] }]>('setPersonalReminders');
export const editEvent = defineUpdate<EventState, [{ member: Member; change: EventChange }]>('editEvent');
export const cancelEvent = defineUpdate<void, [{ member: Member; reason: string }]>('cancelEvent');
/** A reaction on the card (✅ ❔ ❌), or "Interested" on Discord's own event: answers without a reply to give. */
export const answerBySign = defineSignal<[{ userId: string; answer: Answer | null; via: 'reaction' | 'scheduled-event' }]>('answerBySign');
export const eventState = defineQuery<EventState>('eventState');

/** The failure type of a request the event will not take; its message is what the member reads. */
export const EVENT_REFUSED = 'EventRefused';

export function eventWorkflowId(guildId: string, eventId: string): string {
  return `event:${guildId}:${eventId}`;
}

/** The reactions that answer, on the card. */
export const REACTION_ANSWERS: Record<string, Answer> = { '✅': 'going', '❔': 'maybe', '❌': 'no' };

/** How a series repeats, from its first occurrence's wall-clock time in its time zone. */
export type RecurrenceRule = { kind: 'daily'; everyDays: number } | { kind: 'weekly'; everyWeeks: number } | { kind: 'monthly-weekday' };

export interface SeriesInput {
  guildId: string;
  seriesId: string;
  organiserId: string;
  managerRoleIds: string[];
  /** Every occurrence's details; each one's start comes from the rule. */
  template: EventDetails;
  rule: RecurrenceRule;
  /** The occurrence this run creates (0 for the first). */
  index: number;
}

/** Stops a series: no further occurrences are created (those already announced stay). */
export const stopSeries = defineSignal<[{ reason: string }]>('stopSeries');

/** Who may stop the series. */
export const seriesOwner = defineQuery<{ organiserId: string; managerRoleIds: string[] }>('seriesOwner');

export function seriesWorkflowId(guildId: string, seriesId: string): string {
  return `series:${guildId}:${seriesId}`;
}

/** An occurrence's event id: the series' id and its number, from 1. */
export function occurrenceEventId(seriesId: string, index: number): string {
  return `${seriesId}-${index + 1}`;
}

/** An event in one line, for the Web UI: "Event "Board games" at 2026-12-05 17:00 UTC, organised by member 123". */
export function eventSummary(input: Pick<EventInput, 'organiserId' | 'details'>): string {
  return `Event "${input.details.title}" at ${utcMinute(input.details.startsAt)}, organised by member ${input.organiserId}`;
}

export function seriesSummary(input: SeriesInput): string {
  return `Series "${input.template.title}" from ${utcMinute(input.template.startsAt)}, ${input.rule.kind}, organised by member ${input.organiserId}`;
}
