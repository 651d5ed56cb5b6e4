import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { AppContext, Infrastructure } from '@legwork/platform';
import type { AppLogger } from '@legwork/platform';
import { API_GATEWAY_CONTEXT } from '../../../api-gateway.context';
import type { ApiGatewayConfig } from '../../../api-gateway.config';

/**
 * The app context, looked up once the app is assembled: its token lives in the root module, which
 * imports this feature module, so it cannot be referenced while decorators run.
 */
@Injectable()
export class GatewayInfra implements OnModuleInit {
  private ctx: AppContext<ApiGatewayConfig> | undefined;

  constructor(private readonly moduleRef: ModuleRef) {}

  onModuleInit(): void {
    this.context();
  }

  get infra(): Infrastructure {
    return this.context().infra;
  }

  get config(): ApiGatewayConfig {
    return this.context().config;
  }

  get logger(): AppLogger {
    return this.context().logger;
  }

  private context(): AppContext<ApiGatewayConfig> {
    this.ctx ??= this.moduleRef.get<AppContext<ApiGatewayConfig>>(API_GATEWAY_CONTEXT, { strict: false });
    return this.ctx;
  }
}
