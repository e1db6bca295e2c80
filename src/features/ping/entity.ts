// A ping is the smallest real operation: one row written by one workflow, used to prove the durable spine
// (HTTP → workflow → activity → PostgreSQL) and to measure it.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const PingSchema = defineEntity({
  name: 'Ping',
  tableName: 'pings',
  properties: {
    /** The workflow id that wrote it: one row per workflow, however often the activity is retried. */
    id: p.string().length(200).primary(),
    message: p.string().length(500),
    /** How many activity attempts reached the write: above 1 means a retry happened and was absorbed. */
    attempts: p.integer().default(1),
    createdAt: p.datetime().defaultRaw('now()'),
  },
});

export type Ping = InferEntity<typeof PingSchema>;
