import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppMetrics } from './metrics-registry';
import { APP_METRICS } from './observability.tokens';

interface RoutedRequest extends IncomingMessage {
  baseUrl?: string;
  route?: { path?: unknown };
}

/**
 * Labels by route template (never the raw path) to keep label cardinality
 * bounded; the route seen on entry is this middleware's own mount, so a request
 * still carrying it at the end matched no handler.
 */
function routeLabel(req: RoutedRequest, mountRoute: unknown): string {
  const path = req.route?.path;
  if (req.route === mountRoute || typeof path !== 'string') return 'unmatched';
  return `${req.baseUrl ?? ''}${path}` || '/';
}

@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(@Inject(APP_METRICS) private readonly metrics: AppMetrics) {}

  use(req: RoutedRequest, res: ServerResponse, next: () => void): void {
    const started = process.hrtime.bigint();
    const mountRoute = req.route;
    res.once('finish', () => {
      const labels = { method: req.method ?? 'GET', route: routeLabel(req, mountRoute), status: String(res.statusCode) };
      this.metrics.httpRequests.inc(labels);
      this.metrics.httpDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  }
}
