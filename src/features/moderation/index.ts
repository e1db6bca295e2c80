// The moderation ladder: numbered cases for every action (by command, by hand in Discord, by the ladder or by
// automatic moderation), warnings whose points decay and climb the ladder, kicks and bans through approvals, and
// timed punishments that end on a durable timer.
import { createModerationActivities } from '../../../activities/moderation/index.js';
import { defineFeature } from '../feature.js';
import { moderationDigestSection } from './digest-section.js';
import { actionCommands } from './action-commands.js';
import { caseCommand, casesCommand, reasonCommand } from './case-commands.js';
import { automodConfig, moderationConfig } from './config.js';
import { moderationApiRoutes } from './http/index.js';
import { automodListener, manualActions, rejoins } from './listeners.js';
import { CaseCounterSchema, MemberPointsSchema, ModerationCaseSchema, ModerationSettingsSchema } from './store/entities.js';

export const moderationFeature = defineFeature({
  name: 'moderation',
  commands: () => [...actionCommands, caseCommand, casesCommand, reasonCommand],
  config: () => [moderationConfig, automodConfig],
  listeners: () => [manualActions, rejoins, automodListener()],
  guildRoutes: ({ database, flows, temporal }) => moderationApiRoutes({ database, flows, temporal }),
  activities: ({ database, discord, flows, llm }) => createModerationActivities({ database, ...(discord ? { discord } : {}), flows, llm }),
  digestSection: ({ database }) => moderationDigestSection(database),
  entities: [ModerationSettingsSchema, ModerationCaseSchema, MemberPointsSchema, CaseCounterSchema],
});
