import { Module, type DynamicModule } from '@nestjs/common';
import { infrastructureChecks, ObservabilityModule, type AppContext } from '@legwork/platform';
import type { ApiGatewayConfig } from './api-gateway.config';
import { ConsoleModule } from './console/console.module';
import { GatewayCoreModule } from './core/gateway-core.module';
import { InfraModule } from './core/infra.module';
import { BasixModule } from './dialects/basix/basix.module';
import type { OperatorConsole } from './core/master-account.provider';
import { KazooModule } from './dialects/kazoo/kazoo.module';
import { NetaxisModule } from './dialects/netaxis/netaxis.module';
import { APP_NAME } from './app.identity';
import { VoipnowModule } from './dialects/voipnow/voipnow.module';
import { XonModule } from './dialects/xon/xon.module';

export interface ApiGatewayModuleOptions {
  /** Receives the one-time master account banner; stdout by default. */
  print?: OperatorConsole;
}

const stdout: OperatorConsole = (line) => void process.stdout.write(line);

/** The api-gateway app: infrastructure and core, one import per dialect (see dialects/README.md), then the web console. */
@Module({})
export class ApiGatewayModule {
  static forRoot(ctx: AppContext<ApiGatewayConfig>, opts: ApiGatewayModuleOptions = {}): DynamicModule {
    return {
      module: ApiGatewayModule,
      imports: [
        InfraModule.forRoot(ctx),
        ObservabilityModule.forRoot({ appName: APP_NAME, checks: infrastructureChecks(ctx.infra) }),
        GatewayCoreModule.forRoot(opts.print ?? stdout),
        KazooModule,
        VoipnowModule,
        BasixModule,
        XonModule,
        NetaxisModule,
        ConsoleModule.forRoot(ctx.config),
      ],
    };
  }
}
