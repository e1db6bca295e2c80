// Raid and spam protection: join-rate and spam detectors in the adapter (no workflow per event), one durable
// lockdown per server that restores exactly what it changed, escalating spam timeouts as moderation cases, and an
// optional screening gate for new members.
import { createRaidActivities } from '../../../activities/raid/index.js';
import { defineFeature } from '../feature.js';
import { lockdownButtons } from './buttons.js';
import { raidConfig } from './config.js';
import { raidApiRoutes } from './http/index.js';
import { raidListeners } from './listeners.js';
import { screeningButtons } from './screening-buttons.js';
import { RaidSettingsSchema } from './store/entities.js';

export const raidFeature = defineFeature({
  name: 'raid',
  components: [lockdownButtons, screeningButtons],
  config: () => [raidConfig],
  listeners: () => raidListeners(),
  guildRoutes: ({ database, temporal, discord }) => raidApiRoutes({ database, temporal, ...(discord ? { discord } : {}) }),
  activities: ({ database, discord }) => createRaidActivities({ database, ...(discord ? { discord } : {}) }),
  entities: [RaidSettingsSchema],
});
