// When an event's reminders fall: the event's own offsets (the channel post and a DM to every attendee), each
// member's personal offsets (a DM to them), and the "starting now" ping. Each reminder has a key that names the
// start it was computed for, so moving the event makes new reminders rather than resending or losing old ones.
// Pure.

export interface ReminderDue {
  key: string;
  at: number;
  kind: 'event' | 'personal' | 'start';
  /** Seconds before the start. */
  offsetSeconds: number;
  /** For a personal reminder. */
  userId?: string;
}

export interface ReminderPlanInput {
  startsAt: number;
  offsetsSeconds: readonly number[];
  personal: Readonly<Record<string, readonly number[]>>;
  /** Reminders before this instant are not sent (they belonged to the event before an edit moved it). */
  notBefore: number;
  sent: ReadonlySet<string>;
}

/** Every reminder still to send, soonest first. */
export function remindersToSend(input: ReminderPlanInput): ReminderDue[] {
  const { startsAt } = input;
  const all: ReminderDue[] = [
    ...input.offsetsSeconds.map((offset) => ({ key: `event:${offset}@${startsAt}`, at: startsAt - offset * 1000, kind: 'event' as const, offsetSeconds: offset })),
    ...Object.entries(input.personal).flatMap(([userId, offsets]) =>
      offsets.map((offset) => ({ key: `personal:${userId}:${offset}@${startsAt}`, at: startsAt - offset * 1000, kind: 'personal' as const, offsetSeconds: offset, userId })),
    ),
    { key: `start@${startsAt}`, at: startsAt, kind: 'start' as const, offsetSeconds: 0 },
  ];
  return all.filter((reminder) => reminder.at >= input.notBefore && !input.sent.has(reminder.key)).sort((a, b) => a.at - b.at);
}

/** "in 1 hour", "in 2 days", "in 15 minutes": how far ahead a reminder is. */
export function describeOffset(seconds: number): string {
  const units: [number, string][] = [
    [86_400, 'day'],
    [3_600, 'hour'],
    [60, 'minute'],
  ];
  for (const [size, name] of units) {
    if (seconds >= size && seconds % size === 0) {
      const count = seconds / size;
      return `in ${count} ${name}${count === 1 ? '' : 's'}`;
    }
  }
  return `in ${seconds} seconds`;
}

/** At most this many reminder offsets per event (and per member). */
export const MAX_OFFSETS = 5;
export const DEFAULT_OFFSETS_SECONDS = [24 * 3_600, 3_600];
