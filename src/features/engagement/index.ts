// Volunteer engagement: /feedback (and 👍/👎 on Steward's posts) analysed by Q2Q with the LLM chain standing in,
// optionally reviewed before it is shared with the volunteer platform; /recognize with VIS points and level roles;
// /milestones; the platform's signed webhooks for milestone celebrations, buddy introductions and SLA breaches;
// an admin alert channel per server.
import { createEngagementActivities } from '../../../activities/engagement/index.js';
import { defineFeature } from '../feature.js';
import { engagementDigestSection } from './digest-section.js';
import { celebrationOutboxFor, celebrationOutboxSweeper } from './celebration-outbox.js';
import { engagementConfig } from './config.js';
import { engagementEnv } from './env.js';
import { feedbackCommand, quickFeedback } from './feedback-command.js';
import { engagementApiRoutes } from './http/index.js';
import { linkCommand } from './link-command.js';
import { milestonesCommand, recognizeCommand } from './recognize-command.js';
import { reviewButtons } from './review-buttons.js';
import {
  EngagementSettingsSchema,
  FeedbackSchema,
  MilestoneCelebrationSchema,
  MilestoneProgressSchema,
  RecognitionSchema,
  VisScoreSchema,
  VolunteerLinkSchema,
} from './store/entities.js';
import { platformWebhooks } from './webhooks.js';

export const engagementFeature = defineFeature({
  name: 'engagement',
  env: engagementEnv,
  commands: () => [feedbackCommand, recognizeCommand, milestonesCommand, linkCommand],
  components: [reviewButtons],
  config: () => [engagementConfig],
  listeners: () => [quickFeedback],
  webhooks: ({ database, flows, logger }, settings) => platformWebhooks({ database, flows, settings, outbox: celebrationOutboxFor({ database, flows, logger: logger.child({ component: 'celebration-outbox' }) }) }),
  guildRoutes: ({ database }) => engagementApiRoutes({ database }),
  activities: ({ database, discord, llm }, settings) => createEngagementActivities({ database, llm, settings, ...(discord ? { discord } : {}) }),
  background: ({ database, flows, logger }) => {
    const outboxLogger = logger.child({ component: 'celebration-outbox' });
    return [celebrationOutboxSweeper(celebrationOutboxFor({ database, flows, logger: outboxLogger }), outboxLogger)];
  },
  digestSection: ({ database }) => engagementDigestSection(database),
  entities: [EngagementSettingsSchema, VolunteerLinkSchema, FeedbackSchema, VisScoreSchema, RecognitionSchema, MilestoneProgressSchema, MilestoneCelebrationSchema],
});
