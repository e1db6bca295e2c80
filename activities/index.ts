// All activities, built from their dependencies so tests can hand in real local servers and databases.
import type { Database } from '../src/db/database.js';
import { createPingActivities } from './ping.js';

export interface ActivityDependencies {
  database: Database;
}

export function createActivities(dependencies: ActivityDependencies) {
  return {
    ...createPingActivities(dependencies),
  };
}

export type Activities = ReturnType<typeof createActivities>;
