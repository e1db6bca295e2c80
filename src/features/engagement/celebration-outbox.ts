// The milestone outbox's sweeper: a celebration written by a webhook whose workflow did not start (Temporal was
// unreachable, the process died between the commit and the start) is started here, at most a minute late. The
// workflow id is the threshold's, so a celebration the webhook did start is not started twice.
import type { MilestoneMetric } from '../../../workflows/engagement/milestones.js';
import type { Database } from '../../db/database.js';
import type { Logger } from '../../observability/logger.js';
import type { FlowStarter } from '../../temporal/start-flow.js';
import type { BackgroundService } from '../feature.js';
import { pendingCelebrations } from './store/milestones.js';
import { startCelebrations } from './webhooks.js';

const SWEEP_EVERY_MS = 30_000;
/** Younger rows are most likely being started by their webhook right now. */
const GRACE_MS = 30_000;

/** Starts the celebrations still pending that were written before `writtenBefore`; returns how many. */
export async function sweepCelebrationOutbox({ database, flows }: { database: Database; flows: FlowStarter }, writtenBefore: Date): Promise<number> {
  const pending = await pendingCelebrations(database.fork(), writtenBefore);
  await startCelebrations(database, flows, pending.map((row) => ({ ...row, metric: row.metric as MilestoneMetric })));
  return pending.length;
}

export function celebrationOutbox({ database, flows, logger }: { database: Database; flows: FlowStarter; logger: Logger }): BackgroundService {
  return {
    name: 'milestone celebration outbox',
    async start() {
      const sweep = async () => {
        const started = await sweepCelebrationOutbox({ database, flows }, new Date(Date.now() - GRACE_MS));
        if (started > 0) logger.info({ count: started }, 'Started celebrations left in the outbox');
      };
      const timer = setInterval(() => void sweep().catch((error: unknown) => logger.warn({ err: error }, 'The celebration outbox sweep failed')), SWEEP_EVERY_MS);
      timer.unref();
      return async () => clearInterval(timer);
    },
  };
}
