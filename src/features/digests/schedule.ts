// Each server's digest Schedule follows its settings: created when digests are turned on, changed with the day,
// hour or time zone (its paused state kept), deleted when they are turned off or Steward leaves the server. A
// calendar in the server's IANA time zone (Temporal keeps it at 09:00 local across daylight saving changes), overlap
// SKIP, and a catch-up window so a digest missed while the servers were down is still posted, once.
import { ScheduleAlreadyRunning, ScheduleNotFoundError, type Client, type ScheduleDescription, type ScheduleOptions } from '@temporalio/client';
import { postWeeklyDigest } from '../../../workflows/digests/digest-workflow.js';
import { digestScheduleId, type DigestInput } from '../../../workflows/digests/messages.js';
import { scheduleIdFor } from '../../temporal/schedules.js';
import { GuildId, FlowKind } from '../../../workflows/shared/search-attributes.js';
import type { DigestSettings } from './settings.js';

const WEEK_SECONDS = 7 * 86_400;
const DAYS = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'] as const;

export interface DigestScheduling {
  client: Client;
  taskQueue: string;
  /** Development and tests: every this many seconds instead of the weekly calendar. */
  intervalSeconds?: number | undefined;
}

export function digestScheduleHandle({ client, taskQueue }: DigestScheduling, guildId: string) {
  return client.schedule.getHandle(scheduleIdFor(digestScheduleId(guildId), taskQueue));
}

/** The Schedule a server's settings ask for. `startAt` lets a test read the calendar's times from a later date. */
export function digestScheduleOptions({ taskQueue, intervalSeconds }: Omit<DigestScheduling, 'client'>, guildId: string, settings: DigestSettings, startAt?: Date): ScheduleOptions {
  const period = intervalSeconds ?? WEEK_SECONDS;
  const input: DigestInput = { guildId, intervalSeconds: period, delivery: { kind: 'post' } };
  return {
    scheduleId: scheduleIdFor(digestScheduleId(guildId), taskQueue),
    spec: {
      ...(intervalSeconds ? { intervals: [{ every: `${intervalSeconds}s` }] } : { calendars: [{ dayOfWeek: DAYS[settings.dayOfWeek], hour: settings.hour, minute: 0 }], timezone: settings.timeZone }),
      ...(startAt ? { startAt } : {}),
    },
    action: {
      type: 'startWorkflow',
      workflowType: postWeeklyDigest,
      args: [input],
      taskQueue,
      // The server appends the nominal time: `digest:<guild>-<time>`, one run per slot whatever retries it makes.
      workflowId: digestScheduleId(guildId),
      typedSearchAttributes: [{ key: GuildId, value: guildId }, { key: FlowKind, value: 'digest' }],
      staticSummary: 'The weekly digest: every section gathered, rendered, posted and sent to subscribers',
    },
    // Two days of catch-up for a weekly digest (ten periods for a short test one): late, but posted, once.
    policies: { overlap: 'SKIP', catchupWindow: `${Math.max(10, Math.min(2 * 86_400, 10 * period))}s` },
    memo: { guildId },
  } as ScheduleOptions;
}

/** Brings the server's Schedule in line with its settings. */
export async function syncDigestSchedule(scheduling: DigestScheduling, guildId: string, settings: DigestSettings): Promise<'created' | 'updated' | 'deleted' | 'none'> {
  const handle = digestScheduleHandle(scheduling, guildId);
  if (!settings.enabled || !settings.channelId) return (await deleteDigestSchedule(scheduling, guildId)) ? 'deleted' : 'none';
  const options = digestScheduleOptions(scheduling, guildId, settings);
  try {
    await scheduling.client.schedule.create(options);
    return 'created';
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await handle.update((current) => ({ ...current, spec: options.spec, action: options.action, policies: { ...current.policies, ...options.policies } }) as never);
    return 'updated';
  }
}

/** True when there was a Schedule to delete. */
export async function deleteDigestSchedule(scheduling: DigestScheduling, guildId: string): Promise<boolean> {
  try {
    await digestScheduleHandle(scheduling, guildId).delete();
    return true;
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return false;
    throw error;
  }
}

/** The Schedule as an operator would read it, or undefined when the server has none. */
export async function describeDigestSchedule(scheduling: DigestScheduling, guildId: string): Promise<ScheduleDescription | undefined> {
  try {
    return await digestScheduleHandle(scheduling, guildId).describe();
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return undefined;
    throw error;
  }
}
