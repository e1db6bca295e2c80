// `tsx src/temporal/ensure-server.ts`: finds or builds the full Temporal server and its schema tool ahead of time,
// printing the build's progress (see cluster.ts).
import { ensureTemporalServer, TEMPORAL_SERVER_VERSION } from './cluster.js';

const binaries = await ensureTemporalServer({ progress: (line) => console.log(line) });
console.log(`Temporal server ${TEMPORAL_SERVER_VERSION}: ${binaries.server}; schema tool: ${binaries.sqlTool}`);
