// The record notifications' messages: the client helper signals-with-start through these same definitions.
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { Burst, NotificationTiming, PostOutcome, RecordSummary } from './notifications.js';

export interface RecordNotificationsInput {
  guildId: string;
  /** The Discord user id of the member who made the records, or `api:<token name>`. */
  authorKey: string;
  /** Defaults: 5 minutes quiet, 15 minutes at most, 1 hour of memory for repeats. Tests shorten them. */
  timing?: Partial<NotificationTiming>;
  /** State handed over by continue-as-new. */
  carried?: CarriedNotificationState;
}

export interface CarriedNotificationState {
  pending: RecordSummary[];
  burst?: Burst;
  /** Ids already taken in (posted or pending), newest last, so a repeated signal is still recognised. */
  seenIds: string[];
  /** When the latest record arrived: the workflow ends a repeat window after it. */
  lastRecordAt: number;
  batchesPosted: number;
}

export interface RecordNotificationStatus {
  pending: number;
  /** Batches handed to the post activity so far, over all runs (whatever each came to). */
  batches: number;
  lastOutcome?: PostOutcome;
}

/**
 * The workflow's type name and signature, so that activities can signal-with-start it without importing the
 * workflow module (which imports their types: that would be a cycle).
 */
export const RECORD_NOTIFICATIONS_WORKFLOW = 'recordNotifications';
export type RecordNotificationsWorkflow = (input: RecordNotificationsInput) => Promise<{ batches: number }>;

export const recordCreated = defineSignal<[RecordSummary]>('recordCreated');
export const recordNotificationStatus = defineQuery<RecordNotificationStatus>('recordNotificationStatus');

/** One workflow per server and author: concurrent creates by one author join the same burst. */
export function recordNotificationsWorkflowId(guildId: string, authorKey: string): string {
  return `notify:${guildId}:${authorKey}`;
}
