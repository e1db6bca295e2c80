// Records' part of the weekly digest: how many records were created, and about what.
import { raw } from '@mikro-orm/core';
import type { DigestPeriod, DigestSection } from '../../../workflows/shared/digest.js';
import type { Database } from '../../db/database.js';
import type { DigestSectionSource } from '../feature.js';
import { RecordSchema, SubjectSchema } from './store/entities.js';

export function recordsDigestSection(database: Database): DigestSectionSource {
  return { name: 'records', order: 20, gather: (period) => recordsSection(database, period) };
}

async function recordsSection(database: Database, { guildId, from, to }: DigestPeriod): Promise<DigestSection | null> {
  const em = database.fork();
  const created = { guildId, createdAt: { $gte: new Date(from), $lt: new Date(to) } };
  const count = await em.count(RecordSchema, created);
  if (count === 0) return null;
  const bySubject = await em
    .createQueryBuilder(RecordSchema)
    .select(['subjectId', raw('count(*) as records')])
    .where({ ...created, subjectId: { $ne: null } })
    .groupBy('subjectId')
    .orderBy({ [raw('count(*)')]: 'desc' })
    .limit(3)
    .execute<{ subjectId: string; records: string }[]>('all');
  const subjects = bySubject.length ? await em.find(SubjectSchema, { id: { $in: bySubject.map((row) => row.subjectId) } }) : [];
  const nameOf = new Map(subjects.map((subject) => [subject.id, subject.name]));
  return {
    title: '🗂️ Records',
    lines: [
      `**${count.toLocaleString('en')}** records created`,
      ...(bySubject.length ? [`Most about: ${bySubject.map((row) => `${nameOf.get(row.subjectId) ?? 'a removed subject'} (${Number(row.records)})`).join(', ')}`] : []),
    ],
  };
}
