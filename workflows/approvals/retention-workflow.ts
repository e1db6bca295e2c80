// The moderation log's retention: run daily by a Schedule, it deletes entries older than the server's retention
// period. The cut-off is the run's own clock, so a retried run deletes the same range.
import { proxyActivities } from '@temporalio/workflow';
import type { ApprovalsActivities } from '../../activities/approvals/index.js';

const store = proxyActivities<ApprovalsActivities>({ startToCloseTimeout: '5 minutes', retry: { maximumInterval: '1 minute' } });

export async function purgeModerationLog({ keepDays }: { keepDays: number }): Promise<{ deleted: number }> {
  const before = new Date(Date.now() - keepDays * 86_400_000).toISOString();
  return { deleted: await store.purgeModerationLog({ before }) };
}
