// The records feature's environment variables, checked with the rest of the configuration at start-up.
import { z } from 'zod';

export const recordsEnv = z
  .object({
    /** The message context-menu entry that starts a record review. */
    RECORDS_COMMAND_NAME: z.string().trim().min(1).max(32).default('Add to records'),
    /** Inactivity before an abandoned review expires. */
    REVIEW_TIMEOUT_SECONDS: z.coerce.number().int().min(5).max(3_600).default(900),
  })
  .transform((env) => ({ commandName: env.RECORDS_COMMAND_NAME, reviewTimeoutMs: env.REVIEW_TIMEOUT_SECONDS * 1_000 }));

export type RecordsSettings = z.output<typeof recordsEnv>;
