// The ping activity: one idempotent write to PostgreSQL. A retried attempt (say, after the worker was killed
// mid-activity) finds the row and counts the attempt instead of writing a second row.
import { Context } from '@temporalio/activity';
import { raw } from '@mikro-orm/core';
import type { Database } from '../../src/db/database.js';
import { PingSchema } from '../../src/features/ping/entity.js';

export interface RecordPingInput {
  pingId: string;
  message: string;
  /** Simulated slow downstream work after the write, heartbeating as it goes (diagnostics and crash tests). */
  holdMs: number;
}

export interface RecordedPing {
  pingId: string;
  message: string;
  attempts: number;
  recordedAt: string;
}

export function createPingActivities({ database }: { database: Database }) {
  return {
    async recordPing({ pingId, message, holdMs }: RecordPingInput): Promise<RecordedPing> {
      const row = await database.transaction(async (em) => {
        await em
          .createQueryBuilder(PingSchema)
          .insert({ id: pingId, message })
          .onConflict('id')
          .merge({ attempts: raw('pings.attempts + 1') })
          .execute('run');
        return em.findOneOrFail(PingSchema, { id: pingId });
      });
      Context.current().log.info('Ping recorded', { pingId, attempts: row.attempts });
      await holdWithHeartbeats(holdMs);
      return { pingId: row.id, message: row.message, attempts: row.attempts, recordedAt: row.createdAt.toISOString() };
    },
  };
}

/** Waits while heartbeating, so a dead worker is noticed within the heartbeat timeout, not the activity timeout. */
async function holdWithHeartbeats(holdMs: number): Promise<void> {
  const context = Context.current();
  const deadline = Date.now() + holdMs;
  while (Date.now() < deadline) {
    context.heartbeat();
    await context.sleep(Math.min(250, deadline - Date.now()));
  }
}

export type PingActivities = ReturnType<typeof createPingActivities>;
