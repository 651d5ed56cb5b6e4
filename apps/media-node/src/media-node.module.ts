import { Module, type DynamicModule } from '@nestjs/common';
import { APP_METRICS, infrastructureChecks, ObservabilityModule, type AppContext, type AppMetrics } from '@legwork/platform';
import type { MediaNodeConfig } from './media-node.config';
import { MediaOriginateService } from './media-originate.service';
import { registerSipConnectionMetrics } from './media-sip.metrics';
import { MediaSipService } from './media-sip.service';
import { APP_NAME } from './app.identity';

export const MEDIA_NODE_CONTEXT = Symbol('MEDIA_NODE_CONTEXT');

/** The media-node app (SIP stack, registrar and originate engine); features arrive as modules imported here. */
@Module({})
export class MediaNodeModule {
  static forRoot(
    ctx: AppContext<MediaNodeConfig>,
    sip: MediaSipService = new MediaSipService(ctx),
    originate: MediaOriginateService = new MediaOriginateService(ctx),
  ): DynamicModule {
    const checks = { ...infrastructureChecks(ctx.infra), sip: () => sip.check() };
    return {
      module: MediaNodeModule,
      imports: [ObservabilityModule.forRoot({ appName: APP_NAME, checks })],
      providers: [
        { provide: MEDIA_NODE_CONTEXT, useValue: ctx },
        { provide: MediaSipService, useValue: sip },
        { provide: MediaOriginateService, useValue: originate },
        {
          provide: 'MEDIA_SIP_METRICS',
          useFactory: (metrics: AppMetrics) => registerSipConnectionMetrics(metrics.registry, () => sip.transportStats(), () => sip.flowCount()),
          inject: [APP_METRICS],
        },
      ],
      exports: [MediaSipService, MediaOriginateService],
    };
  }
}
