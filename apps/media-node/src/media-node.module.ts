import { Module, type DynamicModule } from '@nestjs/common';
import { infrastructureChecks, ObservabilityModule, type AppContext } from '@legwork/platform';
import type { MediaNodeConfig } from './media-node.config';
import { MediaOriginateService } from './media-originate.service';
import { MediaSipService } from './media-sip.service';

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
      imports: [ObservabilityModule.forRoot({ appName: 'media-node', checks })],
      providers: [
        { provide: MEDIA_NODE_CONTEXT, useValue: ctx },
        { provide: MediaSipService, useValue: sip },
        { provide: MediaOriginateService, useValue: originate },
      ],
      exports: [MediaSipService, MediaOriginateService],
    };
  }
}
