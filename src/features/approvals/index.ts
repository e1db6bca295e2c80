// The approvals feature: sensitive actions (ban, kick, timeout) wait for approvers on a card in the server's
// approvals channel (and in its Telegram chat), time out with an escalation ping, and run once when approved.
// Requests come from the moderation ladder and from other systems through the HTTP API.
import { createApprovalsActivities } from '../../../activities/approvals/index.js';
import { defineFeature } from '../feature.js';
import { approvalsDigestSection } from './digest-section.js';
import { purgeModerationLog } from '../../../workflows/approvals/retention-workflow.js';
import { approvalButtons } from './buttons.js';
import { approvalsConfig } from './config.js';
import { approvalsApiRoutes } from './http/index.js';
import { approvalsCommand } from './list-command.js';
import { approvalsEnv } from './settings.js';
import { ApprovalRequestSchema, ApprovalSettingsSchema, ModerationLogSchema, TelegramCardSchema, TelegramLinkCodeSchema, TelegramLinkSchema } from './store/entities.js';
import { telegramApprovals } from './telegram/bot.js';
import { telegramLinkCommand } from './telegram/link-command.js';

export const approvalsFeature = defineFeature({
  name: 'approvals',
  env: approvalsEnv,
  commands: ({ telegram }) => [approvalsCommand, telegramLinkCommand(telegram !== undefined)],
  components: [approvalButtons],
  config: () => [approvalsConfig],
  guildRoutes: ({ database, flows, discord }) => approvalsApiRoutes({ database, flows, ...(discord ? { discord } : {}) }),
  background: ({ database, temporal, discord, logger }, { telegram }) =>
    telegram ? [telegramApprovals(telegram, { database, temporal, logger, ...(discord ? { discord } : {}) })] : [],
  activities: ({ database, discord }, { telegram }) => createApprovalsActivities({ database, ...(discord ? { discord } : {}), ...(telegram ? { telegram } : {}) }),
  digestSection: ({ database }) => approvalsDigestSection(database),
  entities: [ApprovalSettingsSchema, ApprovalRequestSchema, ModerationLogSchema, TelegramLinkSchema, TelegramLinkCodeSchema, TelegramCardSchema],
  schedules: ({ moderationLogRetentionDays }) => [
    {
      scheduleId: 'moderation-log-retention',
      workflow: purgeModerationLog,
      args: [{ keepDays: moderationLogRetentionDays }],
      summary: `Deletes moderation log entries older than ${moderationLogRetentionDays} days`,
      // Daily, at a quiet minute.
      calendars: [{ hour: 3, minute: 17 }],
    },
  ],
});
