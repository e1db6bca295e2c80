// The records modules run inside Temporal workflows: they may import only zod and each other, and must not read
// the clock or chance, or replay would diverge.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const directory = join(import.meta.dirname, '../../../src/records');
const modules = readdirSync(directory).filter((file) => file.endsWith('.ts'));

test('there are records modules to check', () => {
  expect(modules).toEqual(
    expect.arrayContaining(['attribution.ts', 'context-window.ts', 'record-types.ts', 'review.ts', 'suggestions.ts']),
  );
});

test.each(modules)('%s imports only zod and sibling modules', (file) => {
  const source = readFileSync(join(directory, file), 'utf8');
  const imports = source.matchAll(/\bfrom\s+'([^']+)'|\bimport\s*\(\s*'([^']+)'/g);
  const specifiers = [...imports].map((match) => match[1] ?? match[2]);
  for (const specifier of specifiers) expect(specifier).toMatch(/^(zod|\.\/[\w-]+\.js)$/);
});

test.each(modules)('%s reads neither the clock nor chance', (file) => {
  const source = readFileSync(join(directory, file), 'utf8');
  expect(source).not.toMatch(/Date\.now|new Date\(\s*\)|Math\.random|performance\.now|crypto\.|process\./);
});
