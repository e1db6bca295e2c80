// XP's part of the weekly digest: the members who earned the most XP in the week.
import { raw } from '@mikro-orm/core';
import type { DigestPeriod, DigestSection } from '../../../workflows/shared/digest.js';
import type { Database } from '../../db/database.js';
import type { DigestSectionSource } from '../feature.js';
import { XpDaySchema } from './store/entities.js';

export function levelingDigestSection(database: Database): DigestSectionSource {
  return { name: 'top-xp', order: 60, gather: (period) => topXpSection(database, period) };
}

async function topXpSection(database: Database, { guildId, from, to }: DigestPeriod): Promise<DigestSection | null> {
  // XP days are UTC days: the week's XP is that of the days the week touches.
  const top = await database
    .fork()
    .createQueryBuilder(XpDaySchema)
    .select(['userId', raw('sum(xp) as xp')])
    .where({ guildId, day: { $gte: from.slice(0, 10), $lte: to.slice(0, 10) } })
    .groupBy('userId')
    .orderBy([{ [raw('sum(xp)')]: 'desc' }, { userId: 'asc' }])
    .limit(5)
    .execute<{ userId: string; xp: string }[]>('all');
  if (top.length === 0) return null;
  const medals = ['🥇', '🥈', '🥉', '4.', '5.'];
  return { title: '🏆 Top XP this week', lines: top.map((row, index) => `${medals[index]} <@${row.userId}> · ${Number(row.xp).toLocaleString('en')} XP`) };
}
