// Configuration: defaults with nothing set, one clear line per bad variable, and secrets never echoed.
import { ConfigError, loadConfig } from '../../src/config/index.js';
import { stewardFeatures } from '../../src/features/index.js';
import { spawnSteward } from '../support/steward-process.js';

function problemsOf(env: Record<string, string>, role?: 'all' | 'worker' | 'adapters'): string[] {
  try {
    loadConfig(env, role);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

test('no configuration at all gives the embedded defaults', () => {
  const config = loadConfig({});
  expect(config.http).toEqual({ host: '127.0.0.1', port: 3000, bodyLimit: '100kb' });
  expect(config.database.url).toBeUndefined();
  expect(config.temporal).toMatchObject({ address: undefined, namespace: 'default', taskQueue: 'steward', devPort: 7233, uiPort: 8233 });
  expect(config.worker).toEqual({ workflowTaskSlots: 10, activitySlots: 20, pollers: 2, cachedWorkflows: 1500 });
  expect(config.secrets).toEqual([]);
});

test('every bad variable is named on its own line with what is expected', () => {
  const problems = problemsOf({
    HTTP_PORT: 'eighty',
    LOG_LEVEL: 'loud',
    DATABASE_URL: 'mysql://db/steward',
    DISCORD_GUILD_ID: '12',
    WORKER_ACTIVITY_SLOTS: '0',
  });
  expect(problems).toHaveLength(5);
  expect(problems.find((line) => line.startsWith('HTTP_PORT:'))).toMatch(/number.*"eighty"/);
  expect(problems.find((line) => line.startsWith('LOG_LEVEL:'))).toMatch(/info/);
  expect(problems.find((line) => line.startsWith('DATABASE_URL:'))).toBeDefined();
  expect(problems.find((line) => line.startsWith('DISCORD_GUILD_ID:'))).toMatch(/snowflake/);
  expect(problems.find((line) => line.startsWith('WORKER_ACTIVITY_SLOTS:'))).toBeDefined();
});

test('a secret variable is never echoed back in an error', () => {
  const problems = problemsOf({ DATABASE_URL: 'not a url with hunter2-password' });
  expect(problems).toHaveLength(1);
  expect(problems[0]).toMatch(/^DATABASE_URL:/);
  expect(problems.join('\n')).not.toContain('hunter2');
});

test('settings that only make sense together are checked together', () => {
  expect(problemsOf({ TEMPORAL_TLS_CERT_PATH: '/certs/client.pem' })).toEqual([
    'TEMPORAL_TLS_KEY_PATH: required when the other half of the mTLS pair is set',
  ]);
  expect(problemsOf({ TEMPORAL_API_KEY: 'secret-key-123' })).toEqual(['TEMPORAL_ADDRESS: required when TEMPORAL_API_KEY is set']);
  expect(problemsOf({}, 'worker')).toEqual([
    'TEMPORAL_ADDRESS: required when running "worker" as a separate process',
    'DATABASE_URL: required when running "worker" as a separate process',
  ]);
});

test('a split adapters process without a bot token stops instead of starting the local sandbox', () => {
  const split = { TEMPORAL_ADDRESS: '127.0.0.1:7233', DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/steward' };
  expect(problemsOf(split, 'adapters')).toEqual([
    'DISCORD_TOKEN: required when running "adapters" as a separate process (only `npm start` runs a local Discord sandbox)',
  ]);
  expect(() => loadConfig({ ...split, DISCORD_TOKEN: 'token', DISCORD_APPLICATION_ID: '123456789012345678' }, 'adapters')).not.toThrow();
});

test('DISCORD_API_URL without a token is refused, not silently replaced by the sandbox', () => {
  expect(problemsOf({ DISCORD_API_URL: 'http://127.0.0.1:9999/api' })).toEqual([
    'DISCORD_API_URL: set without DISCORD_TOKEN, which would start the local Discord sandbox and ignore it; set both, or neither',
  ]);
});

test('an API key turns TLS on, and the password of DATABASE_URL is a secret', () => {
  const config = loadConfig({
    TEMPORAL_ADDRESS: 'steward.a1b2c.tmprl.cloud:7233',
    TEMPORAL_API_KEY: 'cloud-api-key-123',
    DATABASE_URL: 'postgresql://steward:s3cret-pw@db:5432/steward',
  });
  expect(config.temporal.tls).toBeDefined();
  expect(config.secrets).toEqual(expect.arrayContaining(['cloud-api-key-123', 's3cret-pw']));
});

test('the real entry point refuses to start on bad configuration, exiting 78 with one line per variable', async () => {
  const steward = spawnSteward('all', { HTTP_PORT: '99999', TEMPORAL_NAMESPACE: '   ' });
  expect(await steward.exited).toBe(78);
  const lines = steward.stderr().trim().split('\n');
  expect(lines[0]).toBe('Invalid configuration:');
  expect(lines.slice(1)).toEqual([
    expect.stringMatching(/^ {2}- HTTP_PORT: .*65535.*"99999"/),
    expect.stringMatching(/^ {2}- TEMPORAL_NAMESPACE: /),
  ]);
  expect(steward.logs).toEqual([]);
});

test('the README documents every variable the schema reads', async () => {
  const { readFile } = await import('node:fs/promises');
  const { envSchema } = await import('../../src/config/env.js');
  const { stewardFeatures } = await import('../../src/features/index.js');
  // A feature's schema is an object, or an object piped into a transform that shapes its settings.
  const featureVariables = stewardFeatures.flatMap((feature) => {
    const schema = feature.env as { shape?: object; in?: { shape: object } } | undefined;
    return Object.keys(schema?.shape ?? schema?.in?.shape ?? {});
  });
  expect(featureVariables).toContain('REVIEW_TIMEOUT_SECONDS');
  const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
  const undocumented = [...Object.keys(envSchema.shape), ...featureVariables].filter(
    (name) => !readme.includes(`\`${name}\``) && !readme.includes(`${name}\``),
  );
  expect(undocumented).toEqual([]);
});

test('a bad feature variable is reported with the platform ones, one line each', () => {
  expect(() => loadConfig({ HTTP_PORT: 'x', REVIEW_TIMEOUT_SECONDS: '1' }, 'all', stewardFeatures)).toThrow(
    expect.objectContaining({
      problems: [expect.stringMatching(/^HTTP_PORT: /), expect.stringMatching(/^REVIEW_TIMEOUT_SECONDS: .*\(got "1"\)$/)],
    }),
  );
});
