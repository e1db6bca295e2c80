// Writes the adapter's statistics every two seconds, and what is left at shutdown.
import type { Database } from '../../db/database.js';
import type { Logger } from '../../observability/logger.js';
import type { BackgroundService } from '../feature.js';
import { statsTallyFor } from './listeners.js';

const FLUSH_EVERY_MS = 2_000;

export function statsWriter({ database, logger }: { database: Database; logger: Logger }): BackgroundService {
  const tally = statsTallyFor(database);
  const flush = () => tally.flush(database);
  return {
    name: 'statistics writer',
    async start() {
      const timer = setInterval(() => void flush().catch((error: unknown) => logger.warn({ err: error, waiting: tally.waiting }, 'Statistics write failed; kept for the next')), FLUSH_EVERY_MS);
      timer.unref();
      return async () => {
        clearInterval(timer);
        await flush().catch((error: unknown) => logger.warn({ err: error, waiting: tally.waiting }, 'Statistics lost at shutdown'));
      };
    },
  };
}
