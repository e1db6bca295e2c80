// Steward runs with the same Node options wherever it is launched: the tests' and benchmarks' processes, npm's
// scripts, and the image that compose runs.
import { readFileSync } from 'node:fs';
import { STEWARD_NODE_OPTIONS } from '../support/steward-process.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

test("npm's start, worker and adapters scripts launch Node with Steward's options", () => {
  const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
  for (const name of ['start', 'worker', 'adapters']) expect(scripts[name]).toContain(`node ${STEWARD_NODE_OPTIONS} dist/src/main.js`);
});

test('the image sets them for every process it runs, compose included', () => {
  expect(read('Dockerfile')).toContain(`ENV NODE_OPTIONS=${STEWARD_NODE_OPTIONS}`);
  expect(read('docker-compose.yml')).not.toMatch(/NODE_OPTIONS/);
});
