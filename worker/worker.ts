// Builds the Steward worker: every workflow and activity on one task queue, tuned for small machines.
import type { NativeConnection} from '@temporalio/worker';
import { Worker } from '@temporalio/worker';
import type { ActivityMap } from '../src/features/feature.js';
import { workflowBundle } from './bundle.js';

export interface WorkerTuning {
  workflowTaskSlots: number;
  activitySlots: number;
  pollers: number;
  /**
   * Workflows kept in memory between tasks. The SDK sizes its default from the heap limit (about 2,300 on a 4 GiB
   * heap), which long-lived event workflows of about 2 MB each overflow; a smaller cache costs a replay of the
   * workflow's history when an evicted one wakes, which for a reminder is milliseconds.
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
    maxConcurrentWorkflowTaskExecutions: tuning.workflowTaskSlots,
    maxCachedWorkflows: tuning.cachedWorkflows,
    maxConcurrentActivityTaskExecutions: tuning.activitySlots,
    workflowTaskPollerBehavior: { type: 'simple-maximum', maximum: tuning.pollers },
    activityTaskPollerBehavior: { type: 'simple-maximum', maximum: tuning.pollers },
    // Finish in-flight activities on shutdown rather than abandon them to a heartbeat timeout.
    shutdownGraceTime: '10 seconds',
  });
}
