// /records: list, read and create records. A repeated Idempotency-Key answers with the first record, never a
// second, so a client may retry a create whose answer it did not get.
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import type { Database } from '../../../db/database.js';
import type { Logger } from '../../../observability/logger.js';
import { MAX_DESCRIPTION_LENGTH } from '../../../../workflows/records/suggestions.js';
import {
  MAX_PAGE_SIZE,
  createRecord,
  getRecord,
  listRecords,
  type NewRecord,
  type StoredRecord,
} from '../store/records.js';
import { recordSettings } from '../store/settings.js';
import { HttpError, parseBody } from '../../../http/errors.js';
import { GUILD_PATH, callerOf } from '../../../http/guild-scope.js';
import { recordJson } from './json.js';
import { parseRequestPart } from '../../../http/request.js';

const DEFAULT_PAGE_SIZE = 50;

const id = z.string().min(1).max(64);

const listQuery = z.strictObject({
  type: z.string().min(1).max(50).optional(),
  subject_id: id.optional(),
  before: id.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
});

/** Source messages belong to records made from Discord, so the API does not take them. */
const newRecordBody = z.strictObject({
  record_type: z.string().min(1).max(50),
  description: z.string().trim().min(1).max(MAX_DESCRIPTION_LENGTH),
  subject_id: id.optional(),
  parent_id: id.optional(),
  // PostgreSQL's timestamps have no year 0 (ISO's 1 BC); four-digit years from 0001 on are taken.
  occurred_at: z.iso
    .datetime({ offset: true })
    .refine((text) => !(new Date(text).getUTCFullYear() < 1), 'a time from the year 1 on')
    .optional(),
});
type NewRecordBody = z.output<typeof newRecordBody>;

const idempotencyKey = z.string().regex(/^[\w.:-]{1,100}$/);

export interface RecordRoutesDependencies {
  database: Database;
  logger: Logger;
  onRecordCreated?: (record: StoredRecord) => Promise<void>;
}

export function recordRoutes({ database, logger, onRecordCreated }: RecordRoutesDependencies): Router {
  const router = Router();

  router.get(`${GUILD_PATH}/records`, async (request, response) => {
    const query = parseRequestPart('query', listQuery, request.query);
    const page = await listRecords(database.fork(), callerOf(response).guildId, {
      type: query.type,
      subjectId: query.subject_id,
      before: query.before,
      limit: query.limit,
    });
    response.json({ records: page.records.map(recordJson), next_before: page.nextBefore });
  });

  router.get(`${GUILD_PATH}/records/:recordId`, async (request, response) => {
    const record = await getRecord(database.fork(), callerOf(response).guildId, request.params.recordId);
    if (!record) throw new HttpError(404, 'record_not_found', 'No such record in this server.');
    response.json(recordJson(record));
  });

  router.post(`${GUILD_PATH}/records`, async (request, response) => {
    const caller = callerOf(response);
    const body = parseBody(newRecordBody, request.body);
    const key = request.header('idempotency-key');
    if (key !== undefined && !idempotencyKey.safeParse(key).success) {
      throw new HttpError(400, 'invalid_idempotency_key', 'Idempotency-Key must be 1–100 of [A-Za-z0-9_.:-].');
    }
    const recordId = randomUUID();
    const newRecord: NewRecord = {
      id: recordId,
      guildId: caller.guildId,
      recordType: body.record_type,
      description: body.description,
      subjectId: body.subject_id,
      parentId: body.parent_id,
      occurredAt: body.occurred_at ? new Date(body.occurred_at) : new Date(),
      origin: 'api',
      createdBy: caller.name,
      // Keys are unique across all servers: each server's callers get a namespace of their own.
      idempotencyKey: `api:${caller.guildId}:${key ?? recordId}`,
    };
    const { record, created } = await database.transaction(async (em) =>
      createRecord(em, newRecord, (await recordSettings(em, caller.guildId)).recordTypes),
    );
    if (created) {
      logger.info({ guildId: caller.guildId, recordId, tokenId: caller.tokenId }, 'Record created through the API');
    } else {
      assertSameRequest(record, body);
    }
    // Also on a repeat: if the hook failed after the commit, the client's retry is what runs it again.
    await onRecordCreated?.(record);
    response.status(created ? 201 : 200).json(recordJson(record));
  });

  return router;
}

/** A key reused for a different record is a client bug; answering with the first record would hide it. */
function assertSameRequest(record: StoredRecord, body: NewRecordBody): void {
  const same =
    record.recordType === body.record_type &&
    record.description === body.description &&
    record.subjectId === (body.subject_id ?? null) &&
    record.parentId === (body.parent_id ?? null) &&
    (body.occurred_at === undefined || Date.parse(body.occurred_at) === record.occurredAt.getTime());
  if (!same) {
    throw new HttpError(422, 'idempotency_key_reused', 'This Idempotency-Key was already used for a different record.');
  }
}
