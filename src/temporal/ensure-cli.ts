// `tsx src/temporal/ensure-cli.ts [--optional]`: finds or builds the Temporal CLI ahead of time, printing the
// build's progress, so `start` and `test` do not build it silently. With --optional a missing CLI is not an error
// (npm start then falls back to the SDK's download).
import { resolveTemporalCli, TemporalCliNotFound } from './cli.js';

const optional = process.argv.includes('--optional');
try {
  const cli = await resolveTemporalCli({
    explicitPath: process.env.TEMPORAL_CLI_PATH || undefined,
    allowDownload: false,
    progress: (line) => console.log(line),
  });
  if (cli.kind === 'binary') console.log(`Temporal CLI: ${cli.path} (${cli.source})`);
} catch (error) {
  if (!(error instanceof TemporalCliNotFound)) throw error;
  console.error(error.message);
  if (!optional) process.exit(1);
}
