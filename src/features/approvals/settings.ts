// The approvals feature's environment variables, checked with the rest of the configuration at start-up.
import { z } from 'zod';

export const approvalsEnv = z
  .object({
    /** How long moderation log entries are kept before the daily purge deletes them. */
    MODERATION_LOG_RETENTION_DAYS: z.coerce.number().int().min(1).max(3_650).default(90),
  })
  .transform((env) => ({ moderationLogRetentionDays: env.MODERATION_LOG_RETENTION_DAYS }));
