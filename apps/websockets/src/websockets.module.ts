import { Module, type DynamicModule } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { APP_METRICS, infrastructureChecks, ObservabilityModule, type AppContext, type AppMetrics } from '@legwork/platform';
import { EventStreamService } from './event-stream.service';
import type { WebsocketsConfig } from './websockets.config';
import { APP_NAME } from './app.identity';

export const WEBSOCKETS_CONTEXT = Symbol('WEBSOCKETS_CONTEXT');

/** The websockets app: Kazoo's blackhole event stream on `/` and `/websocket`, plus health and metrics. */
@Module({})
export class WebsocketsModule {
  static forRoot(ctx: AppContext<WebsocketsConfig>): DynamicModule {
    return {
      module: WebsocketsModule,
      imports: [ObservabilityModule.forRoot({ appName: APP_NAME, checks: infrastructureChecks(ctx.infra) })],
      providers: [
        { provide: WEBSOCKETS_CONTEXT, useValue: ctx },
        {
          provide: EventStreamService,
          useFactory: (host: HttpAdapterHost, metrics: AppMetrics) => new EventStreamService(ctx, host, metrics),
          inject: [HttpAdapterHost, APP_METRICS],
        },
      ],
      exports: [EventStreamService],
    };
  }
}
