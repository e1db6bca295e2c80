import { tsImport } from 'tsx/esm/api';

export default async function globalTeardown() {
  if (process.env.RECORD_WORKFLOW_HISTORIES === '1' && process.env.STEWARD_TEST_TEMPORAL_ADDRESS) {
    const { recordWorkflowHistories } = await tsImport('./record-histories.ts', import.meta.url);
    console.log(`Recorded ${await recordWorkflowHistories(process.env.STEWARD_TEST_TEMPORAL_ADDRESS)} workflow histories for the replay tests`);
  }
  const { stopTestTemporal } = await tsImport('./temporal-server.ts', import.meta.url);
  await stopTestTemporal();
}
