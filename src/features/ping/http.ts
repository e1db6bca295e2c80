// POST /api/ping: starts the ping workflow and answers with its result. An Idempotency-Key header names the
// workflow, so a client retrying the same request gets the first run's answer, not a second row.
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { ping } from '../../../workflows/ping/ping.js';
import { HttpError, parseBody } from '../../http/errors.js';
import type { FeatureServices } from '../feature.js';

const pingBody = z.strictObject({
  message: z.string().trim().min(1).max(500),
  /** Simulated slow work inside the activity, for trying crash recovery by hand. */
  holdMs: z.number().int().min(0).max(30_000).optional(),
});

const idempotencyKey = z.string().regex(/^[\w.:-]{1,100}$/, 'letters, digits, "_", ".", ":" or "-", at most 100');

/** An operator's probe of the whole spine (it writes a row, and may hold 30 s): behind the operator guard. */
export function pingRoutes({ flows, operatorOnly }: FeatureServices) {
  const router = Router();
  router.post('/api/ping', operatorOnly, async (request, response) => {
    const input = parseBody(pingBody, request.body);
    const key = request.header('idempotency-key');
    if (key !== undefined && !idempotencyKey.safeParse(key).success) {
      throw new HttpError(400, 'invalid_idempotency_key', 'Idempotency-Key must be 1–100 of [A-Za-z0-9_.:-].');
    }
    const workflowId = `ping:${key ?? randomUUID()}`;
    const { handle } = await flows.start(ping, {
      workflowId,
      args: [input],
      kind: 'ping',
      summary: 'An operator pings Steward through the HTTP API',
      idReusePolicy: 'REJECT_DUPLICATE',
    });
    response.json({ workflowId, ...(await handle.result()) });
  });
  return router;
}
