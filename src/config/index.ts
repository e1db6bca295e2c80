// The validated, structured configuration every part of Steward receives. Built once from the environment.
import { resolve } from 'node:path';
import type { z } from 'zod';
import { ConfigError, envSchema, parseEnvWith, secretVariables, type Env } from './env.js';
import type { LlmConfig, ProviderName } from '../llm/index.js';
import { urlSecrets } from '../observability/logger.js';

export { ConfigError } from './env.js';

/** Which parts run in this process: everything (npm start), only the worker, or only the adapters. */
export type Role = 'all' | 'worker' | 'adapters';

export interface Config {
  role: Role;
  logLevel: Env['LOG_LEVEL'];
  dataDir: string;
  http: { host: string; port: number; bodyLimit: string; operatorToken?: string };
  /** Undefined: start the embedded PGlite server on `embeddedPort`. */
  database: { url?: string; poolSize: number; statementTimeoutMs: number; embeddedPort: number };
  temporal: {
    /** Undefined: start the Temporal CLI dev server. */
    address?: string;
    namespace: string;
    taskQueue: string;
    apiKey?: string;
    tls?: { certPath?: string; keyPath?: string; caPath?: string; serverName?: string };
    cliPath?: string;
    devPort: number;
    uiPort: number;
    metricsPort: number;
  };
  worker: { workflowTaskSlots: number; activitySlots: number; pollers: number; cachedWorkflows: number };
  discord: {
    token?: string;
    applicationId?: string;
    guildId?: string;
    publicKey?: string;
    /** REST base URL; Discord's own unless pointed at a local sandbox. */
    restApi?: string;
    /** Port of the local Discord sandbox started when no token is configured. */
    sandboxPort: number;
  };
  /** LLM providers, tried in `order`; with no key at all the offline rules answer. */
  llm: LlmConfig;
  /** OpenTelemetry: spans go over OTLP/HTTP to `otlpEndpoint`; off when it is undefined. */
  tracing: { otlpEndpoint?: string; serviceName: string };
  /** Each feature's settings, parsed from its own environment variables, by feature name. */
  features: Readonly<Record<string, unknown>>;
  /** Values that must never be logged. */
  secrets: string[];
}

/** A feature's name and the schema of its environment variables (its manifest's `env`). */
export interface FeatureEnv {
  name: string;
  env?: z.ZodType<unknown>;
}

/**
 * Checks the platform's variables and every feature's in one go, so a bad configuration is reported whole,
 * one line per variable, before anything starts.
 */
export function loadConfig(source: NodeJS.ProcessEnv, role: Role = 'all', features: readonly FeatureEnv[] = []): Config {
  const platform = parseEnvWith(envSchema, source);
  const parsedFeatures = features.map((feature) => ({ name: feature.name, parsed: feature.env ? parseEnvWith(feature.env, source) : undefined }));
  const problems = [platform, ...parsedFeatures.map((feature) => feature.parsed)].flatMap((parsed) => (parsed && !parsed.ok ? parsed.problems : []));
  if (!platform.ok || problems.length > 0) throw new ConfigError(problems);
  const env = platform.value;
  const combinationProblems = [
    // Embedded servers belong to the all-in-one process; split processes must share real ones.
    ...(role === 'all' ? [] : (['TEMPORAL_ADDRESS', 'DATABASE_URL'] as const))
      .filter((name) => !env[name])
      .map((name) => `${name}: required when running "${role}" as a separate process`),
    // The local Discord sandbox is a development convenience of the all-in-one process only.
    ...(role === 'adapters' && !env.DISCORD_TOKEN
      ? ['DISCORD_TOKEN: required when running "adapters" as a separate process (only `npm start` runs a local Discord sandbox)']
      : []),
    ...(env.DISCORD_API_URL && !env.DISCORD_TOKEN
      ? ['DISCORD_API_URL: set without DISCORD_TOKEN, which would start the local Discord sandbox and ignore it; set both, or neither']
      : []),
  ];
  if (combinationProblems.length > 0) throw new ConfigError(combinationProblems);
  const tlsWanted = env.TEMPORAL_TLS || env.TEMPORAL_API_KEY || env.TEMPORAL_TLS_CERT_PATH || env.TEMPORAL_TLS_CA_PATH;
  return {
    role,
    logLevel: env.LOG_LEVEL,
    dataDir: resolve(env.DATA_DIR),
    http: { host: env.HTTP_HOST, port: env.HTTP_PORT, bodyLimit: env.HTTP_BODY_LIMIT, operatorToken: env.OPERATOR_TOKEN },
    database: {
      url: env.DATABASE_URL,
      poolSize: env.DATABASE_POOL_SIZE,
      statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
      embeddedPort: env.EMBEDDED_DB_PORT,
    },
    temporal: {
      address: env.TEMPORAL_ADDRESS,
      namespace: env.TEMPORAL_NAMESPACE,
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      apiKey: env.TEMPORAL_API_KEY,
      tls: tlsWanted
        ? {
            certPath: env.TEMPORAL_TLS_CERT_PATH,
            keyPath: env.TEMPORAL_TLS_KEY_PATH,
            caPath: env.TEMPORAL_TLS_CA_PATH,
            serverName: env.TEMPORAL_TLS_SERVER_NAME,
          }
        : undefined,
      cliPath: env.TEMPORAL_CLI_PATH,
      devPort: env.TEMPORAL_DEV_PORT,
      uiPort: env.TEMPORAL_UI_PORT,
      metricsPort: env.TEMPORAL_METRICS_PORT,
    },
    worker: {
      workflowTaskSlots: env.WORKER_WORKFLOW_TASK_SLOTS,
      activitySlots: env.WORKER_ACTIVITY_SLOTS,
      pollers: env.WORKER_POLLERS,
      cachedWorkflows: env.WORKER_CACHED_WORKFLOWS,
    },
    discord: {
      token: env.DISCORD_TOKEN,
      applicationId: env.DISCORD_APPLICATION_ID,
      guildId: env.DISCORD_GUILD_ID,
      publicKey: env.DISCORD_PUBLIC_KEY,
      restApi: env.DISCORD_API_URL,
      sandboxPort: env.DISCORD_SANDBOX_PORT,
    },
    llm: {
      anthropic: { apiKey: env.ANTHROPIC_API_KEY, model: env.ANTHROPIC_MODEL, baseUrl: env.ANTHROPIC_BASE_URL },
      openai: { apiKey: env.OPENAI_API_KEY, model: env.OPENAI_MODEL, baseUrl: env.OPENAI_BASE_URL },
      gemini: { apiKey: env.GEMINI_API_KEY, model: env.GEMINI_MODEL, baseUrl: env.GEMINI_BASE_URL },
      order: [...(env.LLM_PROVIDERS.split(',') as ProviderName[]), 'offline'],
    },
    tracing: { otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: env.OTEL_SERVICE_NAME },
    features: Object.fromEntries(parsedFeatures.map(({ name, parsed }) => [name, parsed?.ok ? parsed.value : undefined])),
    secrets: [
      env.TEMPORAL_API_KEY,
      env.OPERATOR_TOKEN,
      env.DISCORD_TOKEN,
      env.ANTHROPIC_API_KEY,
      env.OPENAI_API_KEY,
      env.GEMINI_API_KEY,
      // Features' secrets too (a Telegram bot token): grammY puts it in every request's URL.
      ...secretVariables.map((variable) => source[variable]),
      ...urlSecrets(env.DATABASE_URL),
    ].filter(
      (value): value is string => Boolean(value),
    ),
  };
}
