// Records workflow histories for the replay tests: at the end of a test run with RECORD_WORKFLOW_HISTORIES=1, one
// finished and one still-open run of every workflow type on the run's Temporal server are written to
// test/replay/histories/<type>/{finished,open}.binpb (other files there, kept on purpose, stay). Committed, they are replayed against the current code by `npm test`, so a change
// that would break a flow already running in production fails CI (then: `patched()`, see the README).
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import proto from '@temporalio/proto';
import { testClient } from './temporal.js';

export const HISTORIES_FOLDER = fileURLToPath(new URL('../replay/histories/', import.meta.url));
/** Histories larger than this are passed over for a smaller run of the same type (they bloat the repository). */
const MAX_EVENTS = 400;

export async function recordWorkflowHistories(address: string): Promise<number> {
  const client = await testClient(address);
  const chosen = new Map<string, { finished?: { workflowId: string; runId: string; events: number }; open?: { workflowId: string; runId: string; events: number } }>();
  for await (const execution of client.workflow.list()) {
    const slot = chosen.get(execution.type) ?? {};
    const kind = execution.status.name === 'RUNNING' ? 'open' : execution.status.name === 'COMPLETED' ? 'finished' : undefined;
    if (!kind) continue;
    const events = Number(execution.historyLength);
    // The longest history under the cap: it exercises the most of the workflow.
    const current = slot[kind];
    if (events <= MAX_EVENTS && (!current || events > current.events)) slot[kind] = { workflowId: execution.workflowId, runId: execution.runId, events };
    chosen.set(execution.type, slot);
  }
  let written = 0;
  for (const [type, runs] of chosen) {
    for (const [kind, run] of Object.entries(runs)) {
      if (!run) continue;
      const history = await client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
      mkdirSync(join(HISTORIES_FOLDER, type), { recursive: true });
      // Binary protobuf, as the server keeps it: exact, and read back by the same generated code the replayer uses.
      writeFileSync(join(HISTORIES_FOLDER, type, `${kind}.binpb`), proto.temporal.api.history.v1.History.encode(history).finish());
      writeFileSync(join(HISTORIES_FOLDER, type, `${kind}.workflow-id`), `${run.workflowId}\n`);
      written++;
    }
  }
  await client.connection.close();
  return written;
}

export function recordedTypes(): string[] {
  try {
    return readdirSync(HISTORIES_FOLDER);
  } catch {
    return [];
  }
}
