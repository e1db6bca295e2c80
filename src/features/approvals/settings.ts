// The approvals feature's environment variables, checked with the rest of the configuration at start-up.
import { z } from 'zod';

export const approvalsEnv = z
  .object({
    /** How long moderation log entries are kept before the daily purge deletes them. */
    MODERATION_LOG_RETENTION_DAYS: z.coerce.number().int().min(1).max(3_650).default(90),
    /** A Telegram bot (from @BotFather) that sends requests to each server's Telegram chat; off when unset. */
    TELEGRAM_BOT_TOKEN: z
      .string()
      .regex(/^\d+:[\w-]{30,}$/, 'a bot token from @BotFather, like 123456:ABC-DEF…')
      .optional(),
    /** The Bot API's address; Telegram's own unless a local Bot API server (or a test double) stands in. */
    TELEGRAM_API_URL: z.url({ protocol: /^https?$/ }).default('https://api.telegram.org'),
  })
  .transform((env) => ({
    moderationLogRetentionDays: env.MODERATION_LOG_RETENTION_DAYS,
    telegram: env.TELEGRAM_BOT_TOKEN ? { token: env.TELEGRAM_BOT_TOKEN, apiRoot: env.TELEGRAM_API_URL.replace(/\/+$/, '') } : undefined,
  }));

export type ApprovalsSettings = z.output<typeof approvalsEnv>;
