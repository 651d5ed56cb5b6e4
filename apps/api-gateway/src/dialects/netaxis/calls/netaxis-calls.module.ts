import { Module } from '@nestjs/common';
import type { CallStore } from '@legwork/call-state';
import type { Directory } from '@legwork/directory';
import { buildOriginateRequest, ORIGINATION_CLIENT, type OriginationClient } from '@legwork/originate-client';
import { ImrnAllocator, readImrnConfig } from '../../../core/imrn-allocator';
import { CALL_STORE, DIRECTORY } from '../../../core/infra.tokens';
import { NETAXIS_CONFIG, type NetaxisConfig } from '../core/netaxis.config';
import { NetaxisCoreModule } from '../core/netaxis-core.module';
import { CallsController } from './calls.controller';
import { CallsService } from './calls.service';

/** /api/v1/tenants/{t}/groups/{g}/users/{u}/services/calls/. */
@Module({
  imports: [NetaxisCoreModule],
  controllers: [CallsController],
  providers: [
    {
      provide: CallsService,
      inject: [DIRECTORY, ORIGINATION_CLIENT, NETAXIS_CONFIG, CALL_STORE],
      useFactory: (directory: Directory, client: OriginationClient, config: NetaxisConfig, calls: CallStore) =>
        new CallsService({
          directory, client, buildRequest: (spec) => buildOriginateRequest(spec), ringTimeoutS: config.NETAXIS_RING_TIMEOUT_S, media: config.NETAXIS_MEDIA,
          imrns: new ImrnAllocator(calls.imrns, readImrnConfig().ttlSeconds),
        }),
    },
  ],
})
export class NetaxisCallsModule {}
