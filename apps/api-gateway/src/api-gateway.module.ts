export { API_GATEWAY_CONTEXT } from './api-gateway.context';
import { Module, type DynamicModule } from '@nestjs/common';
import { infrastructureChecks, ObservabilityModule, type AppContext } from '@legwork/platform';
import type { ApiGatewayConfig } from './api-gateway.config';
import { API_GATEWAY_CONTEXT } from './api-gateway.context';
import type { KazooConsole } from './dialects/kazoo/auth/master-account.provider';
import { KazooModule } from './dialects/kazoo/kazoo.module';
import { APP_NAME } from './app.identity';

export interface ApiGatewayModuleOptions {
  /** Receives the one-time master account banner; stdout by default. */
  print?: KazooConsole;
}

const stdout: KazooConsole = (line) => void process.stdout.write(line);

/** The api-gateway app (REST dialects, auth and provisioning); features arrive as modules imported here. */
@Module({})
export class ApiGatewayModule {
  static forRoot(ctx: AppContext<ApiGatewayConfig>, opts: ApiGatewayModuleOptions = {}): DynamicModule {
    return {
      module: ApiGatewayModule,
      // Global so every feature module can inject the app context.
      global: true,
      imports: [
        ObservabilityModule.forRoot({ appName: APP_NAME, checks: infrastructureChecks(ctx.infra) }),
        KazooModule.forRoot(opts.print ?? stdout),
      ],
      providers: [{ provide: API_GATEWAY_CONTEXT, useValue: ctx }],
      exports: [API_GATEWAY_CONTEXT],
    };
  }
}
