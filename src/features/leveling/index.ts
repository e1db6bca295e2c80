// XP leveling: XP for messages (MEE6's amounts, cooldown and curve by default; multipliers per channel and role,
// ignored channels), written in batches from the adapter; role rewards, stacking or replacing, given by a workflow
// per level-up and again when a member rejoins; level-up announcements; /rank, /leaderboard, /xp and the HTTP API.
import { createLevelingActivities } from '../../../activities/leveling/index.js';
import { defineFeature } from '../feature.js';
import { levelingDigestSection } from './digest-section.js';
import { levelingConfig } from './config.js';
import { levelingApiRoutes } from './http/index.js';
import { xpListeners } from './listeners.js';
import { leaderboardButtons, leaderboardCommand, rankCommand, xpCommand } from './rank-commands.js';
import { LevelingSettingsSchema, MemberLevelSchema, XpDaySchema } from './store/entities.js';
import { xpWriter } from './xp-writer.js';

export const levelingFeature = defineFeature({
  name: 'leveling',
  commands: () => [rankCommand, leaderboardCommand, xpCommand],
  components: [leaderboardButtons],
  config: () => [levelingConfig],
  listeners: () => xpListeners(),
  guildRoutes: ({ database, flows }) => levelingApiRoutes({ database, flows }),
  activities: ({ database, discord }) => createLevelingActivities({ database, ...(discord ? { discord } : {}) }),
  background: ({ database, flows, logger }) => [xpWriter({ database, flows, logger: logger.child({ component: 'xp-writer' }) })],
  digestSection: ({ database }) => levelingDigestSection(database),
  entities: [LevelingSettingsSchema, MemberLevelSchema, XpDaySchema],
});
