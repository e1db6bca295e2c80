// Things started in order are stopped in reverse: HTTP first, then the worker drains, then the database and the
// embedded servers. Each step is logged and timed; one failing step does not stop the others.
import type { Logger } from './observability/logger.js';

export class ShutdownStack {
  private readonly steps: { name: string; stop: () => Promise<void> }[] = [];
  private stopping?: Promise<void>;

  constructor(private readonly logger: Logger) {}

  push(name: string, stop: () => Promise<void>): void {
    this.steps.push({ name, stop });
  }

  /** Runs every step once, newest first; later calls wait for the same run. */
  unwind(): Promise<void> {
    this.stopping ??= (async () => {
      for (const { name, stop } of this.steps.reverse()) {
        const started = Date.now();
        try {
          await stop();
          this.logger.info({ component: name, ms: Date.now() - started }, `Stopped ${name}`);
        } catch (error) {
          this.logger.error({ err: error, component: name }, `Failed to stop ${name}`);
        }
      }
    })();
    return this.stopping;
  }
}
