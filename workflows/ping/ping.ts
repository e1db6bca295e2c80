// The ping flow: the smallest complete path through the spine. Its id is the ping's identity, so the row it
// writes exists once however often the activity is retried or the worker dies.
import { log, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { PingActivities } from '../../activities/ping/index.js';

export interface PingInput {
  message: string;
  holdMs?: number;
}

export interface PingResult {
  pingId: string;
  message: string;
  attempts: number;
  recordedAt: string;
}

const { recordPing } = proxyActivities<PingActivities>({
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: '2 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds' },
});

export async function ping({ message, holdMs = 0 }: PingInput): Promise<PingResult> {
  const { workflowId } = workflowInfo();
  log.info('Ping started', { holdMs });
  return recordPing({ pingId: workflowId, message, holdMs });
}
