// VIS scores and the recognitions that make them. A recognition's row and its points are written in one
// transaction keyed by the interaction, so a retried recognition adds nothing.
import { LockMode } from '@mikro-orm/core';
import { addPoints } from '../../../../workflows/engagement/vis.js';
import type { RecognitionInput } from '../../../../workflows/engagement/messages.js';
import type { EntityManager } from '../../../db/database.js';
import { RecognitionSchema, VisScoreSchema, type VisScore } from './entities.js';

export async function awardRecognition(
  em: EntityManager,
  input: Omit<RecognitionInput, 'reply' | 'channelId'> & { points: number },
): Promise<{ scoreBefore: number; scoreAfter: number; counted: boolean }> {
  const earlier = await em.findOne(RecognitionSchema, { id: input.recognitionId });
  if (earlier) return { scoreBefore: earlier.scoreBefore, scoreAfter: earlier.scoreAfter, counted: false };
  const { guildId, volunteerId: userId } = input;
  await em.upsert(VisScoreSchema, { guildId, userId, score: 0, recognitions: 0, updatedAt: new Date() }, { onConflictAction: 'ignore', disableIdentityMap: true });
  const row = await em.findOneOrFail(VisScoreSchema, { guildId, userId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  const scoreBefore = row.score;
  row.score = addPoints(row.score, input.points);
  row.recognitions += 1;
  row.updatedAt = new Date();
  em.create(RecognitionSchema, {
    id: input.recognitionId,
    guildId,
    giverId: input.giverId,
    volunteerId: userId,
    badge: input.badge,
    points: input.points,
    achievement: input.achievement,
    scoreBefore,
    scoreAfter: row.score,
    createdAt: new Date(),
  });
  await em.flush();
  return { scoreBefore, scoreAfter: row.score, counted: true };
}

export async function visOf(em: EntityManager, guildId: string, userId: string): Promise<Pick<VisScore, 'score' | 'recognitions'>> {
  return (await em.findOne(VisScoreSchema, { guildId, userId })) ?? { score: 0, recognitions: 0 };
}

/** Sets a member's VIS (the platform's own figure, through the HTTP API); returns the score it replaced. */
export async function setVis(em: EntityManager, guildId: string, userId: string, score: number): Promise<number> {
  await em.upsert(VisScoreSchema, { guildId, userId, score: 0, recognitions: 0, updatedAt: new Date() }, { onConflictAction: 'ignore', disableIdentityMap: true });
  const row = await em.findOneOrFail(VisScoreSchema, { guildId, userId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  const before = row.score;
  row.score = score;
  row.updatedAt = new Date();
  await em.flush();
  return before;
}

export async function recentRecognitions(em: EntityManager, guildId: string, volunteerId: string, limit = 5) {
  return em.find(RecognitionSchema, { guildId, volunteerId }, { orderBy: { createdAt: 'desc' }, limit });
}
