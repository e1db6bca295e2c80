// Where an idle worker's memory goes, and what open workflows add. (1) Stages, each in a fresh process: Node alone,
// plus our modules, plus the Temporal runtime and its connection, plus a worker with the workflow bundle. (2) The
// real worker (`node dist/src/main.js worker`) idle, then with 500 and 1,400 open workflows (automatic-moderation
// inboxes, which wait an hour for candidates without any activity), each variant of V8 flags on a fresh stack.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { automodInbox } from '../workflows/moderation/automod-workflow.js';
import { STEWARD_NODE_OPTIONS } from '../test/support/steward-process.js';
import { cpuSeconds } from './proc.js';
import { startBenchStack } from './stack.js';
import { round, writeResults } from './stats.js';

interface StageReading {
  stage: string;
  rssMiB: number;
  anonMiB: number;
  fileMiB: number;
  heapUsedMiB: number;
  heapTotalMiB: number;
  externalMiB: number;
}

const stageScript = fileURLToPath(new URL('./worker-memory-stage.js', import.meta.url));
/** Open workflows, both within the worker's cache (1,500), so the slope is what a cached workflow holds. */
const OPEN_STEPS = [500, 1_400];

/**
 * The V8 flags compared: Node's defaults (0 lets V8 size the young generation itself), and Steward's launch options
 * (a young generation capped at 4 MB: fewer pages held between scavenges). A variant's flags come after the launch
 * options, so they win.
 */
const VARIANTS: Record<string, string> = { 'V8 defaults': '--max-semi-space-size=0', 'as launched (semi-space 4 MB)': STEWARD_NODE_OPTIONS };

function readStage(stage: string, temporalAddress: string, nodeOptions: string): Promise<StageReading> {
  const child = spawn(process.execPath, ['--expose-gc', ...(nodeOptions ? nodeOptions.split(' ') : []), stageScript, stage, temporalAddress], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      // The worker's own warnings are JSON lines too: the reading is the one that names its stage.
      const line = output.split('\n').find((each) => each.startsWith('{"stage"'));
      if (!line) return;
      child.kill('SIGKILL');
      resolve(JSON.parse(line) as StageReading);
    });
    child.once('exit', (code) => reject(new Error(`stage ${stage} exited with ${code}: ${output}`)));
  });
}

function procMemory(pid: number | undefined): { rssMiB: number; anonMiB: number; fileMiB: number } {
  const status = readFileSyncSafe(`/proc/${pid}/status`);
  const mib = (field: string) => round(Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) / 1024, 1);
  return { rssMiB: mib('VmRSS'), anonMiB: mib('RssAnon'), fileMiB: mib('RssFile') };
}

/** Waits until the process has used under 2 % of a core for 3 s (its workflow tasks are done), or a minute. */
async function untilQuiet(pid: number | undefined): Promise<void> {
  for (let before = cpuSeconds(pid), deadline = Date.now() + 60_000; Date.now() < deadline; ) {
    await sleep(3_000);
    const now = cpuSeconds(pid);
    if (now - before < 0.06) return;
    before = now;
  }
}

async function realWorker(nodeOptions: string) {
  const stack = await startBenchStack();
  try {
    const worker = await stack.startSteward('worker', nodeOptions ? { NODE_OPTIONS: nodeOptions } : {});
    await worker.waitForLog((line) => line.msg === 'Steward is running', 120_000);
    await sleep(15_000);
    const pid = worker.child.pid;
    const readings: Record<string, ReturnType<typeof procMemory>> = { idle: procMemory(pid) };
    const client = new Client({ connection: await Connection.connect({ address: stack.temporalAddress }) });
    stack.shutdown.push('client', () => client.connection.close());
    let open = 0;
    for (const target of OPEN_STEPS) {
      for (; open < target; open += 50) {
        await Promise.all(
          Array.from({ length: 50 }, (_, index) =>
            client.workflow.start(automodInbox, {
              workflowId: `memory-inbox-${open + index}`,
              taskQueue: stack.stewardEnv.TEMPORAL_TASK_QUEUE!,
              args: [{ guildId: String(10n ** 18n + BigInt(open + index)) }],
            }),
          ),
        );
      }
      await untilQuiet(pid);
      readings[`open${target}`] = procMemory(pid);
    }
    const [first, last] = OPEN_STEPS as [number, number];
    const perThousand = round(((readings[`open${last}`]!.rssMiB - readings[`open${first}`]!.rssMiB) / (last - first)) * 1000, 1);
    return { ...readings, rssMiBPerThousandOpenWorkflows: perThousand };
  } finally {
    await stack.shutdown.unwind();
  }
}

export async function benchmarkWorkerMemory() {
  const stack = await startBenchStack();
  const stages: Record<string, Record<string, StageReading>> = {};
  try {
    for (const [variant, flags] of Object.entries(VARIANTS)) {
      stages[variant] = {};
      for (const stage of ['node', 'modules', 'runtime', 'worker']) stages[variant][stage] = await readStage(stage, stack.temporalAddress, flags);
    }
  } finally {
    await stack.shutdown.unwind();
  }
  const workers: Record<string, Awaited<ReturnType<typeof realWorker>>> = {};
  for (const [variant, flags] of Object.entries(VARIANTS)) workers[variant] = await realWorker(flags);
  const figures = { stages, workers };
  return {
    figures,
    path: writeResults('worker-memory', {
      ...figures,
      setup:
        'Stages: each a fresh process (node --expose-gc), measured 3 s after it got there and after a GC: node alone; + every module `main.js worker` imports; ' +
        '+ the Temporal runtime and a connection to the dev server; + a worker with the workflow bundle and no activities. Workers: `node dist/src/main.js worker` ' +
        `on the dev server and PostgreSQL, idle 15 s after "Steward is running", then with ${OPEN_STEPS.join(' and ')} automatic-moderation inboxes open (each waits an hour ` +
        'for candidates: cached, no activity), read once the worker is quiet. RSS per 1,000 open workflows is the slope between the two. Variants: V8 flags through NODE_OPTIONS.',
    }),
  };
}

function readFileSyncSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
