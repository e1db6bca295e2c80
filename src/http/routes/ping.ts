// POST /api/ping: starts the ping workflow and answers with its result. An Idempotency-Key header names the
// workflow, so a client retrying the same request gets the first run's answer, not a second row.
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { z } from 'zod';
import { ping } from '../../../workflows/ping.js';
import { FlowKind } from '../../../workflows/search-attributes.js';
import { HttpError, parseBody } from '../errors.js';
import type { Metrics } from '../../observability/metrics.js';

const pingBody = z.strictObject({
  message: z.string().trim().min(1).max(500),
  /** Simulated slow work inside the activity, for trying crash recovery by hand. */
  holdMs: z.number().int().min(0).max(30_000).optional(),
});

const idempotencyKey = z.string().regex(/^[\w.:-]{1,100}$/, 'letters, digits, "_", ".", ":" or "-", at most 100');

export function pingRoutes({ client, taskQueue, metrics }: { client: Client; taskQueue: string; metrics: Metrics }) {
  const router = Router();
  router.post('/api/ping', async (request, response) => {
    const input = parseBody(pingBody, request.body);
    const key = request.header('idempotency-key');
    if (key !== undefined && !idempotencyKey.safeParse(key).success) {
      throw new HttpError(400, 'invalid_idempotency_key', 'Idempotency-Key must be 1–100 of [A-Za-z0-9_.:-].');
    }
    const workflowId = `ping:${key ?? randomUUID()}`;
    const handle = await client.workflow
      .start(ping, {
        taskQueue,
        workflowId,
        args: [input],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        typedSearchAttributes: [{ key: FlowKind, value: 'ping' }],
      })
      .then((started) => {
        metrics.workflowsStarted.inc({ flow: 'ping' });
        return started;
      })
      .catch((error: unknown) => {
        if (error instanceof WorkflowExecutionAlreadyStartedError) return client.workflow.getHandle<typeof ping>(workflowId);
        throw error;
      });
    response.json({ workflowId, ...(await handle.result()) });
  });
  return router;
}
