// Which messages have been reviewed, kept for good: Temporal forgets closed workflow ids after its retention
// period, so "already processed" is answered from here.
import type { EntityManager } from '../../../db/database.js';

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

interface ReviewRow {
  id: string;
  status: string;
  reviewer_id: string;
  finished_at: Date | string | null;
}

/** Claims the message for this review; a retried attempt finds its own claim and succeeds again. */
export async function openReview(em: EntityManager, input: OpenReviewInput): Promise<OpenReviewResult> {
  const [existing] = await em.execute<ReviewRow[]>(
    'select id, status, reviewer_id, finished_at from record_reviews where guild_id = ? and message_id = ? for update',
    [input.guildId, input.messageId],
  );
  // A retried attempt of this same review finds its own open claim; a failed review may be tried again.
  const ownClaim = existing?.id === input.workflowId && existing.status === 'open';
  if (existing && !ownClaim && existing.status !== 'failed' && !input.force) {
    if (existing.status === 'open') {
      return { status: 'already_processed', detail: `<@${existing.reviewer_id}> is reviewing this message right now.` };
    }
    const when = existing.finished_at ? ` on ${new Date(existing.finished_at).toISOString().slice(0, 10)}` : '';
    return { status: 'already_processed', detail: `This message was already reviewed by <@${existing.reviewer_id}>${when}.` };
  }
  await em.execute(
    `insert into record_reviews (id, guild_id, channel_id, message_id, reviewer_id, status)
     values (?, ?, ?, ?, ?, 'open')
     on conflict (guild_id, message_id) do update
       set id = excluded.id, reviewer_id = excluded.reviewer_id, status = 'open', created = 0, skipped = 0,
           started_at = now(), finished_at = null`,
    [input.workflowId, input.guildId, input.channelId, input.messageId, input.reviewerId],
  );
  return { status: 'opened' };
}

export interface FinishReviewInput {
  workflowId: string;
  status: string;
  created?: number;
  skipped?: number;
}

export async function finishReview(em: EntityManager, input: FinishReviewInput): Promise<void> {
  await em.execute('update record_reviews set status = ?, created = ?, skipped = ?, finished_at = now() where id = ?', [
    input.status,
    input.created ?? 0,
    input.skipped ?? 0,
    input.workflowId,
  ]);
}
