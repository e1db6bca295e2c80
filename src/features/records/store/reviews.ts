// Which messages have been reviewed, kept for good: Temporal forgets closed workflow ids after its retention
// period, so "already processed" is answered from here.
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '../../../db/database.js';
import { RecordReviewSchema } from './entities.js';

export interface OpenReviewInput {
  workflowId: string;
  guildId: string;
  channelId: string;
  messageId: string;
  reviewerId: string;
  /** A server admin's re-run takes the message over from the finished review. */
  force: boolean;
}

export type OpenReviewResult = { status: 'opened' } | { status: 'already_processed'; detail: string };

/** Claims the message for this review; a retried attempt finds its own claim and succeeds again. */
export async function openReview(em: EntityManager, input: OpenReviewInput): Promise<OpenReviewResult> {
  const existing = await em.findOne(
    RecordReviewSchema,
    { guildId: input.guildId, messageId: input.messageId },
    { lockMode: LockMode.PESSIMISTIC_WRITE },
  );
  // A retried attempt of this same review finds its own open claim; a failed review may be tried again.
  const ownClaim = existing?.id === input.workflowId && existing.status === 'open';
  if (existing && !ownClaim && existing.status !== 'failed' && !input.force) {
    if (existing.status === 'open') {
      return { status: 'already_processed', detail: `<@${existing.reviewerId}> is reviewing this message right now.` };
    }
    const when = existing.finishedAt ? ` on ${existing.finishedAt.toISOString().slice(0, 10)}` : '';
    return { status: 'already_processed', detail: `This message was already reviewed by <@${existing.reviewerId}>${when}.` };
  }
  // One row per message: a re-run takes the locked row over, starting its counts afresh.
  const claim = { id: input.workflowId, reviewerId: input.reviewerId, status: 'open', created: 0, skipped: 0, startedAt: new Date(), finishedAt: null };
  if (existing) await em.nativeUpdate(RecordReviewSchema, { guildId: input.guildId, messageId: input.messageId }, claim);
  else await em.insert(RecordReviewSchema, { ...claim, guildId: input.guildId, channelId: input.channelId, messageId: input.messageId });
  return { status: 'opened' };
}

export interface FinishReviewInput {
  workflowId: string;
  status: string;
  created?: number;
  skipped?: number;
}

export async function finishReview(em: EntityManager, input: FinishReviewInput): Promise<void> {
  await em.nativeUpdate(
    RecordReviewSchema,
    { id: input.workflowId },
    { status: input.status, created: input.created ?? 0, skipped: input.skipped ?? 0, finishedAt: new Date() },
  );
}
