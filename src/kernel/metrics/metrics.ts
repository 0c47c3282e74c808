import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { PoolStats } from '../db/index.js';

export interface MetricsSources {
  poolStats: () => PoolStats;
  /** Jobs waiting per queue; absent in processes without a queue. */
  queueDepths?: () => Promise<Array<{ queue: string; depth: number }>>;
}

export interface Metrics {
  registry: Registry;
  /** Records one HTTP request's duration. */
  observeRequest(method: string, route: string, statusCode: number, seconds: number): void;
}

/**
 * One registry per app (not prom-client's global one), so several apps in one test process
 * do not share counters. Gauges are read at scrape time, not kept up to date on every change.
 */
export function createMetrics(sources: MetricsSources): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'keel_' });
  const httpDuration = new Histogram({
    name: 'keel_http_request_duration_seconds',
    help: 'HTTP request duration by route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  new Gauge({
    name: 'keel_db_pool_connections',
    help: 'Database pool connections by state',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const stats = sources.poolStats();
      this.set({ state: 'total' }, stats.total);
      this.set({ state: 'idle' }, stats.idle);
      this.set({ state: 'waiting' }, stats.waiting);
    },
  });
  const queueDepths = sources.queueDepths;
  if (queueDepths) {
    new Gauge({
      name: 'keel_job_queue_depth',
      help: 'Jobs waiting to run, by queue',
      labelNames: ['queue'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        for (const { queue, depth } of await queueDepths()) this.set({ queue }, depth);
      },
    });
  }
  // prom-client hashes the label object on every observe(); the few label combinations a server
  // sees are bound once instead.
  const bound = new Map<string, ReturnType<typeof httpDuration.labels>>();
  function observeRequest(method: string, route: string, statusCode: number, seconds: number): void {
    const key = `${method} ${statusCode} ${route}`;
    let child = bound.get(key);
    if (!child) {
      child = httpDuration.labels({ method, route, status_code: String(statusCode) });
      bound.set(key, child);
    }
    child.observe(seconds);
  }
  return { registry, observeRequest };
}
