// Prometheus metrics: Node process metrics and HTTP request metrics from prom-client, joined with the Temporal
// worker's own metrics, which the SDK's native runtime serves on a loopback port of its own.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class Metrics {
  readonly registry = new Registry();
  readonly httpRequests: Histogram<'method' | 'route' | 'status'>;
  readonly workflowsStarted: Counter<'flow'>;

  /** @param temporalMetricsUrl where the worker's runtime serves Prometheus text; undefined without a worker. */
  constructor(private readonly temporalMetricsUrl?: string) {
    collectDefaultMetrics({ register: this.registry });
    this.httpRequests = new Histogram({
      name: 'steward_http_request_duration_seconds',
      help: 'HTTP request duration by method, route template and status code',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.workflowsStarted = new Counter({
      name: 'steward_workflows_started_total',
      help: 'Workflows started by the adapters, by flow',
      labelNames: ['flow'],
      registers: [this.registry],
    });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The whole exposition. A missing worker endpoint is reported as a gauge, not an error: /metrics must answer. */
  async render(): Promise<string> {
    const own = await this.registry.metrics();
    if (!this.temporalMetricsUrl) return own;
    try {
      const response = await fetch(this.temporalMetricsUrl, { signal: AbortSignal.timeout(2_000) });
      const temporal = response.ok ? await response.text() : '';
      return `${own}\n# HELP steward_temporal_metrics_up Whether the worker's Temporal metrics could be read\n# TYPE steward_temporal_metrics_up gauge\nsteward_temporal_metrics_up ${response.ok ? 1 : 0}\n${temporal}`;
    } catch {
      return `${own}\n# TYPE steward_temporal_metrics_up gauge\nsteward_temporal_metrics_up 0\n`;
    }
  }
}
