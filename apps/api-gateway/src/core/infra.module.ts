import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { createCdrStore, type CdrStore } from '@legwork/cdr';
import type { AppContext } from '@legwork/platform';
import type { ApiGatewayConfig } from '../api-gateway.config';
import { ORIGINATION_CLIENT } from '@legwork/originate-client';
import { APP_CONFIG, APP_LOGGER, BUS, CALL_STORE, CDR_STORE, DIRECTORY } from './infra.tokens';
import { originationClientProvider } from './origination-client.provider';
import { ApiBuckets } from './api-buckets.service';

const DAY_MS = 86_400_000;
const TOKENS = [BUS, CALL_STORE, DIRECTORY, CDR_STORE, APP_CONFIG, APP_LOGGER, ORIGINATION_CLIENT, ApiBuckets];

/** The app's infrastructure as DI tokens (infra.tokens.ts) and the origination client, for gateway core and every dialect alike. */
@Module({})
export class InfraModule implements OnApplicationShutdown {
  constructor(@Inject(CDR_STORE) private readonly cdrs: CdrStore) {}

  static forRoot(ctx: AppContext<ApiGatewayConfig>): DynamicModule {
    const { config, infra, logger } = ctx;
    return {
      module: InfraModule,
      global: true,
      providers: [
        { provide: BUS, useValue: infra.bus },
        { provide: CALL_STORE, useValue: infra.calls },
        { provide: DIRECTORY, useValue: infra.directory },
        { provide: APP_CONFIG, useValue: config },
        { provide: APP_LOGGER, useValue: logger },
        // Redis beside the call state, or in-process in embedded mode, as the call store is.
        {
          provide: CDR_STORE,
          useFactory: () => createCdrStore({ url: config.REDIS_URL, clusterNodes: config.REDIS_CLUSTER_NODES, prefix: config.REDIS_PREFIX, retentionMs: Math.round(config.CDR_RETENTION_DAYS * DAY_MS), logger }),
        },
        originationClientProvider,
        ApiBuckets,
      ],
      exports: TOKENS,
    };
  }

  /** After every module's destroy hook, so the CDR writer has stopped consuming before its store closes. */
  async onApplicationShutdown(): Promise<void> {
    await this.cdrs.close();
  }
}
