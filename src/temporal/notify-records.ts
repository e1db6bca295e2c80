// The client side of record notifications: a new record is signalled to its author's notification workflow,
// which is started by the same call if it is not running (signal-with-start), so concurrent creates join one burst.
import type { Client } from '@temporalio/client';
import { recordNotifications } from '../../workflows/record-notifications.js';
import {
  recordCreated,
  recordNotificationsWorkflowId,
  type RecordNotificationsInput,
} from '../../workflows/record-notification-messages.js';
import { FlowKind, GuildId } from '../../workflows/search-attributes.js';
import { burstAuthorKey, resolveTiming, type NotificationTiming, type RecordSummary } from '../records/notifications.js';
import type { StoredRecord } from '../records-store/records.js';

export interface NotifyOptions {
  /** Defaults to 5 minutes quiet, 15 at most; applies when this call starts the workflow. */
  timing?: Partial<NotificationTiming>;
  /** The current time (epoch ms), for tests. */
  now?: number;
}

/**
 * Idempotent, as the records API's hook must be: the workflow takes a record in once by id, and a record created
 * longer ago than the repeat window (a client re-sending old creates) is not news and is not signalled ('stale').
 */
export async function notifyRecordCreated(
  client: Client,
  taskQueue: string,
  record: StoredRecord,
  options: NotifyOptions = {},
): Promise<'signalled' | 'stale'> {
  const timing = resolveTiming(options.timing);
  const createdAt = Date.parse(record.createdAt);
  if (Number.isFinite(createdAt) && (options.now ?? Date.now()) - createdAt > timing.repeatWindowMs) return 'stale';
  const authorKey = burstAuthorKey(record);
  const input: RecordNotificationsInput = {
    guildId: record.guildId,
    authorKey,
    ...(options.timing ? { timing: options.timing } : {}),
  };
  await client.workflow.signalWithStart(recordNotifications, {
    taskQueue,
    workflowId: recordNotificationsWorkflowId(record.guildId, authorKey),
    args: [input],
    signal: recordCreated,
    signalArgs: [toRecordSummary(record)],
    typedSearchAttributes: [
      { key: FlowKind, value: 'record-notifications' },
      { key: GuildId, value: record.guildId },
    ],
  });
  return 'signalled';
}

export function toRecordSummary(record: StoredRecord): RecordSummary {
  return {
    id: record.id,
    guildId: record.guildId,
    recordType: record.recordType,
    description: record.description,
    subjectId: record.subjectId,
    authorDiscordId: record.authorDiscordId,
    origin: record.origin,
    createdBy: record.createdBy,
    occurredAt: record.occurredAt,
    createdAt: record.createdAt,
    sourceChannelIds: [...new Set(record.sources.map((source) => source.channelId))],
  };
}
