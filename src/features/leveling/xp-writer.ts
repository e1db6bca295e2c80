// The adapter's side of XP: the ledger every message goes through, written every two seconds; level-ups found in
// a write start their workflow at once, and a sweep starts any whose start was lost (the level stays above the
// rewarded one until its workflow has finished).
import { levelUpWorkflowId } from '../../../workflows/leveling/messages.js';
import { rewardLevel } from '../../../workflows/leveling/level-up-workflow.js';
import type { Database } from '../../db/database.js';
import { perDatabase } from '../../db/reloaded-snapshot.js';
import type { Logger } from '../../observability/logger.js';
import type { FlowStarter } from '../../temporal/start-flow.js';
import type { BackgroundService } from '../feature.js';
import { DEFAULT_LEVELING_SETTINGS, levelingRulebook } from './settings.js';
import { unrewardedLevels, type LevelChange } from './store/levels.js';
import { XpLedger } from './xp-ledger.js';

const FLUSH_EVERY_MS = 2_000;
const SWEEP_EVERY_MS = 30_000;
/** A level-up older than this whose rewards are not marked lost its start (or its workflow is still retrying). */
const SWEEP_AFTER_MS = 60_000;

/** The process's ledger: the message listener counts into it, the writer empties it. */
export const xpLedgerFor = perDatabase(() => new XpLedger());

/** Starts each level-up's workflow (once per level and generation); returns how many were not started before. */
export async function startLevelUps(flows: FlowStarter, changes: readonly LevelChange[]): Promise<number> {
  let started = 0;
  for (const change of changes) {
    const flow = await flows.start(rewardLevel, {
      workflowId: levelUpWorkflowId(change),
      args: [{ guildId: change.guildId, userId: change.userId, level: change.level, previousLevel: change.previousLevel, generation: change.generation, channelId: change.channelId }],
      kind: 'level-up',
      guildId: change.guildId,
      summary: `Member ${change.userId} reached level ${change.level} (from ${change.previousLevel}): rewards and announcement`,
      memberIds: [change.userId],
      idReusePolicy: 'REJECT_DUPLICATE',
    });
    if (flow.started) started++;
  }
  return started;
}

/** Starts the level-ups last changed before `before` whose rewards are not marked; returns how many it started. */
export async function sweepUnrewardedLevels({ database, flows }: { database: Database; flows: FlowStarter }, before: Date): Promise<number> {
  const unrewarded = await unrewardedLevels(database.fork(), before);
  return startLevelUps(flows, unrewarded);
}

export function xpWriter({ database, flows, logger }: { database: Database; flows: FlowStarter; logger: Logger }): BackgroundService {
  const ledger = xpLedgerFor(database);
  const rulebook = levelingRulebook(database);
  const curveOf = (guildId: string) => (rulebook.current().get(guildId) ?? DEFAULT_LEVELING_SETTINGS).curve;
  const flush = async () => startLevelUps(flows, await ledger.flush(database, curveOf));
  const sweep = () => sweepUnrewardedLevels({ database, flows }, new Date(Date.now() - SWEEP_AFTER_MS));
  return {
    name: 'XP writer',
    async start() {
      // Messages counted before the rules load would use the defaults, even where a server turned XP off.
      await rulebook.reload();
      const flushing = setInterval(() => void flush().catch((error: unknown) => logger.warn({ err: error, waiting: ledger.waiting }, 'XP write failed; kept for the next')), FLUSH_EVERY_MS);
      const sweeping = setInterval(() => void sweep().catch((error: unknown) => logger.warn({ err: error }, 'Level-up sweep failed')), SWEEP_EVERY_MS);
      flushing.unref();
      sweeping.unref();
      return async () => {
        clearInterval(flushing);
        clearInterval(sweeping);
        await flush().catch((error: unknown) => logger.warn({ err: error, waiting: ledger.waiting }, 'XP lost at shutdown'));
      };
    },
  };
}
