// The milestone outbox's drainer. A webhook commits the thresholds it crossed as pending rows and nudges this; a
// moment later the drainer claims what is pending, one batch per server, and starts one workflow per batch. So a
// burst of a thousand updates costs Temporal a few workflow starts, not one per threshold, and the webhook never
// waits for Temporal. A batch is named before its workflow starts, so a process that dies in between leaves a
// claim the sweep restarts under the same workflow id: started once, whoever gets there.
import { celebrationBatchWorkflowId } from '../../../workflows/engagement/messages.js';
import { celebrateMilestones } from '../../../workflows/engagement/platform-workflows.js';
import type { Database } from '../../db/database.js';
import type { Logger } from '../../observability/logger.js';
import type { FlowStarter } from '../../temporal/start-flow.js';
import type { BackgroundService } from '../feature.js';
import { claimCelebrations, markBatchStarted, staleCelebrationBatches, type CelebrationBatch } from './store/milestones.js';

/** How long a nudge waits, so the crossings of a burst are claimed together. */
const GATHER_MS = 500;
const SWEEP_EVERY_MS = 30_000;
/**
 * The sweep takes rows older than this: a pending row no nudge drained (its webhook's process died), and a claim
 * whose workflow is not marked started (its claimer died). Younger ones are most likely in hand right now.
 */
const SWEEP_AFTER_MS = 30_000;

export interface OutboxDependencies {
  database: Database;
  flows: FlowStarter;
  logger: Logger;
}

export class CelebrationOutbox {
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<number> | undefined;

  constructor(private readonly dependencies: OutboxDependencies) {}

  /** Something was committed: drain soon. Many nudges in the gathering window make one drain. */
  nudge(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.drain().catch((error: unknown) => this.dependencies.logger.warn({ err: error }, 'Celebrations left for the next sweep'));
    }, GATHER_MS);
    this.timer.unref();
  }

  /** Claims and starts what is pending (written before `writtenBefore`, if given); returns how many it started. */
  async drain(writtenBefore?: Date): Promise<number> {
    // One drain at a time in a process: a second would only find the first one's claims gone.
    while (this.draining) await this.draining.catch(() => 0);
    this.draining = this.drainPending(writtenBefore);
    try {
      return await this.draining;
    } finally {
      this.draining = undefined;
    }
  }

  /** What no nudge drained and claims whose claimer died, older than `before`; returns how many it started. */
  async sweep(before = new Date(Date.now() - SWEEP_AFTER_MS)): Promise<number> {
    const stale = await staleCelebrationBatches(this.dependencies.database.fork(), before);
    let started = 0;
    for (const batch of stale) started += await this.startBatch(batch);
    return started + (await this.drain(before));
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async drainPending(writtenBefore: Date | undefined): Promise<number> {
    let started = 0;
    for (;;) {
      const batches = await claimCelebrations(this.dependencies.database, { writtenBefore });
      if (batches.length === 0) return started;
      for (const batch of batches) started += await this.startBatch(batch);
    }
  }

  /** The celebrations this call started: none when the batch's workflow had started already. */
  private async startBatch(batch: CelebrationBatch): Promise<number> {
    const { started } = await this.dependencies.flows.start(celebrateMilestones, {
      workflowId: celebrationBatchWorkflowId(batch.guildId, batch.batchId),
      args: [batch],
      kind: 'milestone',
      guildId: batch.guildId,
      summary: `Celebrates ${batch.celebrations.length} milestone${batch.celebrations.length === 1 ? '' : 's'} the volunteer platform reported`,
      idReusePolicy: 'REJECT_DUPLICATE',
    });
    await markBatchStarted(this.dependencies.database.fork(), batch.batchId);
    return started ? batch.celebrations.length : 0;
  }
}

/** One outbox per process and database: the webhooks nudge the drainer the background service sweeps with. */
const outboxes = new WeakMap<Database, CelebrationOutbox>();
export function celebrationOutboxFor(dependencies: OutboxDependencies): CelebrationOutbox {
  let outbox = outboxes.get(dependencies.database);
  if (!outbox) outboxes.set(dependencies.database, (outbox = new CelebrationOutbox(dependencies)));
  return outbox;
}

export function celebrationOutboxSweeper(outbox: CelebrationOutbox, logger: Logger): BackgroundService {
  return {
    name: 'milestone celebration outbox',
    async start() {
      const sweep = async () => {
        const started = await outbox.sweep();
        if (started > 0) logger.info({ count: started }, 'Started celebrations left in the outbox');
      };
      const timer = setInterval(() => void sweep().catch((error: unknown) => logger.warn({ err: error }, 'The celebration outbox sweep failed')), SWEEP_EVERY_MS);
      timer.unref();
      return async () => {
        clearInterval(timer);
        outbox.stop();
      };
    },
  };
}
