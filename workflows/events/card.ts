// The event's announcement card: what, when (Discord timestamps, so each member sees their own local time), the
// counts and who is coming, and the buttons that fit the moment: answer before, check in during, nothing after. Pure.
import { ButtonStyle, DISCORD_LIMITS, button, buttonRow, truncate, type CardMessage } from '../shared/discord-kit.js';
import { eventCustomIds } from './custom-id.js';
import type { EventDetails, EventStatus } from './messages.js';
import type { RosterSnapshot } from './roster.js';

const COLOR = { scheduled: 0x5865f2, started: 0x57f287, ended: 0x99aab5, cancelled: 0xed4245 } as const;
/** Names listed per answer before "and N more". */
const LISTED = 30;

export interface CardInput {
  guildId: string;
  eventId: string;
  details: EventDetails;
  status: EventStatus;
  roster: RosterSnapshot;
  checkedIn: readonly string[];
  organiserId: string;
}

export function renderEventCard(input: CardInput): CardMessage {
  const { details, roster, status } = input;
  const start = Math.floor(details.startsAt / 1000);
  const end = start + details.durationMinutes * 60;
  const seats = details.capacity === null ? `${roster.going.length}` : `${roster.going.length}/${details.capacity}`;
  const list = (ids: readonly string[]) => (ids.length === 0 ? '—' : truncate(listed(ids), DISCORD_LIMITS.fieldValue));
  const fields = [
    { name: 'When', value: `<t:${start}:F> (<t:${start}:R>), until <t:${end}:t>`, inline: false },
    { name: `Going (${seats})`, value: list(roster.going), inline: true },
    { name: `Maybe (${roster.maybe.length})`, value: list(roster.maybe), inline: true },
    { name: `Can't go (${roster.no.length})`, value: list(roster.no), inline: true },
    ...(roster.waitlist.length > 0 || roster.offer ? [{ name: `Waitlist (${roster.waitlist.length + (roster.offer ? 1 : 0)})`, value: list([...(roster.offer ? [roster.offer.userId] : []), ...roster.waitlist]) }] : []),
    ...(status === 'started' || status === 'ended' ? [{ name: `Checked in (${input.checkedIn.length})`, value: list(input.checkedIn) }] : []),
  ];
  const key = { guildId: input.guildId, eventId: input.eventId };
  const heading = { scheduled: '', started: 'Happening now: ', ended: 'Ended: ', cancelled: 'Cancelled: ' }[status];
  const buttons =
    status === 'scheduled'
      ? [buttonRow([button('Going', eventCustomIds.encode('going', key), ButtonStyle.Success), button('Maybe', eventCustomIds.encode('maybe', key)), button("Can't go", eventCustomIds.encode('no', key), ButtonStyle.Danger)])]
      : status === 'started'
        ? [buttonRow([button("I'm here", eventCustomIds.encode('here', key), ButtonStyle.Primary)])]
        : [];
  return {
    content: '',
    embeds: [
      {
        title: truncate(`${heading}${details.title}`, DISCORD_LIMITS.title),
        description: truncate(details.description || ' ', DISCORD_LIMITS.description),
        color: COLOR[status],
        fields,
        footer: { text: `Event ${input.eventId} · organised by a member · react ✅ ❔ ❌ to answer` },
      },
    ],
    components: buttons,
  };
}

function listed(ids: readonly string[]): string {
  const shown = ids.slice(0, LISTED).map((id) => `<@${id}>`).join(', ');
  return ids.length > LISTED ? `${shown} and ${ids.length - LISTED} more` : shown;
}
