// Volunteer engagement's part of the weekly digest: feedback given and the themes Q2Q (or the models) found in it,
// recognitions, and milestones celebrated.
import { raw } from '@mikro-orm/core';
import type { DigestPeriod, DigestSection } from '../../../workflows/shared/digest.js';
import type { Database } from '../../db/database.js';
import type { DigestSectionSource } from '../feature.js';
import { FeedbackSchema, MilestoneCelebrationSchema, RecognitionSchema } from './store/entities.js';

export function engagementDigestSection(database: Database): DigestSectionSource {
  return { name: 'engagement', order: 50, gather: (period) => engagementSection(database, period) };
}

async function engagementSection(database: Database, { guildId, from, to }: DigestPeriod): Promise<DigestSection | null> {
  const em = database.fork();
  const inWeek = { guildId, createdAt: { $gte: new Date(from), $lt: new Date(to) } };
  const feedback = await em.find(FeedbackSchema, inWeek, { fields: ['analysis', 'sentiment'] });
  const [recognitions] = await em
    .createQueryBuilder(RecognitionSchema)
    .select([raw('count(*) as recognitions'), raw('coalesce(sum(points), 0) as points')])
    .where(inWeek)
    .execute<{ recognitions: string; points: string }[]>('all');
  const milestones = await em.count(MilestoneCelebrationSchema, inWeek);
  const recognised = Number(recognitions?.recognitions ?? 0);
  if (feedback.length === 0 && recognised === 0 && milestones === 0) return null;
  const themes = new Map<string, number>();
  for (const { analysis } of feedback) {
    // Q2Q's labels are a list; a model standing in gives `{ themes: [...] }`.
    const given = analysis?.labels as unknown;
    const labels: unknown[] = Array.isArray(given) ? given : Array.isArray((given as { themes?: unknown } | null)?.themes) ? (given as { themes: unknown[] }).themes : [];
    for (const label of labels) if (typeof label === 'string') themes.set(label, (themes.get(label) ?? 0) + 1);
  }
  const topThemes = [...themes].sort((left, right) => right[1] - left[1]).slice(0, 5);
  return {
    title: '🤝 Volunteering',
    lines: [
      ...(feedback.length ? [`**${feedback.length}** pieces of feedback${topThemes.length ? `; themes: ${topThemes.map(([theme, count]) => `${theme} (${count})`).join(', ')}` : ''}`] : []),
      ...(recognised ? [`**${recognised}** recognitions, ${Number(recognitions?.points ?? 0)} VIS points`] : []),
      ...(milestones ? [`**${milestones}** programme milestones celebrated`] : []),
    ],
  };
}
