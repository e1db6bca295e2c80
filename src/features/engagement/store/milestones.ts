// Programme milestones: the last value seen per metric, and every threshold celebrated. One transaction per update
// locks the metric's row, so two updates at once cannot both celebrate a threshold; a celebration row is written
// once ever (its key is the threshold), and stays `pending` until its workflow has started (an outbox).
import { LockMode } from '@mikro-orm/core';
import { crossedThresholds, type MilestoneMetric } from '../../../../workflows/engagement/milestones.js';
import type { EntityManager } from '../../../db/database.js';
import { MilestoneCelebrationSchema, MilestoneProgressSchema, type MilestoneCelebration } from './entities.js';

export interface MilestoneUpdate {
  guildId: string;
  programId: string;
  programName: string;
  observedAt: Date;
  values: Partial<Record<MilestoneMetric, number>>;
}

export interface MilestoneOutcome {
  /** Thresholds crossed by this update, each new (never celebrated before). */
  crossings: { metric: MilestoneMetric; threshold: number }[];
  /** The first value seen for a metric: where counting starts, nothing celebrated. */
  baselines: MilestoneMetric[];
  /** Replays and updates measured before the last one seen. */
  ignored: MilestoneMetric[];
}

export async function recordMilestoneUpdate(em: EntityManager, update: MilestoneUpdate): Promise<MilestoneOutcome> {
  const outcome: MilestoneOutcome = { crossings: [], baselines: [], ignored: [] };
  const { guildId, programId } = update;
  for (const [metric, value] of Object.entries(update.values) as [MilestoneMetric, number][]) {
    const first = await em
      .createQueryBuilder(MilestoneProgressSchema)
      .insert({ guildId, programId, metric, value, observedAt: update.observedAt })
      .onConflict()
      .ignore()
      .execute('run');
    if (first.affectedRows > 0) {
      outcome.baselines.push(metric);
      continue;
    }
    const row = await em.findOneOrFail(MilestoneProgressSchema, { guildId, programId, metric }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    if (update.observedAt.getTime() <= row.observedAt.getTime()) {
      outcome.ignored.push(metric);
      continue;
    }
    const thresholds = crossedThresholds(metric, Number(row.value), value);
    row.value = value;
    row.observedAt = update.observedAt;
    if (thresholds.length === 0) continue;
    const written = await em
      .createQueryBuilder(MilestoneCelebrationSchema)
      .insert(thresholds.map((threshold) => ({ guildId, programId, metric, threshold, programName: update.programName, status: 'pending', createdAt: new Date() })))
      .onConflict()
      .ignore()
      .returning(['threshold'])
      .execute('all');
    for (const { threshold } of written as { threshold: number }[]) outcome.crossings.push({ metric, threshold });
  }
  await em.flush();
  return outcome;
}

export async function markCelebrationsStarted(em: EntityManager, rows: Pick<MilestoneCelebration, 'guildId' | 'programId' | 'metric' | 'threshold'>[]): Promise<void> {
  for (const { guildId, programId, metric, threshold } of rows) {
    await em.nativeUpdate(MilestoneCelebrationSchema, { guildId, programId, metric, threshold }, { status: 'started' });
  }
}

/** Celebrations whose workflow may not have started: written longer ago than `olderThan`, still pending. */
export async function pendingCelebrations(em: EntityManager, olderThan: Date, limit = 100): Promise<MilestoneCelebration[]> {
  return em.find(MilestoneCelebrationSchema, { status: 'pending', createdAt: { $lt: olderThan } }, { orderBy: { createdAt: 'asc' }, limit });
}
