// The records HTTP API under /api/v1/guilds/:guildId (records, subjects, maintainers and their links, settings).
// The platform mounts it behind the server's API-token check (guildApi).
import { Router } from 'express';
import type { Database } from '../../../db/database.js';
import type { Logger } from '../../../observability/logger.js';
import type { StoredRecord } from '../store/records.js';
import { maintainerRoutes } from './maintainers.js';
import { recordRoutes } from './records.js';
import { settingsRoutes } from './settings.js';
import { subjectRoutes } from './subjects.js';

export interface RecordsApiDependencies {
  database: Database;
  logger: Logger;
  /** Origins besides Discord's own that a notification webhook may point at (the configured Discord API). */
  webhookOrigins?: readonly string[];
  /**
   * Runs after a create commits, and again when a client repeats that create (same Idempotency-Key), so that a
   * hook that failed is retried by the client's retry: it must be idempotent, e.g. keyed by the record id.
   */
  onRecordCreated?: (record: StoredRecord) => Promise<void>;
}

export function recordsApiRoutes({ database, logger, onRecordCreated, webhookOrigins = [] }: RecordsApiDependencies): Router {
  return Router().use(
    recordRoutes({ database, logger, onRecordCreated }),
    subjectRoutes(database),
    maintainerRoutes(database),
    settingsRoutes(database, webhookOrigins),
  );
}
