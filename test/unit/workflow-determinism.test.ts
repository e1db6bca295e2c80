// Everything under workflows/ runs inside Temporal's deterministic sandbox: it may import (as values) only the
// workflow SDK, Discord's payload types and enums and other workflow code; types may come from anywhere. Not zod:
// every new workflow evaluates the modules it imports, so input is checked where it arrives instead. Modules that
// are pure rules (no workflow SDK) must not read the clock or chance either, or replay would diverge. The lint
// rule in eslint.config.js fences the same folder.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const workflowsDir = join(root, 'workflows');
const modules = readdirSync(workflowsDir, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.ts'))
  .sort();

const VALUE_PACKAGES = new Set(['@temporalio/workflow', 'discord-api-types/payloads/v10']);

interface ImportLine {
  specifier: string;
  typeOnly: boolean;
}

function importsOf(source: string): ImportLine[] {
  const statements = source.matchAll(/^\s*(import|export)\s+(type\s+)?([^;]*?)\s*from\s+'([^']+)'/gms);
  const dynamic = [...source.matchAll(/\bimport\s*\(\s*'([^']+)'/g)].map((match) => ({ specifier: match[1]!, typeOnly: false }));
  return [...[...statements].map((match) => ({ specifier: match[4]!, typeOnly: Boolean(match[2]) })), ...dynamic];
}

/** Where a relative specifier points, as a path from the repository root. */
function target(file: string, specifier: string): string {
  return relative(root, resolve(dirname(join(workflowsDir, file)), specifier));
}

test('there are workflow modules to check, the records rules among them', () => {
  expect(modules).toEqual(
    expect.arrayContaining(['index.ts', 'records/record-review.ts', 'records/record-types.ts', 'records/suggestions.ts', 'shared/custom-id.ts']),
  );
});

test.each(modules)('%s imports values only from the workflow SDK, discord-api-types/payloads/v10 and workflows/', (file) => {
  for (const { specifier, typeOnly } of importsOf(readFileSync(join(workflowsDir, file), 'utf8'))) {
    const inWorkflows = specifier.startsWith('.') && target(file, specifier).startsWith('workflows/');
    if (typeOnly) continue;
    expect({ specifier, allowed: inWorkflows || VALUE_PACKAGES.has(specifier) }).toEqual({ specifier, allowed: true });
  }
});

const pureModules = modules.filter((file) => !readFileSync(join(workflowsDir, file), 'utf8').includes("'@temporalio/workflow'"));

test.each(pureModules)('%s (pure rules) reads neither the clock nor chance', (file) => {
  const source = readFileSync(join(workflowsDir, file), 'utf8');
  expect(source).not.toMatch(/Date\.now|new Date\(\s*\)|Math\.random|performance\.now|crypto\.|process\./);
});
