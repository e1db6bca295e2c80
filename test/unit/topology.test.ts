// docker-compose.yml and the cluster the tests and benchmarks run (src/temporal/cluster.ts) stay in step: the same
// server version, history shards, dynamic config and search attributes, so what CI proves is what compose deploys.
import { readFileSync } from 'node:fs';
import { CLUSTER_HISTORY_SHARDS, TEMPORAL_SERVER_VERSION, dynamicConfigFile } from '../../src/temporal/cluster.js';
import { DEV_SERVER_DYNAMIC_CONFIG } from '../../src/temporal/dev-server.js';
import { CLI_TYPE_NAMES, stewardSearchAttributes } from '../../workflows/shared/search-attributes.js';

const compose = readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8');

test('compose runs the server version and history shards the cluster runs', () => {
  expect(compose).toContain(`image: temporalio/server:\${TEMPORAL_VERSION:-${TEMPORAL_SERVER_VERSION.slice(1)}}`);
  expect(compose).toContain(`NUM_HISTORY_SHARDS: "${CLUSTER_HISTORY_SHARDS}"`);
});

test('compose mounts the dynamic config the cluster reads', () => {
  expect(dynamicConfigFile()).toMatch(/deploy\/temporal\/dynamicconfig\.yaml$/);
  expect(compose).toContain('file: ./deploy/temporal/dynamicconfig.yaml');
});

test('the dev server runs with the dynamic config the cluster and compose read', () => {
  const deployed = readFileSync(dynamicConfigFile(), 'utf8');
  for (const [key, value] of Object.entries(DEV_SERVER_DYNAMIC_CONFIG)) {
    expect(deployed).toMatch(new RegExp(`^${key.replaceAll('.', '\\.')}:\\n  - value: ${String(value)}\\n`, 'm'));
  }
});

test("compose registers every search attribute Steward's flows set", () => {
  const registered = /for name in ([\w ]+); do/.exec(compose)?.[1]?.split(' ') ?? [];
  expect(registered.sort()).toEqual(stewardSearchAttributes.map((key) => key.name).sort());
  for (const key of stewardSearchAttributes) expect(compose).toContain(`retry ensure_attribute ${key.name} ${CLI_TYPE_NAMES[key.type]}`);
});
