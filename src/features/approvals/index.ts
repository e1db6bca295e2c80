// The approvals feature: sensitive actions (ban, kick, timeout) wait for approvers on a card in the server's
// approvals channel, time out with an escalation ping, and run once when approved. Requests come from other
// systems through the HTTP API today, and from the moderation ladder next.
import { createApprovalsActivities } from '../../../activities/approvals/index.js';
import { defineFeature } from '../feature.js';
import { approvalButtons } from './buttons.js';
import { approvalsApiRoutes } from './http/index.js';
import { approvalsCommand } from './list-command.js';
import { ApprovalRequestSchema, ApprovalSettingsSchema, ModerationLogSchema } from './store/entities.js';

export const approvalsFeature = defineFeature({
  name: 'approvals',
  commands: () => [approvalsCommand],
  components: [approvalButtons],
  guildRoutes: ({ database, flows }) => approvalsApiRoutes({ database, flows }),
  activities: ({ database, discord }) => createApprovalsActivities({ database, discord }),
  entities: [ApprovalSettingsSchema, ApprovalRequestSchema, ModerationLogSchema],
});
