// Liveness says the process answers; readiness says the things it needs (Temporal, the database) answer too.
import { Router } from 'express';

export interface ReadinessCheck {
  name: string;
  check(): Promise<boolean>;
}

const CHECK_TIMEOUT_MS = 2_000;

export function healthRoutes(checks: ReadinessCheck[]): Router {
  const router = Router();
  router.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });
  router.get('/readyz', async (_request, response) => {
    const results = await Promise.all(checks.map(async ({ name, check }) => [name, await withTimeout(check())] as const));
    const ready = results.every(([, ok]) => ok);
    response.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'not_ready',
      checks: Object.fromEntries(results.map(([name, ok]) => [name, ok ? 'ok' : 'unreachable'])),
    });
  });
  return router;
}

async function withTimeout(check: Promise<boolean>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS)));
  try {
    return await Promise.race([check.catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
