import { Module } from '@nestjs/common';
import type { AppContext } from '@legwork/platform';
import { ORIGINATION_CLIENT, type OriginationClient } from '@legwork/originate-client';
import { API_GATEWAY_CONTEXT } from '../../../api-gateway.context';
import { VOIPNOW_CONFIG, type VoipnowConfig } from '../core/voipnow.config';
import { VoipnowCoreModule } from '../core/voipnow-core.module';
import { clientOrUnavailable, originateRequestOf } from './originate-request';
import { PhoneCallHistory } from './phone-call-history.provider';
import { PhoneCallRecords } from './phone-call.records';
import { PhoneCallsController } from './phone-calls.controller';
import { PhoneCallsService } from './phone-calls.service';

const HOUR_MS = 3_600_000;

/** POST /uapi/phoneCalls/{userId}/simple and the PhoneCall of link.self. */
@Module({
  imports: [VoipnowCoreModule],
  controllers: [PhoneCallsController],
  providers: [
    PhoneCallHistory,
    {
      provide: PhoneCallsService,
      inject: [API_GATEWAY_CONTEXT, { token: ORIGINATION_CLIENT, optional: true }, VOIPNOW_CONFIG, PhoneCallHistory],
      useFactory: (ctx: AppContext<unknown>, client: OriginationClient | undefined, config: VoipnowConfig, cdrs: PhoneCallHistory) => {
        const ttlMs = config.VOIPNOW_PHONE_CALL_TTL_HOURS * HOUR_MS;
        return new PhoneCallsService({
          directory: ctx.infra.directory,
          client: clientOrUnavailable(client),
          records: new PhoneCallRecords(ctx.infra.calls.idempotency, ttlMs),
          cdrs,
          buildRequest: originateRequestOf,
          defaults: { callDurationS: config.VOIPNOW_CALL_DURATION_S, media: config.VOIPNOW_MEDIA },
          ttlMs,
        });
      },
    },
  ],
})
export class VoipnowPhoneCallsModule {}
