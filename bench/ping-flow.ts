// The spine's benchmark: ping workflows (client → Temporal → worker → PostgreSQL → result), on the dev server with
// npm start's durable settings and on the production topology (the full Temporal server on PostgreSQL, 4 history
// shards, two workers), side by side, with where the time goes read from the workflows' histories.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { ping } from '../workflows/ping/ping.js';
import { cpuSeconds, rssMiB } from './proc.js';
import { startBenchStack, type TemporalTopology } from './stack.js';
import { round, runConcurrently, summarize, writeResults } from './stats.js';
import { timeBreakdown } from './time-breakdown.js';

export async function benchmarkPingFlow() {
  const devServer = await measure('dev-server');
  const cluster = await measure('cluster');
  const figures = {
    devServer,
    cluster,
    setup:
      'Each topology on a fresh stack: the temporal dev server (SQLite WAL, synchronous=NORMAL, 1 history shard) with one worker ' +
      'process, then the full Temporal server v1.29.1 (PostgreSQL, 4 history shards) with two worker processes on the task queue; ' +
      `10 workflow and 20 activity slots a worker, prebuilt bundle, PostgreSQL on this machine; the first 50 pings warm up. ` +
      'Breakdown: per workflow, sums of its history phases over 200 unloaded and 200 saturated pings.',
  };
  return { path: writeResults('ping-flow', figures), figures };
}

async function measure(topology: TemporalTopology) {
  const stack = await startBenchStack({ topology });
  try {
    // Quiet logs: a line per ping would cost the worker CPU; the first ping below waits out its start-up.
    const worker = await stack.startSteward('worker', { LOG_LEVEL: 'warn' });
    const client = new Client({ connection: await Connection.connect({ address: stack.temporalAddress }) });
    stack.shutdown.push('temporal client', () => client.connection.close());
    let peakRssMiB = 0;
    const sampler = setInterval(() => (peakRssMiB = Math.max(peakRssMiB, rssMiB(worker.child.pid))), 200);
    stack.shutdown.push('rss sampler', async () => clearInterval(sampler));

    const taskQueue = stack.stewardEnv.TEMPORAL_TASK_QUEUE as string;
    const ids: Record<string, string[]> = {};
    const runPing = (label: string) => (index: number) => {
      const workflowId = `ping:${label}-${index}-${randomUUID()}`;
      (ids[label] ??= []).push(workflowId);
      return client.workflow.execute(ping, { taskQueue, workflowId, args: [{ message: 'bench' }] });
    };

    await runPing('ready')(0);
    await runConcurrently(50, 8, runPing('warmup'));
    const unloaded = await runConcurrently(200, 1, runPing('unloaded'));
    const latency = await runConcurrently(1_000, 16, runPing('latency'));
    const temporalCpuBefore = cpuSeconds(stack.temporalPid);
    const saturation = await runConcurrently(1_000, 64, runPing('saturation'));
    const temporalCpuPercent = round(((cpuSeconds(stack.temporalPid) - temporalCpuBefore) / (saturation.elapsedMs / 1000)) * 100, 1);
    return {
      workers: topology === 'cluster' ? 2 : 1,
      unloadedLatencyMs: { concurrency: 1, ...summarize(unloaded.latencies) },
      latencyMs: { concurrency: 16, ...summarize(latency.latencies) },
      latencyThroughputPerSecond: round((1_000 / latency.elapsedMs) * 1000, 1),
      saturation: {
        concurrency: 64,
        workflowsPerSecond: round((1_000 / saturation.elapsedMs) * 1000, 1),
        latencyMs: summarize(saturation.latencies),
        temporalServerCpuPercent: temporalCpuPercent,
      },
      unloadedBreakdownMs: await timeBreakdown(client, ids.unloaded!.slice(0, 200)),
      saturatedBreakdownMs: await timeBreakdown(client, ids.saturation!.slice(-200)),
      firstWorkerRssMiB: { peak: round(peakRssMiB, 1), end: round(rssMiB(worker.child.pid), 1) },
      postgres: stack.postgresVersion,
    };
  } finally {
    await stack.shutdown.unwind();
  }
}
