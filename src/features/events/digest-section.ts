// Events' part of the weekly digest: the events held in the week, with how many said they would come and how many
// checked in.
import { raw } from '@mikro-orm/core';
import type { DigestPeriod, DigestSection } from '../../../workflows/shared/digest.js';
import type { Database } from '../../db/database.js';
import type { DigestSectionSource } from '../feature.js';
import { EventAttendanceSchema, EventRecordSchema } from './store/entities.js';

const LISTED = 8;

export function eventsDigestSection(database: Database): DigestSectionSource {
  return { name: 'events', order: 40, gather: (period) => eventsSection(database, period) };
}

async function eventsSection(database: Database, { guildId, from, to }: DigestPeriod): Promise<DigestSection | null> {
  const em = database.fork();
  const held = await em.find(EventRecordSchema, { guildId, startsAt: { $gte: new Date(from), $lt: new Date(to) }, status: { $ne: 'cancelled' } }, { orderBy: { startsAt: 'asc' } });
  if (held.length === 0) return null;
  const checkedIn = await em
    .createQueryBuilder(EventAttendanceSchema)
    .select(['eventRecordId', raw('count(*) as members')])
    .where({ eventRecordId: { $in: held.map((event) => event.id) }, checkedInAt: { $ne: null } })
    .groupBy('eventRecordId')
    .execute<{ eventRecordId: string; members: string }[]>('all');
  const attended = new Map(checkedIn.map((row) => [row.eventRecordId, Number(row.members)]));
  const going = held.reduce((sum, event) => sum + event.going, 0);
  return {
    title: '📅 Events',
    lines: [
      `**${held.length}** events, **${going}** members going in all`,
      ...held.slice(0, LISTED).map((event) => {
        const link = event.cardMessageId ? `[${event.title}](https://discord.com/channels/${guildId}/${event.channelId}/${event.cardMessageId})` : event.title;
        const came = attended.get(event.id);
        return `${link} <t:${Math.floor(event.startsAt.getTime() / 1000)}:f>: ${event.going} going${came ? `, ${came} checked in` : ''}`;
      }),
      ...(held.length > LISTED ? [`…and ${held.length - LISTED} more`] : []),
    ],
  };
}
