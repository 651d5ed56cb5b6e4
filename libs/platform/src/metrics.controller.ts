import { Controller, Get, Header, Inject } from '@nestjs/common';
import { register } from 'prom-client';
import { renderMetrics, type AppMetrics } from './metrics-registry';
import { APP_METRICS } from './observability.tokens';
import { PLATFORM_ROUTES, RouteOwner } from './route-owner';

@Controller()
@RouteOwner(PLATFORM_ROUTES)
export class MetricsController {
  constructor(@Inject(APP_METRICS) private readonly metrics: AppMetrics) {}

  @Get('metrics')
  @Header('Content-Type', register.contentType)
  metricsText(): Promise<string> {
    return renderMetrics(this.metrics);
  }
}
