// No import cycles among Steward's own modules (type imports included): a cycle is how a feature's pieces end up
// depending on their own callers, and how a workflow bundle drags in I/O code.
import madge from 'madge';
import { resolve } from 'node:path';

test('src, workflows, activities and worker import each other without cycles', async () => {
  const root = resolve(import.meta.dirname, '../..');
  const graph = await madge(['src', 'workflows', 'activities', 'worker'], {
    baseDir: root,
    fileExtensions: ['ts'],
    tsConfig: resolve(root, 'tsconfig.json'),
  });
  expect(Object.keys(graph.obj()).length).toBeGreaterThan(100);
  expect(graph.circular()).toEqual([]);
}, 60_000);
