import { Module } from '@nestjs/common';
import type { CallStore } from '@legwork/call-state';
import type { Directory } from '@legwork/directory';
import { buildOriginateRequest, ORIGINATION_CLIENT, type OriginationClient } from '@legwork/originate-client';
import { CALL_STORE, DIRECTORY } from '../../../core/infra.tokens';
import { VOIPNOW_CONFIG, type VoipnowConfig } from '../core/voipnow.config';
import { VoipnowCoreModule } from '../core/voipnow-core.module';
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
      inject: [DIRECTORY, CALL_STORE, ORIGINATION_CLIENT, VOIPNOW_CONFIG, PhoneCallHistory],
      useFactory: (directory: Directory, calls: CallStore, client: OriginationClient, config: VoipnowConfig, cdrs: PhoneCallHistory) => {
        const ttlMs = config.VOIPNOW_PHONE_CALL_TTL_HOURS * HOUR_MS;
        return new PhoneCallsService({
          directory,
          client,
          records: new PhoneCallRecords(calls.idempotency, ttlMs),
          cdrs,
          buildRequest: (spec) => buildOriginateRequest(spec),
          defaults: { callDurationS: config.VOIPNOW_CALL_DURATION_S, media: config.VOIPNOW_MEDIA },
          ttlMs,
        });
      },
    },
  ],
})
export class VoipnowPhoneCallsModule {}
