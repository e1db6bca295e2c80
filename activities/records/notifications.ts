// Activities of the record notifications: post one burst's announcement (to the server's channel as a bot message,
// or through its webhook), and hand a record made by a review to the notification workflow.
import type { REST } from '@discordjs/rest';
import { Routes } from 'discord-api-types/v10';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Database, EntityManager } from '../../src/db/database.js';
import {
  chooseDestination,
  renderNotification,
  selectAnnounced,
  type NotificationMessage,
  type NotificationTiming,
  type PostOutcome,
  type RecordSummary,
} from '../../workflows/records/notifications.js';
import { getRecord } from '../../src/features/records/store/records.js';
import { recordSettings } from '../../src/features/records/store/settings.js';
import { listSubjects } from '../../src/features/records/store/subjects.js';
import { notifyRecordCreated } from '../../src/features/records/notify.js';
import { discordWebhookUrl } from '../../src/discord/webhook-url.js';
import { FlowStarter } from '../../src/temporal/start-flow.js';
import { discordCall } from '../shared/discord-call.js';
import { nonceFor } from '../shared/nonce.js';

export interface NotificationDependencies {
  database: Database;
  /** Discord's REST API (or the local sandbox's); undefined when this worker has no bot token. */
  discord?: REST;
  /**
   * What `announceRecord` signals the notification workflow with. Without it the worker's own client and the
   * activity's task queue are used.
   */
  flows?: FlowStarter;
  /** The notification workflow's timing, for tests. */
  notificationTiming?: Partial<NotificationTiming>;
  /** Origins besides Discord's own whose webhooks may be executed: the configured Discord API (a sandbox). */
  webhookOrigins?: readonly string[];
}

export interface PostRecordNotificationInput {
  /** Unique per batch (workflow id, run id, batch number): a retried post uses the same one. */
  idempotencyKey: string;
  guildId: string;
  records: RecordSummary[];
}

/** How long a webhook post may take before the attempt counts as failed (and is retried). */
const WEBHOOK_TIMEOUT_MS = 15_000;

export function createNotificationActivities({ database, discord, flows, notificationTiming, webhookOrigins = [] }: NotificationDependencies) {
  const rest = (): REST => {
    if (!discord) throw ApplicationFailure.nonRetryable('Discord is not configured on this worker', 'DiscordNotConfigured');
    return discord;
  };

  /** One record to its author's notification workflow, through the given starter or the worker's own client. */
  const announce = async (em: EntityManager, guildId: string, recordId: string): Promise<'signalled' | 'stale' | 'gone'> => {
    const record = await getRecord(em, guildId, recordId);
    if (!record) return 'gone';
    const starter = flows ?? new FlowStarter(Context.current().client, Context.current().info.taskQueue);
    return notifyRecordCreated(starter, record, { timing: notificationTiming });
  };

  return {
    /**
     * Reads the server's settings now (so a type switched off meanwhile stays quiet), leaves out what the settings
     * and the echo rule exclude, and posts the rest as one message. Safe to retry: a channel post carries a nonce
     * Discord enforces, so a retry after a lost answer finds the first message instead of sending a second.
     */
    async postRecordNotification(input: PostRecordNotificationInput): Promise<PostOutcome> {
      const { settings, subjects } = await database.transaction(async (em) => ({
        settings: await recordSettings(em, input.guildId),
        subjects: await listSubjects(em, input.guildId),
      }));
      const destination = chooseDestination(settings);
      if (!destination) return { status: 'skipped', reason: 'no_destination', skipped: input.records.length };
      const { announced, skipped } = selectAnnounced(input.records, { notifyTypes: settings.notifyTypes, destination });
      if (announced.length === 0) return { status: 'skipped', reason: 'nothing_to_announce', skipped: skipped.length };

      const message = renderNotification(announced, {
        typeLabels: Object.fromEntries(settings.recordTypes.map((type) => [type.name, type.label])),
        subjectNames: Object.fromEntries(subjects.map((subject) => [subject.id, subject.name])),
        recordsUrl: settings.recordsUrl,
      });
      const messageId =
        destination.kind === 'channel'
          ? await postToChannel(rest(), destination.channelId, message, input.idempotencyKey)
          : await executeWebhook(destination.url, message, webhookOrigins);
      return { status: 'posted', destination: destination.kind, messageId, announced: announced.length, skipped: skipped.length };
    },

    /**
     * Hands the records a review created to their authors' notification workflows (a signal-with-start each). Safe to
     * retry whole: a notification workflow takes a record in once by id. A record deleted meanwhile is left out.
     */
    async announceRecords(input: { guildId: string; recordIds: string[] }): Promise<{ signalled: number; stale: number; gone: number }> {
      const em = database.fork();
      const counts = { signalled: 0, stale: 0, gone: 0 };
      for (const recordId of input.recordIds) {
        const status = await announce(em, input.guildId, recordId);
        if (status === 'gone') Context.current().log.warn('A reviewed record is gone before its announcement', { recordId });
        counts[status]++;
      }
      return counts;
    },

    /** Hands a record a review just created to its author's notification workflow (signal-with-start). */
    async announceRecord(input: { guildId: string; recordId: string }): Promise<{ status: 'signalled' | 'stale' }> {
      const status = await announce(database.fork(), input.guildId, input.recordId);
      if (status === 'gone') throw ApplicationFailure.nonRetryable(`No record ${input.recordId} in ${input.guildId}`, 'RecordNotFound');
      return { status };
    },
  };
}


async function postToChannel(rest: REST, channelId: string, message: NotificationMessage, idempotencyKey: string): Promise<string> {
  const created = await discordCall(() =>
    rest.post(Routes.channelMessages(channelId), {
      body: { ...message, nonce: nonceFor(idempotencyKey), enforce_nonce: true },
    }),
  );
  return (created as { id: string }).id;
}

/**
 * `?wait=true` makes Discord answer with the message, so success means it exists. Webhooks take no nonce: a post
 * whose answer is lost may be repeated by the retry (at least once, unlike the channel's exactly once).
 */
async function executeWebhook(webhookUrl: string, message: NotificationMessage, trustedOrigins: readonly string[]): Promise<string | null> {
  const url = discordWebhookUrl(webhookUrl, trustedOrigins);
  if (!url) throw ApplicationFailure.nonRetryable('The notification webhook URL is not a Discord webhook', 'InvalidWebhookUrl');
  url.searchParams.set('wait', 'true');
  const signals = [AbortSignal.timeout(WEBHOOK_TIMEOUT_MS), ...activitySignal()];
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(message),
    signal: AbortSignal.any(signals),
  });
  const text = await response.text();
  if (response.ok) return (parseJson(text) as { id?: string } | undefined)?.id ?? null;
  if (response.status === 429) {
    const retryAfter = Number(response.headers.get('retry-after') ?? (parseJson(text) as { retry_after?: number })?.retry_after);
    throw ApplicationFailure.create({
      message: 'The webhook is rate limited',
      type: 'DiscordRateLimited',
      ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { nextRetryDelay: Math.ceil(retryAfter * 1000) } : {}),
    });
  }
  if (response.status >= 400 && response.status < 500) {
    throw ApplicationFailure.nonRetryable(`Discord refused the webhook post: ${response.status} ${text.slice(0, 300)}`, 'DiscordRefused', {
      status: response.status,
    });
  }
  throw ApplicationFailure.retryable(`The webhook answered ${response.status}`, 'DiscordUnavailable', { status: response.status });
}

/** The activity's cancellation, when running as an activity (tests may call the function directly). */
function activitySignal(): AbortSignal[] {
  try {
    return [Context.current().cancellationSignal];
  } catch {
    return [];
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
