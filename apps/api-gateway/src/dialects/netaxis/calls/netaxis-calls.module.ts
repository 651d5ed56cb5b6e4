import { Module } from '@nestjs/common';
import type { Directory } from '@legwork/directory';
import { buildOriginateRequest, ORIGINATION_CLIENT, type OriginationClient } from '@legwork/originate-client';
import { DIRECTORY } from '../../../core/infra.tokens';
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
      inject: [DIRECTORY, ORIGINATION_CLIENT, NETAXIS_CONFIG],
      useFactory: (directory: Directory, client: OriginationClient, config: NetaxisConfig) =>
        new CallsService({ directory, client, buildRequest: (spec) => buildOriginateRequest(spec), ringTimeoutS: config.NETAXIS_RING_TIMEOUT_S, media: config.NETAXIS_MEDIA }),
    },
  ],
})
export class NetaxisCallsModule {}
