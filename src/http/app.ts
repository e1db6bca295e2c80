// The HTTP adapter: parses and validates, starts or queries workflows, and answers in one JSON shape.
import { randomUUID } from 'node:crypto';
import express, { type Express, type RequestHandler, type Router } from 'express';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { startServerSpan } from '../observability/tracing.js';
import { SpanStatusCode } from '@opentelemetry/api';
import { errorHandler, notFound } from './errors.js';
import { operatorOnly } from './operator.js';
import { refuseUnstorableText } from './storable-text.js';

export interface HttpAppOptions {
  logger: Logger;
  metrics: Metrics;
  bodyLimit: string;
  routers: Router[];
  /** Routers that read the raw body themselves (signature checks), mounted before JSON parsing. */
  rawBodyRouters?: Router[];
  /** Guards operators' endpoints such as /metrics (see operator.ts); loopback callers only when omitted. */
  operatorOnly?: RequestHandler;
}

export function createHttpApp({ logger, metrics, bodyLimit, routers, rawBodyRouters = [], operatorOnly: operator = operatorOnly(undefined) }: HttpAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(requestContext(logger, metrics));
  for (const router of rawBodyRouters) app.use(router);
  app.use(express.json({ limit: bodyLimit }));
  app.use(refuseUnstorableText);
  app.get('/metrics', operator, async (_request, response) => {
    response.type(metrics.contentType).send(await metrics.render());
  });
  for (const router of routers) app.use(router);
  app.use(notFound);
  app.use(errorHandler(logger));
  return app;
}

/**
 * Gives each request an id (echoed as X-Request-Id) and a span (continuing the caller's trace when it sends a
 * `traceparent`), logs it once when done, and times it by route template.
 */
function requestContext(logger: Logger, metrics: Metrics): RequestHandler {
  return (request, response, next) => {
    const requestId = request.header('x-request-id')?.slice(0, 100) || randomUUID();
    response.locals.requestId = requestId;
    response.setHeader('x-request-id', requestId);
    const stopTimer = metrics.httpRequests.startTimer();
    const { span, run } = startServerSpan(`HTTP ${request.method}`, request.headers, { 'http.request.method': request.method, 'http.request.id': requestId });
    response.on('finish', () => {
      const route = (request.route?.path as string | undefined) ?? (response.statusCode === 404 ? 'unmatched' : request.path);
      const seconds = stopTimer({ method: request.method, route, status: String(response.statusCode) });
      run(() =>
        logger.info({ requestId, method: request.method, route, status: response.statusCode, ms: Math.round(seconds * 1000) }, 'HTTP request'),
      );
      span.updateName(`HTTP ${request.method} ${route}`);
      span.setAttributes({ 'http.route': route, 'http.response.status_code': response.statusCode });
      if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    run(next);
  };
}
