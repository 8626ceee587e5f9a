import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The ingest process's Prometheus metrics, in a registry of its own (no global state). */
export class IngestMetrics {
  readonly registry = new Registry();

  readonly httpRequests = new Histogram({
    name: 'lbc_http_request_duration_seconds',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly events = new Counter({
    name: 'lbc_ingest_events_total',
    help: 'Submitted events by outcome (accepted, duplicate, rejected)',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });

  readonly appendRetries = new Counter({
    name: 'lbc_ingest_append_retries_total',
    help: 'Appends retried after a concurrent writer moved the stream',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
