// Programme milestones: the last value seen per metric, and every threshold celebrated. An update that crosses a
// threshold is one transaction that locks the metric's row, so two updates at once cannot both celebrate it; a
// celebration row is written once ever (its key is the threshold), and stays `pending` until the workflow of the
// batch that claimed it has started (an outbox). Most updates cross nothing: those are written together
// (within-step-batch.ts).
import { randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import { crossedThresholds, type MilestoneMetric } from '../../../../workflows/engagement/milestones.js';
import type { Celebration, CelebrationBatchInput } from '../../../../workflows/engagement/messages.js';
import type { Database, EntityManager } from '../../../db/database.js';
import { MilestoneCelebrationSchema, type MilestoneCelebration } from './entities.js';
import { withinStepBatch } from './within-step-batch.js';

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

/**
 * Moves each metric to its new value unless the update was measured at or before the value it has, and writes the
 * thresholds crossed on the way, in the same transaction as the value that crossed them.
 */
export async function recordMilestoneUpdate(database: Database, update: MilestoneUpdate): Promise<MilestoneOutcome> {
  const entries = Object.entries(update.values) as [MilestoneMetric, number][];
  const withinStep = await Promise.all(entries.map(([metric, value]) => withinStepBatch(database).advance({ ...update, metric, value })));
  const rest = Object.fromEntries(entries.filter((_, index) => !withinStep[index]));
  if (Object.keys(rest).length === 0) return { crossings: [], baselines: [], ignored: [] };
  return database.transaction((em) => recordCrossings(em, { ...update, values: rest }));
}

async function recordCrossings(em: EntityManager, update: MilestoneUpdate): Promise<MilestoneOutcome> {
  const outcome: MilestoneOutcome = { crossings: [], baselines: [], ignored: [] };
  const { guildId, programId } = update;
  for (const [metric, value] of Object.entries(update.values) as [MilestoneMetric, number][]) {
    const moved = await advanceMilestone(em, { guildId, programId, metric, value, observedAt: update.observedAt });
    if (moved.kind !== 'advanced') {
      outcome[moved.kind === 'baseline' ? 'baselines' : 'ignored'].push(metric);
      continue;
    }
    const thresholds = crossedThresholds(metric, moved.previous, value);
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
  return outcome;
}

type Advance = { kind: 'baseline' } | { kind: 'stale' } | { kind: 'advanced'; previous: number };

/**
 * One statement (raw SQL: the ORM cannot say "upsert unless older, and tell me the value it replaced"): the metric's
 * row is locked and read, then written only if this update was measured later. A concurrent update for the same
 * metric waits for the lock and then reads the value this one wrote. Five ORM round trips cost the webhook a
 * quarter of its throughput (see bench/engagement.ts).
 */
async function advanceMilestone(em: EntityManager, input: { guildId: string; programId: string; metric: MilestoneMetric; value: number; observedAt: Date }): Promise<Advance> {
  const [row] = await em.execute<{ previous: number | null; written: boolean; inserted: boolean }[]>(
    `with previous as (
       select value from milestone_progress where guild_id = ? and program_id = ? and metric = ? for update
     ), written as (
       insert into milestone_progress (guild_id, program_id, metric, value, observed_at) values (?, ?, ?, ?, ?)
       on conflict (guild_id, program_id, metric) do update set value = excluded.value, observed_at = excluded.observed_at
         where milestone_progress.observed_at < excluded.observed_at
       returning (xmax = 0) as inserted
     )
     select (select value from previous) as previous, exists (select 1 from written) as written,
            coalesce((select inserted from written), false) as inserted`,
    [input.guildId, input.programId, input.metric, input.guildId, input.programId, input.metric, input.value, input.observedAt],
  );
  if (!row?.written) return { kind: 'stale' };
  // Inserted, or two first values racing (the loser updates a row it could not see): counting starts here.
  if (row.inserted || row.previous === null) return { kind: 'baseline' };
  return { kind: 'advanced', previous: Number(row.previous) };
}

/** One server's celebrations, celebrated by one workflow named after the batch. */
export type CelebrationBatch = CelebrationBatchInput;

/** A batch's workflow posts its cards one after another: this many stay well within a workflow's history. */
export const MAX_CELEBRATIONS_PER_BATCH = 25;

/**
 * Claims up to `limit` pending celebrations that no batch holds yet (written before `writtenBefore`, if given),
 * grouped by server into batches. Rows another process is claiming are skipped (SKIP LOCKED), so adapters drain the
 * outbox side by side without waiting for each other.
 */
export async function claimCelebrations(database: Database, { writtenBefore, limit = 500 }: { writtenBefore?: Date | undefined; limit?: number } = {}): Promise<CelebrationBatch[]> {
  return database.transaction(async (em) => {
    const rows = await em.find(
      MilestoneCelebrationSchema,
      { status: 'pending', batchId: null, ...(writtenBefore ? { createdAt: { $lt: writtenBefore } } : {}) },
      { orderBy: { createdAt: 'asc', threshold: 'asc' }, limit, lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE },
    );
    const claimedAt = new Date();
    const batches: CelebrationBatch[] = [];
    const filling = new Map<string, CelebrationBatch>();
    for (const row of rows) {
      let batch = filling.get(row.guildId);
      if (!batch || batch.celebrations.length >= MAX_CELEBRATIONS_PER_BATCH) {
        batch = { batchId: randomUUID(), guildId: row.guildId, celebrations: [] };
        filling.set(row.guildId, batch);
        batches.push(batch);
      }
      batch.celebrations.push(celebrationOf(row));
      row.batchId = batch.batchId;
      row.claimedAt = claimedAt;
    }
    return batches;
  });
}

/** Batches claimed before `claimedBefore` whose workflow is not known to have started (their claimer died). */
export async function staleCelebrationBatches(em: EntityManager, claimedBefore: Date, limit = 500): Promise<CelebrationBatch[]> {
  const rows = await em.find(
    MilestoneCelebrationSchema,
    { status: 'pending', batchId: { $ne: null }, claimedAt: { $lt: claimedBefore } },
    { orderBy: { batchId: 'asc', createdAt: 'asc', threshold: 'asc' }, limit },
  );
  const batches = new Map<string, CelebrationBatch>();
  for (const row of rows) {
    const batchId = row.batchId!;
    const batch = batches.get(batchId) ?? { batchId, guildId: row.guildId, celebrations: [] };
    batch.celebrations.push(celebrationOf(row));
    batches.set(batchId, batch);
  }
  return [...batches.values()];
}

function celebrationOf({ programId, programName, metric, threshold }: MilestoneCelebration): Celebration {
  return { programId, programName, metric: metric as MilestoneMetric, threshold };
}

export async function markBatchStarted(em: EntityManager, batchId: string): Promise<void> {
  await em.nativeUpdate(MilestoneCelebrationSchema, { batchId }, { status: 'started' });
}
