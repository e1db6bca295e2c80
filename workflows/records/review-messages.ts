// The record review's messages: the adapter imports these same definitions to update and query the workflow.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { APIMessage } from 'discord-api-types/v10';
import type { ReviewCard } from './review-card.js';

export interface ReviewRequest {
  guildId: string;
  channelId: string;
  messageId: string;
  reviewerId: string;
  /** Discord's name for the reviewer, for attribution of what they confirm. */
  reviewerName: string;
  applicationId: string;
  /** The command's interaction token: the workflow edits the deferred ephemeral reply through it. */
  interactionToken: string;
  /**
   * The target as the interaction's resolved data carries it: readable even when the app lacks the Message Content
   * intent. Absent in runs started before it was passed.
   */
  targetMessage?: APIMessage;
  /** A server admin re-running a review of a message that was already processed. */
  force?: boolean;
  /** Inactivity before an abandoned review expires (default 15 minutes). */
  timeoutMs?: number;
}

/** A button click or modal submission on a card, naming the step the card showed. */
export interface ReviewClick {
  action: 'create' | 'skip' | 'cancel';
  stepIndex: number;
  userId: string;
  /** The click's own interaction token, valid 15 minutes: the newest one is used to close the card later. */
  interactionToken: string;
  edited?: { description?: string; subjectName?: string };
}

export interface ReviewSnapshot {
  phase: 'analysing' | 'reviewing' | 'finished';
  reviewerId: string;
}

export type ReviewOutcome =
  | { status: 'completed' | 'cancelled' | 'expired'; created: number; skipped: number }
  | { status: 'already_processed' | 'nothing_found' | 'failed' };

export const reviewClick = defineUpdate<ReviewCard, [ReviewClick]>('reviewClick');
export const reviewSnapshot = defineQuery<ReviewSnapshot>('reviewSnapshot');


/**
 * What a member reads when a click is not taken (or not taken yet), in Steward's words: one sentence per situation.
 * The workflow throws its refusals as failures of type REVIEW_REFUSAL, which the adapter shows as they are.
 */
export const reviewReplies = {
  over: 'This review is over.',
  notReady: 'This review is still reading the conversation; the first card comes in a moment.',
  notYours: (reviewerId: string) => `Only <@${reviewerId}> can act on this review.`,
  notCurrent: 'This card is not current any more.',
  /** Several clicks at the same moment: one was taken, and the card shows the review as it is now. */
  simultaneous: 'Another click on this card was taken at the same moment; the card shows where the review is now.',
  stillWorking: 'Steward is still saving that; the card will move on by itself.',
  notSaved: (item: number, reason?: string) =>
    reason ? `Item ${item} could not be saved: ${reason}.` : `Item ${item} could not be saved just now; please try again.`,
} as const;

export const REVIEW_REFUSAL = 'ReviewRefusal';
/** The failure type of a record write the store refused for good; its message says why. */
export const RECORD_REFUSED = 'RecordRefused';
