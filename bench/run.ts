// `npm run bench`: runs every benchmark, writes bench/results/<name>.json, and prints the headline figures.
import { benchmarkActivityIngest } from './activity-ingest.js';
import { benchmarkApprovalAction } from './approval-action.js';
import { benchmarkAutomod } from './automod.js';
import { benchmarkDigest } from './digest.js';
import { benchmarkEngagement } from './engagement.js';
import { benchmarkEvents } from './events.js';
import { benchmarkGatewayIngest } from './gateway-ingest.js';
import { benchmarkInteractionAck } from './interaction-ack.js';
import { benchmarkPingFlow } from './ping-flow.js';
import { benchmarkRaid } from './raid.js';
import { benchmarkRecordReview } from './record-review.js';
import { benchmarkWorkerMemory } from './worker-memory.js';

const benchmarks = {
  'ping-flow': benchmarkPingFlow,
  'interaction-ack': benchmarkInteractionAck,
  'gateway-ingest': benchmarkGatewayIngest,
  'record-review': benchmarkRecordReview,
  'approval-action': benchmarkApprovalAction,
  automod: benchmarkAutomod,
  events: benchmarkEvents,
  raid: benchmarkRaid,
  engagement: benchmarkEngagement,
  'activity-ingest': benchmarkActivityIngest,
  digest: benchmarkDigest,
  'worker-memory': benchmarkWorkerMemory,
};
const only = process.argv[2];

for (const [name, run] of Object.entries(benchmarks)) {
  if (only && only !== name) continue;
  console.log(`Running ${name}...`);
  const { path, figures } = await run();
  console.log(`Wrote ${path}`);
  console.table(flatten(figures));
}

function flatten(figures: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(figures).flatMap(([key, value]) =>
      value && typeof value === 'object' && !Array.isArray(value)
        ? Object.entries(flatten(value as Record<string, unknown>, `${prefix}${key}.`))
        : [[`${prefix}${key}`, value]],
    ),
  );
}
