// The spine's benchmark: ping workflows (client → Temporal → worker → PostgreSQL → result) against a local dev
// server with npm start's durable settings, and a worker in its own process, as in production.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { ping } from '../workflows/ping/ping.js';
import { rssMiB } from './proc.js';
import { startBenchStack } from './stack.js';
import { round, runConcurrently, summarize, writeResults } from './stats.js';

export async function benchmarkPingFlow() {
  const stack = await startBenchStack();
  try {
    // Quiet logs: a line per ping would cost the worker CPU; the first ping below waits out its start-up.
    const worker = await stack.startSteward('worker', { LOG_LEVEL: 'warn' });
    const client = new Client({ connection: await Connection.connect({ address: stack.temporalAddress }) });
    stack.shutdown.push('temporal client', () => client.connection.close());
    let peakRssMiB = 0;
    const sampler = setInterval(() => (peakRssMiB = Math.max(peakRssMiB, rssMiB(worker.child.pid))), 200);
    stack.shutdown.push('rss sampler', async () => clearInterval(sampler));

    const taskQueue = stack.stewardEnv.TEMPORAL_TASK_QUEUE as string;
    const runPing = (label: string) => (index: number) =>
      client.workflow.execute(ping, { taskQueue, workflowId: `ping:${label}-${index}-${randomUUID()}`, args: [{ message: 'bench' }] });

    await runPing('ready')(0);
    await runConcurrently(50, 8, runPing('warmup'));
    const unloaded = await runConcurrently(200, 1, runPing('unloaded'));
    const latency = await runConcurrently(1_000, 16, runPing('latency'));
    const saturation = await runConcurrently(1_000, 64, runPing('saturation'));
    const figures = {
      unloadedLatencyMs: { concurrency: 1, ...summarize(unloaded.latencies) },
      latencyMs: { concurrency: 16, ...summarize(latency.latencies) },
      latencyThroughputPerSecond: round((1_000 / latency.elapsedMs) * 1000, 1),
      saturation: {
        concurrency: 64,
        workflowsPerSecond: round((1_000 / saturation.elapsedMs) * 1000, 1),
        latencyMs: summarize(saturation.latencies),
      },
      workerRssMiB: { peak: round(peakRssMiB, 1), end: round(rssMiB(worker.child.pid), 1) },
      setup:
        'temporal dev server (SQLite WAL, synchronous=NORMAL) + worker process (10 wf slots, 20 activity slots, ' +
        `prebuilt workflow bundle) + PostgreSQL ${stack.postgresVersion}; the first 50 pings warm up`,
    };
    return { path: writeResults('ping-flow', figures), figures };
  } finally {
    await stack.shutdown.unwind();
  }
}
