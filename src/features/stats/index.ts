// Server statistics: messages, joins, leaves, active members and commands counted per server, channel and hour in
// the adapter and written in batches; rolled up to days by a daily Schedule; /stats with a chart image and
// GET /api/v1/guilds/:id/stats.
import { createStatsActivities } from '../../../activities/stats/index.js';
import { rollUpStatistics } from '../../../workflows/stats/rollup-workflow.js';
import { defineFeature } from '../feature.js';
import { statsDigestSection } from './digest-section.js';
import { statsApiRoutes } from './http/index.js';
import { statsListeners } from './listeners.js';
import { statsCommand } from './stats-command.js';
import { HOURS_KEPT_DAYS } from './store/counters.js';
import { ChannelHourSchema, GuildDaySchema, MemberDaySchema } from './store/entities.js';
import { statsWriter } from './stats-writer.js';

export const statsFeature = defineFeature({
  name: 'stats',
  commands: () => [statsCommand],
  listeners: () => statsListeners(),
  guildRoutes: ({ database }) => statsApiRoutes({ database }),
  activities: ({ database }) => createStatsActivities({ database }),
  background: ({ database, logger }) => [statsWriter({ database, logger: logger.child({ component: 'stats-writer' }) })],
  schedules: () => [
    {
      scheduleId: 'statistics-roll-up',
      workflow: rollUpStatistics,
      args: [{ keepHoursDays: HOURS_KEPT_DAYS }],
      summary: `Rolls yesterday's hourly statistics up into days, and drops hours older than ${HOURS_KEPT_DAYS} days`,
      // Daily, just after midnight UTC, when yesterday is complete.
      calendars: [{ hour: 0, minute: 7 }],
    },
  ],
  digestSection: ({ database }) => statsDigestSection(database),
  entities: [ChannelHourSchema, MemberDaySchema, GuildDaySchema],
});
