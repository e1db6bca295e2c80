// Milestone updates that cross nothing, written together: the updates that arrive in the same turn of the event
// loop become one UPDATE … FROM (VALUES …) statement, so a thousand webhooks a second cost PostgreSQL (and this
// process's sockets) a few dozen statements, not a thousand. Each update learns whether it was written; one that was
// not (the first value, a replay, out of order, a crossing) goes on to the transaction that decides it.
import { MILESTONE_STEPS, type MilestoneMetric } from '../../../../workflows/engagement/milestones.js';
import type { Database } from '../../../db/database.js';
import { perDatabase } from '../../../db/reloaded-snapshot.js';

export interface WithinStepUpdate {
  guildId: string;
  programId: string;
  metric: MilestoneMetric;
  value: number;
  observedAt: Date;
}

interface Waiting {
  update: WithinStepUpdate;
  key: string;
  settle(written: boolean): void;
  fail(error: unknown): void;
}

/** Statements of more rows than this are split: PostgreSQL takes at most 65,535 parameters. */
const MAX_ROWS = 500;
const DEADLOCK_DETECTED = '40P01';

export class WithinStepBatch {
  private waiting: Waiting[] = [];
  /** Metrics in a statement now: a second update of one waits for the next statement, so no two lock it at once. */
  private readonly writing = new Set<string>();
  private scheduled = false;

  constructor(private readonly database: Database) {}

  /** True when the update was written: a later measurement whose value stays below the next threshold. */
  advance(update: WithinStepUpdate): Promise<boolean> {
    return new Promise((settle, fail) => {
      this.waiting.push({ update, key: `${update.guildId}\u0000${update.programId}\u0000${update.metric}`, settle, fail });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.waiting.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    const batch: Waiting[] = [];
    const later: Waiting[] = [];
    for (const entry of this.waiting) {
      if (batch.length < MAX_ROWS && !this.writing.has(entry.key)) {
        this.writing.add(entry.key);
        batch.push(entry);
      } else {
        later.push(entry);
      }
    }
    this.waiting = later;
    if (batch.length === 0) return;
    try {
      const written = await this.write(batch.map((entry) => entry.update));
      for (const entry of batch) entry.settle(written.has(entry.key));
    } catch (error) {
      // Two statements that lock the same rows in different orders: PostgreSQL undoes one; its updates take the
      // transaction's way instead.
      if ((error as { code?: string }).code === DEADLOCK_DETECTED) for (const entry of batch) entry.settle(false);
      else for (const entry of batch) entry.fail(error);
    } finally {
      for (const entry of batch) this.writing.delete(entry.key);
      this.schedule();
    }
  }

  /** Raw SQL: the ORM cannot write many rows, each under its own condition, in one statement. */
  private async write(updates: WithinStepUpdate[]): Promise<Set<string>> {
    const rows = updates.map(() => '(?, ?, ?, ?::float8, ?::timestamptz, ?::float8)').join(', ');
    const parameters = updates.flatMap((update) => [update.guildId, update.programId, update.metric, update.value, update.observedAt, MILESTONE_STEPS[update.metric]]);
    const result = await this.database.fork().getConnection().execute<{ guild_id: string; program_id: string; metric: string }[]>(
      `update milestone_progress as progress set value = next.value, observed_at = next.observed_at
       from (values ${rows}) as next (guild_id, program_id, metric, value, observed_at, step)
       where progress.guild_id = next.guild_id and progress.program_id = next.program_id and progress.metric = next.metric
         and progress.observed_at < next.observed_at and floor(next.value / next.step) <= floor(progress.value / next.step)
       returning progress.guild_id, progress.program_id, progress.metric`,
      parameters,
      'all',
    );
    return new Set(result.map((row) => `${row.guild_id}\u0000${row.program_id}\u0000${row.metric}`));
  }
}

/** The process's batch for a database. */
export const withinStepBatch = perDatabase((database) => new WithinStepBatch(database));
