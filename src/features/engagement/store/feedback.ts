// Feedback rows: written once by the workflow (a retried write finds the first), then moved along as the analysis
// and the review progress.
import type { FeedbackAnalysis, FeedbackInput } from '../../../../workflows/engagement/messages.js';
import type { EntityManager } from '../../../db/database.js';
import { FeedbackSchema, type Feedback } from './entities.js';

export async function saveFeedback(em: EntityManager, feedback: FeedbackInput, shareStatus: string): Promise<void> {
  await em
    .createQueryBuilder(FeedbackSchema)
    .insert({
      id: feedback.feedbackId,
      guildId: feedback.guildId,
      trackingId: feedback.trackingId,
      userId: feedback.userId,
      kind: feedback.kind,
      text: feedback.text,
      sentiment: feedback.sentiment,
      channelId: feedback.channelId,
      analysisStatus: feedback.kind === 'reaction' ? 'skipped' : 'received',
      analysis: null,
      shareStatus,
      reviewerId: null,
      createdAt: new Date(),
      updatedAt: new Date(),
    })
    .onConflict('id')
    .ignore()
    .execute('run');
}

export interface FeedbackPatch {
  analysisStatus?: string;
  analysis?: FeedbackAnalysis;
  shareStatus?: string;
  reviewerId?: string;
}

export async function updateFeedback(em: EntityManager, feedbackId: string, patch: FeedbackPatch): Promise<void> {
  await em.nativeUpdate(FeedbackSchema, { id: feedbackId }, { ...patch, updatedAt: new Date() });
}

export async function feedbackByTrackingId(em: EntityManager, guildId: string, trackingId: string): Promise<Feedback | null> {
  return em.findOne(FeedbackSchema, { guildId, trackingId: trackingId.toUpperCase() });
}

export async function feedbackOf(em: EntityManager, guildId: string, filter: { userId?: string; limit: number }): Promise<Feedback[]> {
  return em.find(FeedbackSchema, { guildId, ...(filter.userId ? { userId: filter.userId } : {}) }, { orderBy: { createdAt: 'desc' }, limit: filter.limit });
}
