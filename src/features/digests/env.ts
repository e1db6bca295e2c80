// Weekly digests' environment: how long a refused digest waits before it is tried again, and (development and
// tests only) a short period instead of the weekly calendar.
import { z } from 'zod';

export const digestsEnv = z
  .object({
    DIGEST_RETRY_SECONDS: z.coerce.number().int().min(1).max(86_400).default(3600),
    DIGEST_INTERVAL_SECONDS: z.coerce.number().int().min(5).max(604_800).optional(),
  })
  .transform((env) => ({ retrySeconds: env.DIGEST_RETRY_SECONDS, intervalSeconds: env.DIGEST_INTERVAL_SECONDS }));
export type DigestsEnv = z.output<typeof digestsEnv>;
