// Events: an announcement card with RSVP by button or reaction, a capacity with a fair waitlist and seat offers,
// reminders on durable timers, changes and cancellation, a mirror in Discord's Events tab, and an iCalendar feed.
import { createEventsActivities } from '../../../activities/events/index.js';
import { defineFeature } from '../feature.js';
import { eventsDigestSection } from './digest-section.js';
import { eventButtons } from './buttons.js';
import { eventCommand } from './event-command.js';
import { eventsApiRoutes } from './http/index.js';
import { interestedAnswers, reactionAnswers } from './listeners.js';
import { EventAttendanceSchema, EventRecordSchema, EventSettingsSchema, MemberTimeZoneSchema } from './store/entities.js';

export const eventsFeature = defineFeature({
  name: 'events',
  commands: () => [eventCommand],
  components: [eventButtons],
  listeners: () => [...reactionAnswers, interestedAnswers],
  guildRoutes: ({ database }) => eventsApiRoutes({ database }),
  activities: ({ database, discord }) => createEventsActivities({ database, ...(discord ? { discord } : {}) }),
  digestSection: ({ database }) => eventsDigestSection(database),
  entities: [EventSettingsSchema, MemberTimeZoneSchema, EventRecordSchema, EventAttendanceSchema],
});
