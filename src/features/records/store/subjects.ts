// The subject catalogue (the team's machines): names are unique per server ignoring case, and a subject that
// records point at cannot be deleted.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '../../../db/database.js';
import type { Subject } from '../../../../workflows/records/subjects.js';
import { StoreError } from '../../../db/store-error.js';
import { toIso } from './sql.js';

export interface StoredSubject extends Subject {
  createdAt: string;
}

interface SubjectRow {
  id: string;
  name: string;
  created_at: string;
}

export async function listSubjects(em: EntityManager, guildId: string): Promise<StoredSubject[]> {
  const rows = await em.execute<SubjectRow[]>(
    'select id, name, created_at from subjects where guild_id = ? order by lower(name), id',
    [guildId],
  );
  return rows.map(toSubject);
}

/** Call inside a transaction: the lock that makes the case-insensitive check safe lasts until it ends. */
export async function createSubject(em: EntityManager, guildId: string, name: string): Promise<StoredSubject> {
  // The table's unique constraint is case-sensitive, so concurrent creations in one server take turns instead.
  await em.execute('select pg_advisory_xact_lock(hashtext(?))', [`subjects:${guildId}`]);
  const [clash] = await em.execute<SubjectRow[]>(
    'select id, name, created_at from subjects where guild_id = ? and lower(name) = lower(?)',
    [guildId, name],
  );
  if (clash) throw new StoreError('conflict', 'subject_exists', `A subject named "${clash.name}" already exists.`);
  const [row] = await em.execute<SubjectRow[]>(
    'insert into subjects (id, guild_id, name) values (?, ?, ?) returning id, name, created_at',
    [randomUUID(), guildId, name],
  );
  if (!row) throw new Error('insert into subjects returned no row');
  return toSubject(row);
}

/** Call inside a transaction: the row lock keeps a record from naming the subject while it is being deleted. */
export async function deleteSubject(em: EntityManager, guildId: string, subjectId: string): Promise<void> {
  const [subject] = await em.execute<{ id: string }[]>(
    'select id from subjects where id = ? and guild_id = ? for update',
    [subjectId, guildId],
  );
  if (!subject) throw new StoreError('not_found', 'subject_not_found', 'No such subject in this server.');
  // A new statement after the lock sees records committed by anyone who held the subject before us.
  const [used] = await em.execute('select 1 from records where guild_id = ? and subject_id = ? limit 1', [
    guildId,
    subjectId,
  ]);
  if (used) throw new StoreError('conflict', 'subject_in_use', 'Records name this subject, so it cannot be deleted.');
  await em.execute('delete from subjects where id = ?', [subjectId]);
}

function toSubject(row: SubjectRow): StoredSubject {
  return { id: row.id, name: row.name, createdAt: toIso(row.created_at) };
}
