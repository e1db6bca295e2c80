// All the records feature's activities, built from their dependencies so tests can hand in real local servers
// and databases.
import { createNotificationActivities, type NotificationDependencies } from './notifications.js';
import { createReviewActivities, type ReviewDependencies } from './review.js';

export type RecordsDependencies = ReviewDependencies & NotificationDependencies;

export function createRecordsActivities(dependencies: RecordsDependencies) {
  return { ...createReviewActivities(dependencies), ...createNotificationActivities(dependencies) };
}

export type RecordsActivities = ReturnType<typeof createRecordsActivities>;
