// Builds the Steward worker: every workflow and activity on one task queue, tuned for small machines.
import type { NativeConnection} from '@temporalio/worker';
import { Worker } from '@temporalio/worker';
import type { ActivityMap } from '../src/features/feature.js';
import type { Tracing } from '../src/observability/tracing.js';
import { workflowBundle } from './bundle.js';

export interface WorkerTuning {
  workflowTaskSlots: number;
  activitySlots: number;
  pollers: number;
  /**
   * Workflows kept in memory between tasks. The SDK sizes its default from the heap limit (about 2,300 on a 4 GiB
   * heap); with 10,000 open events that cache filled the heap and the worker stalled. Too small a cache costs more:
   * an evicted workflow that wakes waits for its task to leave the worker's sticky queue (measured: 1,000 reminders
   * a minute with 500 cached, p99 5.8 s instead of 0.2 s). So it should hold the workflows that wake together.
   */
  cachedWorkflows: number;
}

export interface StewardWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: ActivityMap;
  tuning: WorkerTuning;
  /** Lets a test tell its workers apart in logs and the Web UI. */
  identity?: string;
  /** Spans for activities; undefined when tracing is off. */
  tracing?: Tracing;
}

export async function createStewardWorker(options: StewardWorkerOptions): Promise<Worker> {
  const { tuning } = options;
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...(options.identity ? { identity: options.identity } : {}),
    workflowBundle: await workflowBundle(),
    activities: options.activities,
    interceptors: { activity: options.tracing?.activityInterceptors ?? [] },
    maxConcurrentWorkflowTaskExecutions: tuning.workflowTaskSlots,
    maxCachedWorkflows: tuning.cachedWorkflows,
    maxConcurrentActivityTaskExecutions: tuning.activitySlots,
    workflowTaskPollerBehavior: { type: 'simple-maximum', maximum: tuning.pollers },
    activityTaskPollerBehavior: { type: 'simple-maximum', maximum: tuning.pollers },
    // A task the server put on this worker's own (sticky) queue goes to the shared queue if it has not started within
    // this (the SDK's default is 10 s): after a worker dies, its cached flows move to the other worker within 3 s.
    stickyQueueScheduleToStartTimeout: '3 seconds',
    // Finish in-flight activities on shutdown rather than abandon them to a heartbeat timeout.
    shutdownGraceTime: '10 seconds',
  });
}
