// Statistics' I/O for the daily roll-up: days recomputed from hours, and hours past their keeping deleted.
import type { Database } from '../../src/db/database.js';
import { pruneHours, rollUpDays } from '../../src/features/stats/store/counters.js';

export function createStatsActivities({ database }: { database: Database }) {
  return {
    rollUpDays: ({ from }: { from: string }) => rollUpDays(database, from),
    pruneHours: ({ before }: { before: string }) => pruneHours(database, new Date(before)),
  };
}

export type StatsActivities = ReturnType<typeof createStatsActivities>;
