// Record notifications: one long-lived workflow per (server, author) coalesces that author's new records into
// bursts and announces each burst once, as a single message, in the server's notification channel or webhook.
// Started by signal-with-start, so concurrent creates join the same burst; records are taken in once by id; each
// post carries an idempotency key (workflow, run, batch) the activity turns into Discord's nonce.
import {
  ActivityFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { FlowKind, GuildId } from '../shared/search-attributes.js';
import type { RecordsActivities } from '../../activities/records/index.js';
import {
  MAX_BATCH_RECORDS,
  extendBurst,
  nextFlushAt,
  resolveTiming,
  type Burst,
  type PostOutcome,
  type RecordSummary,
} from './notifications.js';
import {
  recordCreated,
  recordNotificationStatus,
  type RecordNotificationsInput,
  type RecordNotificationsWorkflow,
} from './notification-messages.js';
import { clock, showDetails } from '../shared/details.js';

/** Batches per run before continue-as-new keeps the history short. */
const MAX_BATCHES_PER_RUN = 50;
/** Ids remembered across continue-as-new (the newest), for recognising repeated signals. */
const MAX_CARRIED_IDS = 2000;

/**
 * Transient Discord failures are retried only while Discord still remembers the batch's nonce (a few minutes): a
 * retry after a lost answer then finds the first message instead of sending a second. Past that the batch is
 * dropped and logged, never posted twice. A refusal (4xx) is final.
 */
const poster = proxyActivities<RecordsActivities>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '4 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

export async function recordNotifications(input: RecordNotificationsInput): ReturnType<RecordNotificationsWorkflow> {
  const { workflowId, runId } = workflowInfo();
  const timing = resolveTiming(input.timing);
  // Runs started before FlowStarter tagged flows at start tagged themselves; replaying them must do so again.
  if (!patched('flow-tagged-at-start')) {
    upsertSearchAttributes([
      { key: FlowKind, value: 'record-notifications' },
      { key: GuildId, value: input.guildId },
    ]);
  }

  const carried = input.carried;
  const pending: RecordSummary[] = [...(carried?.pending ?? [])];
  const seen = new Set<string>(carried?.seenIds ?? []);
  let burst: Burst | undefined = carried?.burst;
  let lastRecordAt = carried?.lastRecordAt ?? Date.now();
  let batchesPosted = carried?.batchesPosted ?? 0;
  let received = 0;
  let lastOutcome: PostOutcome | undefined;

  setHandler(recordCreated, (record: RecordSummary) => {
    // The API hook runs again on a repeated create, and an activity retry signals again: both are ignored here.
    if (seen.has(record.id)) return;
    if (record.guildId !== input.guildId) {
      log.warn('A record of another server was signalled; ignored', { recordId: record.id, guildId: record.guildId });
      return;
    }
    seen.add(record.id);
    pending.push(record);
    lastRecordAt = Date.now();
    burst = extendBurst(burst, lastRecordAt);
    received++;
  });
  setHandler(recordNotificationStatus, () => ({
    pending: pending.length,
    batches: batchesPosted,
    ...(lastOutcome ? { lastOutcome } : {}),
  }));

  let batch = 0;
  for (;;) {
    if (pending.length === 0) {
      // No burst open: stay a repeat window after the latest record, so a repeat of it is still recognised.
      const lingerMs = lastRecordAt + timing.repeatWindowMs - Date.now();
      showDetails(`${batchesPosted} notification${batchesPosted === 1 ? '' : 's'} posted; no burst open, watching for repeats until ${clock(lastRecordAt + timing.repeatWindowMs, Date.now())}`);
      if (lingerMs > 0) await condition(() => pending.length > 0, lingerMs);
      if (pending.length === 0) break;
    }

    // Wait for the burst to go quiet (or reach its longest wait); every new record moves the quiet deadline.
    while (pending.length < MAX_BATCH_RECORDS) {
      const waitMs = nextFlushAt(burst ?? extendBurst(undefined, Date.now()), timing) - Date.now();
      if (waitMs <= 0) break;
      const seenCount = received;
      showDetails(`A burst of ${pending.length} record${pending.length === 1 ? '' : 's'} is open; posted when it goes quiet, at ${clock(Date.now() + waitMs, Date.now())} at the latest`);
      await condition(() => received !== seenCount || pending.length >= MAX_BATCH_RECORDS, waitMs);
    }

    const records = pending.splice(0, MAX_BATCH_RECORDS);
    // Records arriving while this batch is posted open the next burst at their own time.
    burst = pending.length > 0 ? extendBurst(undefined, Date.now()) : undefined;
    const idempotencyKey = `${workflowId}:${runId}:${batch}`;
    batch++;
    batchesPosted++;
    lastOutcome = await postBatch(idempotencyKey, input.guildId, records);

    if (batch >= MAX_BATCHES_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof recordNotifications>({
        guildId: input.guildId,
        authorKey: input.authorKey,
        ...(input.timing ? { timing: input.timing } : {}),
        carried: {
          pending,
          ...(burst ? { burst } : {}),
          seenIds: [...seen].slice(-MAX_CARRIED_IDS),
          lastRecordAt,
          batchesPosted,
        },
      });
    }
  }

  await condition(allHandlersFinished);
  return { batches: batchesPosted };
}

/** A batch Discord refused for good (channel gone, access lost) or that kept failing is logged and dropped. */
async function postBatch(idempotencyKey: string, guildId: string, records: RecordSummary[]): Promise<PostOutcome> {
  try {
    return await poster.postRecordNotification({ idempotencyKey, guildId, records });
  } catch (error) {
    const cause = error instanceof ActivityFailure ? (error.cause ?? error) : error;
    const reason = cause instanceof Error ? cause.message : String(cause);
    log.warn('Records could not be announced', { guildId, idempotencyKey, records: records.map((record) => record.id), reason });
    return { status: 'failed', reason, records: records.length };
  }
}
