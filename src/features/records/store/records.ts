// Records and their source messages. Writers choose the id and an idempotency key, so a retried write (an
// activity attempt, a client repeating a request) returns the record the first attempt made, never a second.
import type { EntityManager } from '../../../db/database.js';
import { StoreError } from '../../../db/store-error.js';
import type { RecordTypeConfig } from '../../../../workflows/records/record-types.js';
import { checkRecordLinks } from './record-checks.js';
import { textArray, textArrayParam, toIso } from './sql.js';

/** `discord` (a review) or `api`; notifications are not echoed back to where a record came from. */
export type RecordOrigin = 'discord' | 'api';

export interface RecordSourceMessage {
  messageId: string;
  channelId: string;
}

export interface NewRecord {
  id: string;
  guildId: string;
  recordType: string;
  description: string;
  subjectId?: string | null;
  parentId?: string | null;
  authorDiscordId?: string | null;
  maintainerId?: string | null;
  /** ISO timestamp of when the recorded thing happened. */
  occurredAt: string;
  origin: RecordOrigin;
  /** The reviewing member, or the API token's name. */
  createdBy: string;
  /** Unique across all servers, so writers put the server in it. */
  idempotencyKey: string;
  sources?: readonly RecordSourceMessage[];
}

export interface StoredRecord {
  id: string;
  guildId: string;
  recordType: string;
  description: string;
  subjectId: string | null;
  parentId: string | null;
  authorDiscordId: string | null;
  maintainerId: string | null;
  occurredAt: string;
  origin: RecordOrigin;
  createdBy: string;
  createdAt: string;
  sources: RecordSourceMessage[];
}

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

interface RecordRow {
  id: string;
  guild_id: string;
  record_type: string;
  description: string;
  subject_id: string | null;
  parent_id: string | null;
  author_discord_id: string | null;
  maintainer_id: string | null;
  occurred_at: string;
  origin: RecordOrigin;
  created_by: string;
  created_at: string;
}

const recordColumns = `id, guild_id, record_type, description, subject_id, parent_id, author_discord_id,
  maintainer_id, occurred_at, origin, created_by, created_at`;

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

  // A concurrent writer with the same key may win between the check above and this insert; then we read theirs.
  const inserted = await em.execute<{ id: string }[]>(
    `insert into records (id, guild_id, record_type, description, subject_id, parent_id, author_discord_id,
       maintainer_id, occurred_at, origin, created_by, idempotency_key)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     on conflict (idempotency_key) do nothing
     returning id`,
    [
      input.id,
      input.guildId,
      input.recordType,
      input.description,
      input.subjectId ?? null,
      input.parentId ?? null,
      input.authorDiscordId ?? null,
      input.maintainerId ?? null,
      input.occurredAt,
      input.origin,
      input.createdBy,
      input.idempotencyKey,
    ],
  );
  const created = inserted.length > 0;
  if (created && input.sources?.length) {
    const sources = input.sources.map((source) => ({ message_id: source.messageId, channel_id: source.channelId }));
    // `do nothing` absorbs a message listed twice.
    await em.execute(
      `insert into record_sources (record_id, message_id, guild_id, channel_id)
       select ?, source.message_id, ?, source.channel_id
       from jsonb_to_recordset(?::jsonb) as source(message_id text, channel_id text)
       on conflict do nothing`,
      [input.id, input.guildId, JSON.stringify(sources)],
    );
  }
  const record = await findByIdempotencyKey(em, input.guildId, input.idempotencyKey);
  if (!record) {
    throw new StoreError('conflict', 'idempotency_key_taken', 'Another server already used this idempotency key.');
  }
  return { record, created };
}

export async function getRecord(
  em: EntityManager,
  guildId: string,
  recordId: string,
): Promise<StoredRecord | undefined> {
  const rows = await em.execute<RecordRow[]>(`select ${recordColumns} from records where id = ? and guild_id = ?`, [
    recordId,
    guildId,
  ]);
  const [record] = await withSources(em, rows);
  return record;
}

/** Newest first by when the recorded thing happened; ties broken by id so pages never overlap or skip. */
export async function listRecords(em: EntityManager, guildId: string, filter: RecordFilter): Promise<RecordPage> {
  const limit = Math.min(Math.max(filter.limit, 1), MAX_PAGE_SIZE);
  const conditions = ['guild_id = ?'];
  const params: unknown[] = [guildId];
  if (filter.type !== undefined) {
    conditions.push('record_type = ?');
    params.push(filter.type);
  }
  if (filter.subjectId !== undefined) {
    conditions.push('subject_id = ?');
    params.push(filter.subjectId);
  }
  if (filter.before !== undefined) {
    const [cursor] = await em.execute<{ occurred_at: string }[]>(
      'select occurred_at from records where id = ? and guild_id = ?',
      [filter.before, guildId],
    );
    if (!cursor) {
      throw new StoreError('invalid', 'invalid_cursor', 'The page cursor is invalid.', [
        { field: 'before', message: 'no such record in this server' },
      ]);
    }
    // The stored text keeps PostgreSQL's microseconds, which a JavaScript Date would round away.
    conditions.push('(occurred_at, id) < (?::timestamptz, ?)');
    params.push(cursor.occurred_at, filter.before);
  }
  const rows = await em.execute<RecordRow[]>(
    `select ${recordColumns} from records where ${conditions.join(' and ')}
     order by occurred_at desc, id desc limit ?`,
    [...params, limit + 1],
  );
  const page = rows.slice(0, limit);
  return { records: await withSources(em, page), nextBefore: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
}

/** Which of these messages are already the source of a record (a review skips or marks them). */
export async function recordedMessageIds(
  em: EntityManager,
  guildId: string,
  messageIds: readonly string[],
): Promise<string[]> {
  if (messageIds.length === 0) return [];
  const rows = await em.execute<{ message_id: string }[]>(
    `select distinct message_id from record_sources where guild_id = ? and message_id in (${textArray})
     order by message_id`,
    [guildId, textArrayParam(messageIds)],
  );
  return rows.map((row) => row.message_id);
}

async function findByIdempotencyKey(
  em: EntityManager,
  guildId: string,
  idempotencyKey: string,
): Promise<StoredRecord | undefined> {
  const rows = await em.execute<RecordRow[]>(
    `select ${recordColumns} from records where idempotency_key = ? and guild_id = ?`,
    [idempotencyKey, guildId],
  );
  const [record] = await withSources(em, rows);
  return record;
}

async function withSources(em: EntityManager, rows: readonly RecordRow[]): Promise<StoredRecord[]> {
  if (rows.length === 0) return [];
  const sources = await em.execute<{ record_id: string; message_id: string; channel_id: string }[]>(
    `select record_id, message_id, channel_id from record_sources where record_id in (${textArray})
     order by message_id`,
    [textArrayParam(rows.map((row) => row.id))],
  );
  return rows.map((row) => ({
    id: row.id,
    guildId: row.guild_id,
    recordType: row.record_type,
    description: row.description,
    subjectId: row.subject_id,
    parentId: row.parent_id,
    authorDiscordId: row.author_discord_id,
    maintainerId: row.maintainer_id,
    occurredAt: toIso(row.occurred_at),
    origin: row.origin,
    createdBy: row.created_by,
    createdAt: toIso(row.created_at),
    sources: sources
      .filter((source) => source.record_id === row.id)
      .map((source) => ({ messageId: source.message_id, channelId: source.channel_id })),
  }));
}
