// One zod schema for every environment variable Steward reads. Invalid values stop the process before it starts
// anything, with one line per bad variable.
import { z } from 'zod';

const port = z.coerce.number().int().min(1).max(65_535);
/** A port to listen on: 0 lets the OS pick a free one (tests, several instances on one machine). */
const listenPort = z.coerce.number().int().min(0).max(65_535);
const flag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');
const positiveInt = z.coerce.number().int().positive();
const nonEmpty = z.string().trim().min(1);

/** Every variable and its default. The README's configuration table documents each one (a test checks it). */
export const envSchema = z
  .object({
    LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
    DATA_DIR: nonEmpty.default('./data'),

    HTTP_HOST: nonEmpty.default('127.0.0.1'),
    HTTP_PORT: listenPort.default(3000),
    HTTP_BODY_LIMIT: nonEmpty.default('100kb'),
    OPERATOR_TOKEN: z.string().trim().min(16, 'at least 16 characters').optional(),

    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    DATABASE_POOL_SIZE: positiveInt.default(10),
    DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
    EMBEDDED_DB_PORT: port.default(5433),

    TEMPORAL_ADDRESS: nonEmpty.optional(),
    TEMPORAL_NAMESPACE: nonEmpty.default('default'),
    TEMPORAL_TASK_QUEUE: nonEmpty.default('steward'),
    TEMPORAL_API_KEY: nonEmpty.optional(),
    TEMPORAL_TLS: flag.default(false),
    TEMPORAL_TLS_CERT_PATH: nonEmpty.optional(),
    TEMPORAL_TLS_KEY_PATH: nonEmpty.optional(),
    TEMPORAL_TLS_CA_PATH: nonEmpty.optional(),
    TEMPORAL_TLS_SERVER_NAME: nonEmpty.optional(),
    TEMPORAL_CLI_PATH: nonEmpty.optional(),
    TEMPORAL_DEV_PORT: port.default(7233),
    TEMPORAL_UI_PORT: port.default(8233),
    TEMPORAL_METRICS_PORT: port.default(9464),

    WORKER_WORKFLOW_TASK_SLOTS: positiveInt.default(10),
    WORKER_ACTIVITY_SLOTS: positiveInt.default(20),
    WORKER_POLLERS: positiveInt.default(2),
    WORKER_CACHED_WORKFLOWS: positiveInt.default(1500),

    DISCORD_TOKEN: nonEmpty.optional(),
    DISCORD_APPLICATION_ID: z.string().regex(/^\d{17,20}$/, 'a Discord snowflake (17–20 digits)').optional(),
    DISCORD_GUILD_ID: z.string().regex(/^\d{17,20}$/, 'a Discord snowflake (17–20 digits)').optional(),
    DISCORD_SANDBOX_PORT: listenPort.default(3100),
    DISCORD_API_URL: z.url({ protocol: /^https?$/ }).optional(),
    DISCORD_PUBLIC_KEY: z.string().regex(/^[0-9a-f]{64}$/i, '64 hex characters (the application public key)').optional(),

    ANTHROPIC_API_KEY: nonEmpty.optional(),
    ANTHROPIC_MODEL: nonEmpty.optional(),
    ANTHROPIC_BASE_URL: z.url().optional(),
    OPENAI_API_KEY: nonEmpty.optional(),
    OPENAI_MODEL: nonEmpty.optional(),
    OPENAI_BASE_URL: z.url().optional(),
    GEMINI_API_KEY: nonEmpty.optional(),
    GEMINI_MODEL: nonEmpty.optional(),
    GEMINI_BASE_URL: z.url().optional(),
    LLM_PROVIDERS: z
      .string()
      .regex(/^(anthropic|openai|gemini|offline)(,(anthropic|openai|gemini|offline))*$/, 'a comma list of anthropic, openai, gemini, offline')
      .default('anthropic,openai,gemini'),

    OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
    OTEL_SERVICE_NAME: nonEmpty.default('steward'),

  })
  .superRefine((env, ctx) => {
    const certAndKey = [env.TEMPORAL_TLS_CERT_PATH, env.TEMPORAL_TLS_KEY_PATH].filter(Boolean).length;
    if (certAndKey === 1) {
      const missing = env.TEMPORAL_TLS_CERT_PATH ? 'TEMPORAL_TLS_KEY_PATH' : 'TEMPORAL_TLS_CERT_PATH';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'required when the other half of the mTLS pair is set' });
    }
    if (env.TEMPORAL_API_KEY && !env.TEMPORAL_ADDRESS) {
      ctx.addIssue({ code: 'custom', path: ['TEMPORAL_ADDRESS'], message: 'required when TEMPORAL_API_KEY is set' });
    }
    if (env.DISCORD_TOKEN && !env.DISCORD_APPLICATION_ID) {
      ctx.addIssue({ code: 'custom', path: ['DISCORD_APPLICATION_ID'], message: 'required when DISCORD_TOKEN is set' });
    }
  });

export type Env = z.output<typeof envSchema>;

/** Variables whose values must never appear in a log line. */
export const secretVariables = [
  'DATABASE_URL',
  'OPERATOR_TOKEN',
  'TEMPORAL_API_KEY',
  'DISCORD_TOKEN',
  'ANTHROPIC_API_KEY',
  'OPENAI_API_KEY',
  'GEMINI_API_KEY',
  'TELEGRAM_BOT_TOKEN',
  'Q2Q_API_KEY',
  'PLATFORM_WEBHOOK_SECRET',
  // Read by the OTLP exporter itself: a collector's API key travels in these headers.
  'OTEL_EXPORTER_OTLP_HEADERS',
] as const;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((line) => `  - ${line}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Variables a schema reads, each with what is wrong with it; empty when the environment passes. */
export type EnvParse<T> = { ok: true; value: T } | { ok: false; problems: string[] };

/**
 * Parses the environment with one schema (the platform's, or a feature's). Unset and empty variables are treated
 * alike, so `FOO=` in a .env file means "default".
 */
export function parseEnvWith<T>(schema: z.ZodType<T>, source: NodeJS.ProcessEnv): EnvParse<T> {
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ''));
  const result = schema.safeParse(present);
  if (result.success) return { ok: true, value: result.data };
  const problems = result.error.issues.map((issue) => {
    const variable = issue.path.join('.') || '(environment)';
    const received = variable in present && !isSecret(variable) ? ` (got "${present[variable]}")` : '';
    return `${variable}: ${issue.message}${received}`;
  });
  return { ok: false, problems };
}

function isSecret(variable: string): boolean {
  return (secretVariables as readonly string[]).includes(variable);
}
