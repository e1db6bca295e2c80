// All activities, built from their dependencies so tests can hand in real local servers and databases.
import { createNotificationActivities, type NotificationDependencies } from './notifications.js';
import { createPingActivities } from './ping.js';
import { createReviewActivities, type ReviewDependencies } from './review.js';

export type ActivityDependencies = ReviewDependencies & NotificationDependencies;

export function createActivities(dependencies: ActivityDependencies) {
  return {
    ...createPingActivities(dependencies),
    ...createReviewActivities(dependencies),
    ...createNotificationActivities(dependencies),
  };
}

export type Activities = ReturnType<typeof createActivities>;
