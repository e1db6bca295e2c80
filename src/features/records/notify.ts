// The client side of record notifications: a new record is signalled to its author's notification workflow,
// which is started by the same call if it is not running (signal-with-start), so concurrent creates join one burst.
import {
  RECORD_NOTIFICATIONS_WORKFLOW,
  recordCreated,
  recordNotificationsWorkflowId,
  type RecordNotificationsInput,
  type RecordNotificationsWorkflow,
} from '../../../workflows/records/notification-messages.js';
import { burstAuthorKey, resolveTiming, type NotificationTiming, type RecordSummary } from '../../../workflows/records/notifications.js';
import type { FlowStarter } from '../../temporal/start-flow.js';
import type { StoredRecord } from './store/records.js';

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
  flows: FlowStarter,
  record: StoredRecord,
  options: NotifyOptions = {},
): Promise<'signalled' | 'stale'> {
  const timing = resolveTiming(options.timing);
  if ((options.now ?? Date.now()) - record.createdAt.getTime() > timing.repeatWindowMs) return 'stale';
  const authorKey = burstAuthorKey(record);
  const input: RecordNotificationsInput = {
    guildId: record.guildId,
    authorKey,
    ...(options.timing ? { timing: options.timing } : {}),
  };
  await flows.signal<RecordNotificationsWorkflow, [RecordSummary]>(
    RECORD_NOTIFICATIONS_WORKFLOW,
    {
      workflowId: recordNotificationsWorkflowId(record.guildId, authorKey),
      args: [input],
      kind: 'record-notifications',
      guildId: record.guildId,
      summary: record.origin === 'api' ? `Notifications of records created through the API by ${record.createdBy}` : `Notifications of the records member ${record.createdBy} creates`,
      ...(record.origin === 'api' ? {} : { memberIds: [record.createdBy] }),
    },
    recordCreated,
    [toRecordSummary(record)],
  );
  return 'signalled';
}

export function toRecordSummary(record: StoredRecord): RecordSummary {
  return {
    id: record.id,
    guildId: record.guildId,
    recordType: record.recordType,
    description: record.description,
    subjectId: record.subjectId ?? null,
    authorDiscordId: record.authorDiscordId ?? null,
    origin: record.origin,
    createdBy: record.createdBy,
    occurredAt: record.occurredAt.toISOString(),
    createdAt: record.createdAt.toISOString(),
    sourceChannelIds: [...new Set(record.sources.map((source) => source.channelId))],
  };
}
