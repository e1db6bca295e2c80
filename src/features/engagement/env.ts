// Volunteer engagement's environment variables: where Q2Q and the volunteer platform are, and the shared secret
// that signs what Steward sends the platform and proves what the platform sends Steward.
import { z } from 'zod';

const optionalUrl = z.url({ protocol: /^https?$/ }).optional();

export const engagementEnv = z
  .object({
    Q2Q_URL: optionalUrl,
    Q2Q_API_KEY: z.string().trim().min(1).optional(),
    /** One Q2Q call's limit; past it the attempt has failed and is retried, then the LLM chain is asked. */
    Q2Q_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    PLATFORM_URL: optionalUrl,
    PLATFORM_WEBHOOK_SECRET: z.string().min(32, 'at least 32 characters').optional(),
    PLATFORM_WEBHOOK_TOLERANCE_SECONDS: z.coerce.number().int().min(10).max(3_600).default(300),
    FEEDBACK_ANALYSIS_RETRY_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
    /** A review waiting longer than this is reported in the admins' alert channel. */
    FEEDBACK_REVIEW_ALERT_SECONDS: z.coerce.number().int().min(1).max(604_800).default(3_600),
  })
  .superRefine((env, ctx) => {
    if (env.PLATFORM_URL && !env.PLATFORM_WEBHOOK_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['PLATFORM_WEBHOOK_SECRET'], message: 'required when PLATFORM_URL is set (every event Steward sends is signed)' });
    }
  })
  .transform((env) => ({
    q2q: env.Q2Q_URL ? { url: env.Q2Q_URL.replace(/\/+$/, ''), apiKey: env.Q2Q_API_KEY, timeoutMs: env.Q2Q_TIMEOUT_MS } : undefined,
    platform: env.PLATFORM_URL ? { url: env.PLATFORM_URL.replace(/\/+$/, ''), secret: env.PLATFORM_WEBHOOK_SECRET! } : undefined,
    /** Webhooks from the platform are accepted only when a secret is set to check them with. */
    webhookSecret: env.PLATFORM_WEBHOOK_SECRET,
    webhookToleranceSeconds: env.PLATFORM_WEBHOOK_TOLERANCE_SECONDS,
    analysisRetrySeconds: env.FEEDBACK_ANALYSIS_RETRY_SECONDS,
    reviewAlertSeconds: env.FEEDBACK_REVIEW_ALERT_SECONDS,
  }));

export type EngagementEnv = z.output<typeof engagementEnv>;
