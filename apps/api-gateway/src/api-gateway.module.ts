import { Module, type DynamicModule } from '@nestjs/common';
import { infrastructureChecks, ObservabilityModule, type AppContext } from '@legwork/platform';
import type { ApiGatewayConfig } from './api-gateway.config';

export const API_GATEWAY_CONTEXT = Symbol('API_GATEWAY_CONTEXT');

/** The api-gateway app (REST dialects, auth and provisioning); features arrive as modules imported here. */
@Module({})
export class ApiGatewayModule {
  static forRoot(ctx: AppContext<ApiGatewayConfig>): DynamicModule {
    return {
      module: ApiGatewayModule,
      imports: [ObservabilityModule.forRoot({ appName: 'api-gateway', checks: infrastructureChecks(ctx.infra) })],
      providers: [{ provide: API_GATEWAY_CONTEXT, useValue: ctx }],
    };
  }
}
