// A careless change to the ping workflow, for the replay guard's own test: it now sleeps before recording the
// ping, without `patched()`. A run recorded with the real workflow must fail to replay through this one.
import { proxyActivities, sleep } from '@temporalio/workflow';
import type { PingActivities } from '../../activities/ping/index.js';
import type { PingInput, PingResult } from '../../workflows/ping/ping.js';

const { recordPing } = proxyActivities<PingActivities>({ startToCloseTimeout: '1 minute' });

export async function ping({ message, holdMs = 0 }: PingInput): Promise<PingResult> {
  await sleep(10);
  return recordPing({ pingId: 'careless', message, holdMs });
}
