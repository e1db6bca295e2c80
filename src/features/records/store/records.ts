// Records and their source messages. Writers choose the id and an idempotency key, so a retried write (an
// activity attempt, a client repeating a request) returns the record the first attempt made, never a second.
import { raw } from '@mikro-orm/core';
import type { EntityManager } from '../../../db/database.js';
import { StoreError } from '../../../db/store-error.js';
import type { RecordTypeConfig } from '../../../../workflows/records/record-types.js';
import { RecordSchema, RecordSourceSchema, type Record } from './entities.js';
import { checkRecordLinks } from './record-checks.js';

/** `discord` (a review) or `api`; notifications are not echoed back to where a record came from. */
export type RecordOrigin = Record['origin'];

export interface RecordSourceMessage {
  messageId: string;
  channelId: string;
}

/** A record row and the Discord messages it was made from. */
export type StoredRecord = Record & { sources: RecordSourceMessage[] };

/** What a writer gives: the entity's row (the database fills `createdAt`; links may be left out) and its sources. */
export type NewRecord = Pick<Record, 'id' | 'guildId' | 'recordType' | 'description' | 'occurredAt' | 'origin' | 'createdBy' | 'idempotencyKey'> &
  Partial<Pick<Record, 'subjectId' | 'parentId' | 'authorDiscordId' | 'maintainerId'>> & {
    sources?: readonly RecordSourceMessage[];
  };

export interface RecordFilter {
  type?: string;
  subjectId?: string;
  /** The id of the last record of the previous page. */
  before?: string;
  /** At most MAX_PAGE_SIZE. */
  limit: number;
}

export interface RecordPage {
  records: StoredRecord[];
  /** Pass as `before` for the next page; null on the last page. */
  nextBefore: string | null;
}

export const MAX_PAGE_SIZE = 100;

/**
 * Creates the record unless its idempotency key was used before, and tells which happened. A repeat returns the
 * stored record without checking the input again: the first attempt was checked, and the rules may have changed
 * since. `recordTypes` are the types the caller validated against (a running review keeps its own snapshot).
 * Call inside a transaction, so the record and its sources are written together.
 */
export async function createRecord(
  em: EntityManager,
  input: NewRecord,
  recordTypes: readonly RecordTypeConfig[],
): Promise<{ record: StoredRecord; created: boolean }> {
  const earlier = await findByIdempotencyKey(em, input.guildId, input.idempotencyKey);
  if (earlier) return { record: earlier, created: false };

  const issues = await checkRecordLinks(em, input, recordTypes);
  if (issues.length > 0) throw new StoreError('invalid', 'invalid_record', 'The record is invalid.', issues);

  const { sources = [], ...row } = input;
  // A concurrent writer with the same key may win between the check above and this insert; then we read theirs.
  const inserted = await em
    .createQueryBuilder(RecordSchema)
    .insert(row)
    .onConflict('idempotencyKey')
    .ignore()
    .execute('run');
  const created = inserted.affectedRows > 0;
  if (created && sources.length > 0) {
    const rows = sources.map((source) => ({ recordId: input.id, guildId: input.guildId, ...source }));
    // `ignore` absorbs a message listed twice.
    await em.createQueryBuilder(RecordSourceSchema).insert(rows).onConflict().ignore().execute('run');
  }
  const record = await findByIdempotencyKey(em, input.guildId, input.idempotencyKey);
  if (!record) {
    throw new StoreError('conflict', 'idempotency_key_taken', 'Another server already used this idempotency key.');
  }
  return { record, created };
}

export async function getRecord(em: EntityManager, guildId: string, recordId: string): Promise<StoredRecord | undefined> {
  const [record] = await withSources(em, await em.find(RecordSchema, { id: recordId, guildId }));
  return record;
}

/** Newest first by when the recorded thing happened; ties broken by id so pages never overlap or skip. */
export async function listRecords(em: EntityManager, guildId: string, filter: RecordFilter): Promise<RecordPage> {
  const limit = Math.min(Math.max(filter.limit, 1), MAX_PAGE_SIZE);
  if (filter.before !== undefined && !(await em.count(RecordSchema, { id: filter.before, guildId }))) {
    throw new StoreError('invalid', 'invalid_cursor', 'The page cursor is invalid.', [
      { field: 'before', message: 'no such record in this server' },
    ]);
  }
  const rows = await em.find(
    RecordSchema,
    {
      guildId,
      ...(filter.type === undefined ? {} : { recordType: filter.type }),
      ...(filter.subjectId === undefined ? {} : { subjectId: filter.subjectId }),
      // A row comparison, which the ORM's filters cannot say; the cursor's time is read in SQL, where it keeps
      // PostgreSQL's microseconds that a JavaScript Date would round away.
      ...(filter.before === undefined
        ? {}
        : {
            [raw('(occurred_at, id) < (select occurred_at, id from records where id = ? and guild_id = ?)', [filter.before, guildId])]: [],
          }),
    },
    { orderBy: { occurredAt: 'desc', id: 'desc' }, limit: limit + 1 },
  );
  const page = rows.slice(0, limit);
  return { records: await withSources(em, page), nextBefore: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
}

/** Which of these messages are already the source of a record (a review skips or marks them). */
export async function recordedMessageIds(em: EntityManager, guildId: string, messageIds: readonly string[]): Promise<string[]> {
  if (messageIds.length === 0) return [];
  const sources = await em.find(RecordSourceSchema, { guildId, messageId: { $in: [...messageIds] } }, { orderBy: { messageId: 'asc' } });
  return [...new Set(sources.map((source) => source.messageId))];
}

async function findByIdempotencyKey(em: EntityManager, guildId: string, idempotencyKey: string): Promise<StoredRecord | undefined> {
  const [record] = await withSources(em, await em.find(RecordSchema, { idempotencyKey, guildId }));
  return record;
}

async function withSources(em: EntityManager, records: readonly Record[]): Promise<StoredRecord[]> {
  if (records.length === 0) return [];
  const sources = await em.find(
    RecordSourceSchema,
    { recordId: { $in: records.map((record) => record.id) } },
    { orderBy: { messageId: 'asc' } },
  );
  return records.map((record) =>
    Object.assign(record, {
      sources: sources
        .filter((source) => source.recordId === record.id)
        .map((source) => ({ messageId: source.messageId, channelId: source.channelId })),
    }),
  );
}
