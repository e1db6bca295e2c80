// The approvals feature: sensitive actions (ban, kick, timeout) wait for approvers on a card in the server's
// approvals channel, time out with an escalation ping, and run once when approved. Requests come from other
// systems through the HTTP API today, and from the moderation ladder next.
import { createApprovalsActivities } from '../../../activities/approvals/index.js';
import { defineFeature } from '../feature.js';
import { purgeModerationLog } from '../../../workflows/approvals/retention-workflow.js';
import { approvalButtons } from './buttons.js';
import { approvalsApiRoutes } from './http/index.js';
import { approvalsCommand } from './list-command.js';
import { approvalsEnv } from './settings.js';
import { ApprovalRequestSchema, ApprovalSettingsSchema, ModerationLogSchema } from './store/entities.js';

export const approvalsFeature = defineFeature({
  name: 'approvals',
  env: approvalsEnv,
  commands: () => [approvalsCommand],
  components: [approvalButtons],
  guildRoutes: ({ database, flows }) => approvalsApiRoutes({ database, flows }),
  activities: ({ database, discord }) => createApprovalsActivities({ database, discord }),
  entities: [ApprovalSettingsSchema, ApprovalRequestSchema, ModerationLogSchema],
  schedules: ({ moderationLogRetentionDays }) => [
    {
      scheduleId: 'moderation-log-retention',
      workflow: purgeModerationLog,
      args: [{ keepDays: moderationLogRetentionDays }],
      // Daily, at a quiet minute.
      calendars: [{ hour: 3, minute: 17 }],
    },
  ],
});
