// The chaos monkey: keeps two worker processes on the task queue and SIGKILLs each at a random moment of its life
// (while it starts, between tasks, mid-activity), then starts a new one; beside that, a timeline of larger
// faults: PostgreSQL cut for 30 s, the Temporal server killed and restarted, the LLM and Q2Q down.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChaosStack } from './stack.js';

export interface KillCounts {
  total: number;
  /** Killed after it said it was running: polling, or mid-task. */
  whileRunning: number;
  /** Killed while it was still starting (connecting, loading its bundle). */
  whileStarting: number;
  /** Workers that ended on their own (a bug, if any). */
  exitedByThemselves: number;
}

export interface FaultCounts {
  temporalServerRestarts: number;
  postgresCuts: number;
  postgresConnectionsCut: number;
  llmOutages: number;
  q2qOutages: number;
}

const WORKERS = 2;
/**
 * A worker lives up to this long after it is running before its kill (`CHAOS_MAX_LIFE_SECONDS`, default 3). Three
 * seconds makes 1,000 kills fit an hour on two workers; longer lives spread them over a longer run.
 */
const MAX_LIFE_MS = Number(process.env.CHAOS_MAX_LIFE_SECONDS ?? 3) * 1000;
const POSTGRES_CUT_MS = 30_000;
const OUTAGE_MS = 60_000;

export function random(min: number, max: number): number {
  return min + Math.random() * (max - min);
}

/** Kills workers until `killsWanted` or `stop()`; resolves once the last replacement workers are running. */
export function startKilling(stack: ChaosStack, killsWanted: number) {
  const kills: KillCounts = { total: 0, whileRunning: 0, whileStarting: 0, exitedByThemselves: 0 };
  /** Spawn → "Steward is running", per worker that got there. */
  const startupMs: number[] = [];
  let stopping = false;

  const slot = async () => {
    while (!stopping && kills.total < killsWanted) {
      const worker = await stack.spawnWorker();
      const spawnedAt = performance.now();
      // Most kills land on a running worker (0.2-3 s after it says so), some (15 %) while it starts.
      const running = worker.waitForLog((line) => line.msg === 'Steward is running', 120_000).then(() => true, () => false);
      const killWhileStarting = Math.random() < 0.15;
      const ready = killWhileStarting ? await Promise.race([running, sleep(random(200, 2_000)).then(() => false)]) : await running;
      if (ready) startupMs.push(performance.now() - spawnedAt);
      if (ready) await Promise.race([sleep(random(200, MAX_LIFE_MS)), worker.exited]);
      if (worker.child.exitCode !== null || worker.child.signalCode !== null) {
        kills.exitedByThemselves++;
        continue;
      }
      worker.child.kill('SIGKILL');
      await worker.exited;
      kills.total++;
      if (ready) kills.whileRunning++;
      else kills.whileStarting++;
    }
  };
  const slots = Array.from({ length: WORKERS }, () => slot());
  const finished = (async () => {
    await Promise.all(slots);
    // Leave two running workers behind for the settling phase.
    for (let started = 0; started < WORKERS; started++) {
      const worker = await stack.spawnWorker();
      await worker.waitForLog((line) => line.msg === 'Steward is running', 120_000);
    }
  })();
  return {
    kills,
    startupMs,
    stop: () => {
      stopping = true;
      return finished;
    },
    finished,
  };
}

/** The larger faults, one after another with pauses between, until `done()` says the kill phase is over. */
export async function runFaultTimeline(stack: ChaosStack, done: () => boolean, log: (line: string) => void): Promise<FaultCounts> {
  const faults: FaultCounts = { temporalServerRestarts: 0, postgresCuts: 0, postgresConnectionsCut: 0, llmOutages: 0, q2qOutages: 0 };
  const steps: [string, () => Promise<void>][] = [
    ['LLM down for 60 s', async () => {
      faults.llmOutages++;
      stack.outages.llm = true;
      await sleep(OUTAGE_MS);
      stack.outages.llm = false;
    }],
    ['PostgreSQL connections cut for 30 s', async () => {
      faults.postgresCuts++;
      await stack.proxy.cut(POSTGRES_CUT_MS);
    }],
    ['Temporal server killed and restarted', async () => {
      faults.temporalServerRestarts++;
      await stack.cluster.kill();
      await sleep(random(1_000, 5_000));
      await stack.cluster.restart();
    }],
    ['Q2Q down for 60 s', async () => {
      faults.q2qOutages++;
      stack.q2q.mode = 'down';
      await sleep(OUTAGE_MS);
      stack.q2q.mode = 'ok';
    }],
  ];
  for (let step = 0; !done(); step++) {
    await sleep(random(30_000, 60_000));
    if (done()) break;
    const [what, inject] = steps[step % steps.length]!;
    log(`fault: ${what}`);
    await inject();
  }
  faults.postgresConnectionsCut = stack.proxy.connectionsCut;
  return faults;
}
