// The subject catalogue (the team's machines): names are unique per server ignoring case, and a subject that
// records point at cannot be deleted.
import { randomUUID } from 'node:crypto';
import { LockMode, raw } from '@mikro-orm/core';
import type { EntityManager } from '../../../db/database.js';
import { StoreError } from '../../../db/store-error.js';
import { RecordSchema, SubjectSchema, type Subject } from './entities.js';

export type StoredSubject = Subject;

export async function listSubjects(em: EntityManager, guildId: string): Promise<StoredSubject[]> {
  return em.find(SubjectSchema, { guildId }, { orderBy: [{ [raw('lower(name)')]: 'asc' }, { id: 'asc' }] });
}

/** Call inside a transaction: the lock that makes the case-insensitive check safe lasts until it ends. */
export async function createSubject(em: EntityManager, guildId: string, name: string): Promise<StoredSubject> {
  // The table's unique constraint is case-sensitive, so concurrent creations in one server take turns instead.
  // An advisory lock is PostgreSQL's own function, which the ORM has no words for.
  await em.execute('select pg_advisory_xact_lock(hashtext(?))', [`subjects:${guildId}`]);
  const clash = await em.findOne(SubjectSchema, { guildId, [raw('lower(name)')]: name.toLowerCase() });
  if (clash) throw new StoreError('conflict', 'subject_exists', `A subject named "${clash.name}" already exists.`);
  const id = randomUUID();
  await em.insert(SubjectSchema, { id, guildId, name });
  return em.findOneOrFail(SubjectSchema, { id });
}

/** Call inside a transaction: the row lock keeps a record from naming the subject while it is being deleted. */
export async function deleteSubject(em: EntityManager, guildId: string, subjectId: string): Promise<void> {
  const subject = await em.findOne(SubjectSchema, { id: subjectId, guildId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!subject) throw new StoreError('not_found', 'subject_not_found', 'No such subject in this server.');
  // A new statement after the lock sees records committed by anyone who held the subject before us.
  if (await em.count(RecordSchema, { guildId, subjectId })) {
    throw new StoreError('conflict', 'subject_in_use', 'Records name this subject, so it cannot be deleted.');
  }
  await em.nativeDelete(SubjectSchema, { id: subjectId });
}
