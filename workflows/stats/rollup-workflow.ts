// The statistics roll-up: run daily by a Schedule, it sums yesterday's and today's hours into days (recomputed,
// so a retried or late run writes the same days) and deletes hours the days no longer need. The dates are the
// run's own clock: a retry covers the same range.
import { proxyActivities } from '@temporalio/workflow';
import type { StatsActivities } from '../../activities/stats/index.js';

const store = proxyActivities<StatsActivities>({ startToCloseTimeout: '10 minutes', retry: { maximumInterval: '1 minute' } });

export async function rollUpStatistics({ keepHoursDays }: { keepHoursDays: number }): Promise<{ days: number; hoursDeleted: number }> {
  const now = Date.now();
  const from = new Date(now - 86_400_000).toISOString().slice(0, 10);
  const days = await store.rollUpDays({ from });
  const hoursDeleted = await store.pruneHours({ before: new Date(now - keepHoursDays * 86_400_000).toISOString() });
  return { days, hoursDeleted };
}
