import { Module, type DynamicModule } from '@nestjs/common';
import { infrastructureChecks, ObservabilityModule, type AppContext } from '@legwork/platform';
import type { WebsocketsConfig } from './websockets.config';

export const WEBSOCKETS_CONTEXT = Symbol('WEBSOCKETS_CONTEXT');

/** The websockets app (authenticated event streams); features arrive as modules imported here. */
@Module({})
export class WebsocketsModule {
  static forRoot(ctx: AppContext<WebsocketsConfig>): DynamicModule {
    return {
      module: WebsocketsModule,
      imports: [ObservabilityModule.forRoot({ appName: 'websockets', checks: infrastructureChecks(ctx.infra) })],
      providers: [{ provide: WEBSOCKETS_CONTEXT, useValue: ctx }],
    };
  }
}
