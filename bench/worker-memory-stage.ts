// One stage of an idle worker, in a fresh process (`node --expose-gc dist/bench/worker-memory-stage.js <stage>`),
// so the benchmark can tell apart what each part holds: Node itself, our modules (every feature and the SDKs they
// import), the Temporal SDK's runtime with its connection, and the worker with the workflow bundle. Prints one JSON
// line of its memory after a garbage collection, then waits to be killed.
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

type Stage = 'node' | 'modules' | 'runtime' | 'worker';
const stage = process.argv[2] as Stage;
const temporalAddress = process.argv[3] ?? '127.0.0.1:7233';

if (stage !== 'node') {
  // Everything `node dist/src/main.js worker` imports, without starting any of it.
  await import('../src/steward.js');
}
if (stage === 'runtime' || stage === 'worker') {
  const { installRuntime } = await import('../worker/runtime.js');
  const { createLogger } = await import('../src/observability/logger.js');
  const { NativeConnection } = await import('@temporalio/worker');
  installRuntime({ logger: createLogger({ level: 'warn' }) });
  const connection = await NativeConnection.connect({ address: temporalAddress });
  if (stage === 'worker') {
    const { createStewardWorker } = await import('../worker/worker.js');
    const worker = await createStewardWorker({
      connection,
      namespace: 'default',
      taskQueue: `memory-${process.pid}`,
      activities: {},
      tuning: { workflowTaskSlots: 10, activitySlots: 20, pollers: 2, cachedWorkflows: 1500 },
    });
    void worker.run();
  }
}

await sleep(3_000);
(globalThis as { gc?: () => void }).gc?.();
await sleep(500);
const status = readFileSync('/proc/self/status', 'utf8');
const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
const { heapUsed, heapTotal, external } = process.memoryUsage();
const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
console.log(
  JSON.stringify({
    stage,
    rssMiB: mib(kib('VmRSS') * 1024),
    anonMiB: mib(kib('RssAnon') * 1024),
    fileMiB: mib(kib('RssFile') * 1024),
    heapUsedMiB: mib(heapUsed),
    heapTotalMiB: mib(heapTotal),
    externalMiB: mib(external),
  }),
);
await new Promise(() => {});
