// Moderation's part of the weekly digest: the cases opened, by kind, and how many automatic moderation opened.
import { raw } from '@mikro-orm/core';
import type { DigestPeriod, DigestSection } from '../../../workflows/shared/digest.js';
import type { Database } from '../../db/database.js';
import type { DigestSectionSource } from '../feature.js';
import { ModerationCaseSchema } from './store/entities.js';

export function moderationDigestSection(database: Database): DigestSectionSource {
  return { name: 'moderation', order: 31, gather: (period) => moderationSection(database, period) };
}

async function moderationSection(database: Database, { guildId, from, to }: DigestPeriod): Promise<DigestSection | null> {
  const rows = await database
    .fork()
    .createQueryBuilder(ModerationCaseSchema)
    .select(['kind', 'source', raw('count(*) as cases')])
    .where({ guildId, createdAt: { $gte: new Date(from), $lt: new Date(to) } })
    .groupBy(['kind', 'source'])
    .execute<{ kind: string; source: string; cases: string }[]>('all');
  if (rows.length === 0) return null;
  const byKind = new Map<string, number>();
  let automatic = 0;
  for (const row of rows) {
    byKind.set(row.kind, (byKind.get(row.kind) ?? 0) + Number(row.cases));
    if (row.source === 'automod') automatic += Number(row.cases);
  }
  const total = [...byKind.values()].reduce((sum, cases) => sum + cases, 0);
  return {
    title: '🛡️ Moderation',
    lines: [
      `**${total}** cases: ${[...byKind].sort((left, right) => right[1] - left[1]).map(([kind, cases]) => `${cases} ${kind}${cases === 1 ? '' : 's'}`).join(', ')}`,
      ...(automatic ? [`${automatic} opened by automatic moderation`] : []),
    ],
  };
}
