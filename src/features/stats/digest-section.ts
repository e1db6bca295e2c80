// Statistics' part of the weekly digest: who joined and left, how much was said, by how many, and where.
import { raw } from '@mikro-orm/core';
import type { DigestPeriod, DigestSection } from '../../../workflows/shared/digest.js';
import type { Database } from '../../db/database.js';
import type { DigestSectionSource } from '../feature.js';
import { busiestChannels } from './store/counters.js';
import { ChannelHourSchema, MemberDaySchema } from './store/entities.js';

export function statsDigestSection(database: Database): DigestSectionSource {
  return { name: 'activity', order: 10, gather: (period) => activitySection(database, period) };
}

async function activitySection(database: Database, { guildId, from, to }: DigestPeriod): Promise<DigestSection | null> {
  const em = database.fork();
  const [totals] = await em
    .createQueryBuilder(ChannelHourSchema)
    .select([raw('coalesce(sum(messages), 0) as messages'), raw('coalesce(sum(joins), 0) as joins'), raw('coalesce(sum(leaves), 0) as leaves'), raw('coalesce(sum(commands), 0) as commands')])
    .where({ guildId, hour: { $gte: new Date(from), $lt: new Date(to) } })
    .execute<{ messages: string; joins: string; leaves: string; commands: string }[]>('all');
  const messages = Number(totals?.messages ?? 0);
  const joins = Number(totals?.joins ?? 0);
  const leaves = Number(totals?.leaves ?? 0);
  if (messages === 0 && joins === 0 && leaves === 0) return null;
  const activeMembers = await distinctWriters(database, guildId, from, to);
  const channels = await busiestChannels(em, guildId, new Date(from), new Date(to), 3);
  return {
    title: '📈 Activity',
    lines: [
      `**${joins.toLocaleString('en')}** joined, **${leaves.toLocaleString('en')}** left`,
      `**${messages.toLocaleString('en')}** messages from **${activeMembers.toLocaleString('en')}** members; **${Number(totals?.commands ?? 0).toLocaleString('en')}** commands used`,
      ...(channels.length ? [`Busiest: ${channels.map((channel) => `<#${channel.channelId}> (${channel.messages.toLocaleString('en')})`).join(', ')}`] : []),
    ],
  };
}

/** Members' days are UTC days: the week's writers are those who wrote on any day the week touches. */
async function distinctWriters(database: Database, guildId: string, from: string, to: string): Promise<number> {
  const [row] = await database
    .fork()
    .createQueryBuilder(MemberDaySchema)
    .select(raw('count(distinct user_id) as members'))
    .where({ guildId, day: { $gte: from.slice(0, 10), $lte: to.slice(0, 10) } })
    .execute<{ members: string }[]>('all');
  return Number(row?.members ?? 0);
}
