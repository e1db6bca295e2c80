// The rules a new record must pass against the server's data: its type exists, it sits under a parent that
// accepts it (or needs none), and its subject is in the catalogue when it names or needs one.
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '../../../db/database.js';
import { findRecordType, type RecordTypeConfig } from '../../../../workflows/records/record-types.js';
import type { FieldIssue } from '../../../db/store-error.js';
import { RecordSchema, SubjectSchema } from './entities.js';

export interface RecordLinks {
  guildId: string;
  recordType: string;
  subjectId?: string | null;
  parentId?: string | null;
}

/**
 * Every problem at once, so a caller can fix them in one go. Call inside a transaction: the named subject stays
 * locked against deletion until the record that names it is committed.
 */
export async function checkRecordLinks(
  em: EntityManager,
  { guildId, recordType, subjectId, parentId }: RecordLinks,
  recordTypes: readonly RecordTypeConfig[],
): Promise<FieldIssue[]> {
  const issues: FieldIssue[] = [];
  const type = findRecordType(recordTypes, recordType);
  if (!type) {
    const known = recordTypes.map(({ name }) => name).join(', ');
    issues.push({ field: 'recordType', message: `unknown record type "${recordType}" (known: ${known})` });
  }

  if (parentId) {
    const parent = await em.findOne(RecordSchema, { id: parentId, guildId }, { fields: ['recordType'] });
    if (!parent) issues.push({ field: 'parentId', message: 'no such record in this server' });
    else if (type && !findRecordType(recordTypes, parent.recordType)?.childTypes.includes(type.name)) {
      issues.push({ field: 'recordType', message: `a ${type.name} cannot be filed under a ${parent.recordType}` });
    }
  } else if (type?.childOnly) {
    issues.push({ field: 'parentId', message: `a ${type.name} must be filed under a parent record` });
  }

  if (subjectId) {
    const subject = await em.findOne(SubjectSchema, { id: subjectId, guildId }, { lockMode: LockMode.PESSIMISTIC_READ });
    if (!subject) issues.push({ field: 'subjectId', message: 'no such subject in this server' });
  } else if (type?.requiresSubject) {
    issues.push({ field: 'subjectId', message: `a ${type.name} must name a subject` });
  }
  return issues;
}
