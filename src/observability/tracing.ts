// OpenTelemetry tracing, off unless an OTLP endpoint is configured (or a test brings its own span processor). One
// trace follows a click: the adapter's span, the Temporal client call, through the workflow (which carries the
// context on, workflows/shared/trace-context.ts) to each activity, and every HTTP call an activity makes (Discord,
// the LLM providers, Q2Q, Telegram). Tokens in URLs (interaction and webhook tokens, a Telegram bot's) never reach
// a span.
import { context, propagation, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import {
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';

export interface TracingOptions {
  serviceName: string;
  /** Where spans go over OTLP/HTTP (e.g. http://collector:4318); undefined with no processor turns tracing off. */
  otlpEndpoint?: string;
  /** A test's own processor (an in-memory exporter), used instead of OTLP. */
  spanProcessor?: SpanProcessor;
}

/** Steward's own spans (the adapters'); the SDK's interceptors name theirs. */
const tracer = () => trace.getTracer('steward');

export class Tracing {
  private constructor(
    private readonly provider: NodeTracerProvider,
    private readonly disableInstrumentations: () => void,
  ) {}

  /** Registers the process's tracer provider, or returns undefined when tracing is off. */
  static start(options: TracingOptions): Tracing | undefined {
    const processor = options.spanProcessor ?? (options.otlpEndpoint ? new BatchSpanProcessor(otlpExporter(options.otlpEndpoint)) : undefined);
    if (!processor) return undefined;
    const resource = new Resource({ 'service.name': options.serviceName });
    const provider = new NodeTracerProvider({ resource, spanProcessors: [processor] });
    provider.register();
    const disableInstrumentations = registerInstrumentations({
      tracerProvider: provider,
      instrumentations: [
        new UndiciInstrumentation({
          // Only calls made inside a traced operation (an activity, an interaction): not the gateway's housekeeping.
          requireParentforSpans: true,
          requestHook: (span, request) => span.setAttributes(redactedUrl(request.origin, request.path)),
        }),
      ],
    });
    return new Tracing(provider, disableInstrumentations);
  }

  /** The Temporal client's interceptors: each start, signal and update carries the caller's span in its headers. */
  get clientInterceptors(): WorkflowClientInterceptor[] {
    return [new OpenTelemetryWorkflowClientInterceptor()];
  }

  /** Each activity runs in a span whose parent is the caller's (carried by the workflow); its SDK logs carry the trace id. */
  get activityInterceptors(): ActivityInterceptorsFactory[] {
    return [(ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx), outbound: new OpenTelemetryActivityOutboundInterceptor(ctx) })];
  }

  async shutdown(): Promise<void> {
    this.disableInstrumentations();
    await this.provider.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
  }
}

/**
 * Runs `work` in a new span (a child of the active one), ended when `work` settles;
 * a thrown error marks the span failed. A no-op span when tracing is off.
 */
export async function inSpan<T>(name: string, attributes: Attributes, work: (span: Span) => Promise<T>, kind = SpanKind.INTERNAL): Promise<T> {
  return tracer().startActiveSpan(name, { kind, attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Starts a server span that continues the caller's trace when its request carries a `traceparent` header. */
export function startServerSpan(name: string, headers: Record<string, unknown>, attributes: Attributes): { span: Span; run: <T>(work: () => T) => T } {
  const parent = propagation.extract(context.active(), headers);
  const span = tracer().startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
  const active = trace.setSpan(parent, span);
  return { span, run: (work) => context.with(active, work) };
}

/** The active span's ids for a log line: empty outside a sampled span, so logs stay unchanged with tracing off. */
export function traceFields(): { trace_id?: string; span_id?: string } {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId, traceFlags } = span.spanContext();
  return traceFlags & 1 ? { trace_id: traceId, span_id: spanId } : {};
}

/** Paths that carry a secret in a segment: `/interactions/{id}/{token}`, `/webhooks/{id}/{token}`, `/bot{token}/`. */
const tokenSegments: [RegExp, string][] = [
  [/\/(interactions|webhooks)\/(\d+)\/[^/?]+/g, '/$1/$2/:token'],
  [/\/bot[^/?]+/g, '/bot:token'],
];

/** The URL attributes of an outgoing call, with tokens in its path blanked and its query (API keys) left out. */
export function redactedUrl(origin: string, path: string): Attributes {
  const [pathOnly = '', query] = path.split('?', 2);
  const redactedPath = tokenSegments.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), pathOnly);
  return { 'url.full': `${origin}${redactedPath}${query ? '?:redacted' : ''}`, 'url.path': redactedPath, 'url.query': query ? ':redacted' : '' };
}

function otlpExporter(endpoint: string): OTLPTraceExporter {
  // The exporter appends /v1/traces to a base endpoint only when it reads it from the environment itself.
  return new OTLPTraceExporter({ url: `${endpoint.replace(/\/$/, '')}/v1/traces` });
}
