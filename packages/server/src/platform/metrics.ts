/**
 * Prometheus metrics (prom-client) on a registry of the platform's own, so several app instances in one
 * process (tests, `serve --services`) keep separate counts. Modules add their metrics through `registry`.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly auditEvents: Counter<'outcome'>;
  readonly auditBatchSize: Histogram;
  readonly auditBatchSeconds: Histogram;
  readonly dbPool: Gauge<'state'>;
  readonly jobQueue: Gauge<'queue' | 'state'>;
  readonly jobsCompleted: Counter<'queue' | 'outcome'>;
  readonly authAttempts: Counter<'method' | 'outcome'>;

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics !== false)
      collectDefaultMetrics({ register: this.registry, prefix: 'intelluxe_process_' });
    const registers = [this.registry];
    this.httpDuration = new Histogram({
      name: 'intelluxe_http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.auditEvents = new Counter({
      name: 'intelluxe_audit_events_total',
      help: 'Audit events committed (ok) or failed to commit',
      labelNames: ['outcome'],
      registers,
    });
    this.auditBatchSize = new Histogram({
      name: 'intelluxe_audit_batch_size',
      help: 'Audit events per group commit',
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
      registers,
    });
    this.auditBatchSeconds = new Histogram({
      name: 'intelluxe_audit_commit_seconds',
      help: 'Time to commit one audit batch',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
      registers,
    });
    this.dbPool = new Gauge({
      name: 'intelluxe_db_pool_connections',
      help: 'Database pool connections by state (total, idle, waiting)',
      labelNames: ['state'],
      registers,
    });
    this.jobQueue = new Gauge({
      name: 'intelluxe_job_queue_jobs',
      help: 'Jobs per queue and state',
      labelNames: ['queue', 'state'],
      registers,
    });
    this.jobsCompleted = new Counter({
      name: 'intelluxe_jobs_processed_total',
      help: 'Jobs processed by queue and outcome',
      labelNames: ['queue', 'outcome'],
      registers,
    });
    this.authAttempts = new Counter({
      name: 'intelluxe_auth_attempts_total',
      help: 'Authentication attempts by method and outcome',
      labelNames: ['method', 'outcome'],
      registers,
    });
  }
}
