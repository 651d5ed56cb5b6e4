import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

let processRegistry: Registry | undefined;

/** Process metrics (CPU, memory, event loop) are per process, so they are registered once. */
export function getProcessRegistry(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, prefix: 'legwork_' });
  }
  return processRegistry;
}

export interface AppMetrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
}

/** One registry per app so several apps in one process never clash on metric names. */
export function createAppMetrics(appName: string): AppMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ app: appName });
  const labelNames = ['method', 'route', 'status'] as const;
  const httpRequests = new Counter({
    name: 'legwork_http_requests_total',
    help: 'HTTP requests served, by route and status',
    labelNames,
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'legwork_http_request_duration_seconds',
    help: 'HTTP request duration in seconds, by route and status',
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return { registry, httpRequests, httpDuration };
}

/** The /metrics body: process metrics followed by the app's own. */
export async function renderMetrics(metrics: AppMetrics): Promise<string> {
  const [proc, app] = await Promise.all([getProcessRegistry().metrics(), metrics.registry.metrics()]);
  return `${proc.trimEnd()}\n${app}`;
}
