// Deploys that keep running flows alive: histories recorded from real runs (test/replay/histories, one finished and
// one still-open run of every workflow type) are replayed against the current workflow code. A change that would
// make a running flow take a different path fails here; guard it with `patched()` and record again
// (`RECORD_WORKFLOW_HISTORIES=1 npm test`), keeping the old histories until no run from before is open.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import proto from '@temporalio/proto';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { workflowBundle } from '../../worker/bundle.js';
import * as workflows from '../../workflows/index.js';
import { HISTORIES_FOLDER, recordedTypes } from '../support/record-histories.js';

const recorded = recordedTypes().flatMap((type) =>
  readdirSync(join(HISTORIES_FOLDER, type))
    .filter((file) => file.endsWith('.binpb'))
    .map((file) => ({ type, path: join(HISTORIES_FOLDER, type, file) })),
);

test('every workflow type has a recorded history', () => {
  const types = Object.entries(workflows).filter(([, value]) => typeof value === 'function').map(([name]) => name).sort();
  expect(types.filter((type) => !recordedTypes().includes(type))).toEqual([]);
});

test(`${recorded.length} recorded histories replay against the current code`, async () => {
  const histories = recorded.map(({ path }) => ({
    workflowId: readFileSync(path.replace(/\.binpb$/, '.workflow-id'), 'utf8').trim(),
    history: proto.temporal.api.history.v1.History.decode(readFileSync(path)),
  }));
  const failures: string[] = [];
  const replayed = Worker.runReplayHistories({ workflowBundle: await workflowBundle(), replayName: 'recorded histories' }, histories);
  for await (const result of replayed) {
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  expect(failures).toEqual([]);
  expect(recorded.length).toBeGreaterThan(0);
}, 300_000);

test('the guard works: a recorded ping does not replay through a careless change to the workflow', async () => {
  const path = join(HISTORIES_FOLDER, 'ping', 'finished.binpb');
  const careless = await bundleWorkflowCode({ workflowsPath: fileURLToPath(new URL('../replay/careless-ping.ts', import.meta.url)), logger: quiet });
  const replayed = Worker.runReplayHistory({ workflowBundle: careless, replayName: 'careless ping' }, proto.temporal.api.history.v1.History.decode(readFileSync(path)));
  await expect(replayed).rejects.toThrow(/[Nn]ondeterminism/);
}, 120_000);

const quiet = { log: () => {}, trace: () => {}, debug: () => {}, info: () => {}, warn: () => {}, error: (message: string) => console.error(message) };
