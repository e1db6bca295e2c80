// Steward's process, started by main.ts (`node dist/src/main.js [all|worker|adapters]`). Validates the configuration before starting
// anything, starts Steward, and shuts it down gracefully on SIGINT/SIGTERM.
import { ConfigError, loadConfig, type Role } from './config/index.js';
import { stewardFeatures } from './features/index.js';
import { createLogger } from './observability/logger.js';
import { startSteward } from './steward.js';

const roles: readonly Role[] = ['all', 'worker', 'adapters'];
const EXIT_CONFIG = 78; // EX_CONFIG from sysexits.h
/** Longer than the worker's shutdown grace time, so in-flight activities get their chance first. */
const SHUTDOWN_TIMEOUT_MS = 30_000;

const role = (process.argv[2] ?? 'all') as Role;
if (!roles.includes(role)) {
  console.error(`Unknown role "${process.argv[2]}": expected one of ${roles.join(', ')}.`);
  process.exit(EXIT_CONFIG);
}

let config;
try {
  config = loadConfig(process.env, role, stewardFeatures);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(EXIT_CONFIG);
}

const logger = createLogger({ level: config.logLevel, secrets: config.secrets });
process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'Unhandled promise rejection'));

try {
  const steward = await startSteward(config, logger);
  logger.info(
    { role, http: steward.httpUrl, temporal: steward.temporalAddress, temporalUi: steward.temporalUiUrl },
    'Steward is running',
  );
  let exitCode = 0;
  let stopping = false;
  const stop = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'Shutting down');
    setTimeout(() => {
      logger.error({ timeoutMs: SHUTDOWN_TIMEOUT_MS }, 'Graceful shutdown timed out; exiting');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS).unref();
    await steward.stop();
    logger.info('Stopped');
    process.exit(exitCode);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  steward.workerStopped.then(
    () => void stop('worker stopped'),
    (error: unknown) => {
      logger.fatal({ err: error }, 'Worker failed');
      exitCode = 1;
      void stop('worker failed');
    },
  );
} catch (error) {
  logger.fatal({ err: error }, 'Steward failed to start');
  process.exitCode = 1;
}
