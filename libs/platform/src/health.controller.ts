import { Controller, Get, HttpException, HttpStatus, Inject } from '@nestjs/common';
import { runHealthChecks, type HealthReport } from './health-checks';
import { OBSERVABILITY_OPTIONS, type ObservabilityOptions } from './observability.tokens';
import { PLATFORM_ROUTES, RouteOwner } from './route-owner';

@Controller()
@RouteOwner(PLATFORM_ROUTES)
export class HealthController {
  constructor(@Inject(OBSERVABILITY_OPTIONS) private readonly options: ObservabilityOptions) {}

  @Get('healthz')
  async healthz(): Promise<HealthReport> {
    const report = await runHealthChecks(this.options.checks, this.options.checkTimeoutMs);
    if (report.status !== 'ok') throw new HttpException(report, HttpStatus.SERVICE_UNAVAILABLE);
    return report;
  }
}
