// The Temporal Runtime is per process: it forwards the SDK's logs (worker, workflow and activity loggers, with
// workflowId/runId/activity fields) into pino, and serves the worker's metrics for /metrics to include.
import { Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import type { LogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import type { Logger } from '../src/observability/logger.js';

const pinoLevel = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

class PinoTemporalLogger implements TemporalLogger {
  constructor(private readonly logger: Logger) {}
  log(level: LogLevel, message: string, meta: LogMetadata = {}) {
    this.logger[pinoLevel[level]](meta, message);
  }
  trace = (message: string, meta?: LogMetadata) => this.log('TRACE', message, meta);
  debug = (message: string, meta?: LogMetadata) => this.log('DEBUG', message, meta);
  info = (message: string, meta?: LogMetadata) => this.log('INFO', message, meta);
  warn = (message: string, meta?: LogMetadata) => this.log('WARN', message, meta);
  error = (message: string, meta?: LogMetadata) => this.log('ERROR', message, meta);
}

export interface RuntimeSettings {
  logger: Logger;
  /** Where the SDK serves Prometheus text for the worker's metrics; undefined disables them. */
  metricsBindAddress?: string;
}

/** Installs the runtime once per process. Signals are handled by Steward's own shutdown, not the SDK's. */
export function installRuntime({ logger, metricsBindAddress }: RuntimeSettings): void {
  Runtime.install({
    logger: new PinoTemporalLogger(logger.child({ component: 'temporal' })),
    shutdownSignals: [],
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} },
      ...(metricsBindAddress ? { metrics: { prometheus: { bindAddress: metricsBindAddress } } } : {}),
    },
  });
}
