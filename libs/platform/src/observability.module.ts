import { Module, RequestMethod, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { HealthController } from './health.controller';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { MetricsController } from './metrics.controller';
import { createAppMetrics } from './metrics-registry';
import { APP_METRICS, OBSERVABILITY_OPTIONS, type ObservabilityOptions } from './observability.tokens';

/** GET /healthz and GET /metrics for one app, plus HTTP request metrics for all its routes. */
@Module({})
export class ObservabilityModule implements NestModule {
  static forRoot(options: ObservabilityOptions): DynamicModule {
    return {
      module: ObservabilityModule,
      global: true,
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: OBSERVABILITY_OPTIONS, useValue: options },
        { provide: APP_METRICS, useFactory: () => createAppMetrics(options.appName) },
      ],
      exports: [APP_METRICS],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes({ path: '*path', method: RequestMethod.ALL });
  }
}
