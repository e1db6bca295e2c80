// Weekly digests: one Temporal Schedule per server (its day, hour and time zone; paused and resumed from Discord
// or the HTTP API; deleted when Steward leaves), and a digest workflow per week that gathers every feature's
// section, optionally opens with a model's summary, posts once in the digest channel and DMs subscribers.
import { createDigestActivities } from '../../../activities/digests/index.js';
import { SUMMARISE_DIGEST_TOOL, summariseOffline } from '../../../activities/digests/summary-prompt.js';
import { defineFeature } from '../feature.js';
import { digestConfig } from './config.js';
import { digestCommand } from './digest-command.js';
import { digestsEnv } from './env.js';
import { digestApiRoutes } from './http/index.js';
import { digestListeners } from './listeners.js';
import { DigestPostSchema, DigestSettingsSchema, DigestSubscriptionSchema } from './store/entities.js';

export const digestsFeature = defineFeature({
  name: 'digests',
  env: digestsEnv,
  commands: (env) => [digestCommand(env)],
  config: (env) => [digestConfig(env)],
  listeners: (env) => digestListeners(env),
  guildRoutes: ({ database, flows, temporal, discord }, env) => digestApiRoutes({ database, flows, temporal, discord, env }),
  activities: ({ database, discord, llm, digestSections }, env) => createDigestActivities({ database, llm, settings: env, sections: digestSections ?? (() => []), ...(discord ? { discord } : {}) }),
  offlineRules: { [SUMMARISE_DIGEST_TOOL]: summariseOffline },
  entities: [DigestSettingsSchema, DigestSubscriptionSchema, DigestPostSchema],
});
