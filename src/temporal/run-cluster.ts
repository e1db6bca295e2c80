// `npm run temporal:cluster`: the full Temporal server on this machine's PostgreSQL (databases steward_temporal and
// steward_temporal_visibility), as Steward's production topology runs it; Ctrl-C stops it cleanly. Point Steward
// at it with TEMPORAL_ADDRESS.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startTemporalCluster } from './cluster.js';

const folder = join(process.env.DATA_DIR ?? './data', 'temporal-cluster');
mkdirSync(folder, { recursive: true });
const cluster = await startTemporalCluster({
  folder,
  databasePrefix: 'steward_',
  port: Number(process.env.TEMPORAL_CLUSTER_PORT ?? 7233),
  postgres: { host: process.env.PGHOST ?? '127.0.0.1', port: Number(process.env.PGPORT ?? 5432), user: process.env.PGUSER ?? 'postgres', ...(process.env.PGPASSWORD ? { password: process.env.PGPASSWORD } : {}) },
  progress: (line) => console.log(line),
});
console.log(`TEMPORAL_ADDRESS=${cluster.address} (namespace ${cluster.namespace}); logs in ${join(folder, 'server.log')}. Ctrl-C stops it.`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void cluster.stop().then(() => process.exit(0)));
}
