import { Module } from '@nestjs/common';
import { VoipnowAuthGuard } from './voipnow-auth.guard';
import { readVoipnowConfig, VOIPNOW_CONFIG } from './voipnow.config';
import { VoipnowExceptionFilter } from './voipnow-exception.filter';

/** What every VoipNow route shares: settings, the bearer guard and the error filter (attached per controller). */
@Module({
  providers: [{ provide: VOIPNOW_CONFIG, useFactory: () => readVoipnowConfig() }, VoipnowAuthGuard, VoipnowExceptionFilter],
  exports: [VOIPNOW_CONFIG, VoipnowAuthGuard, VoipnowExceptionFilter],
})
export class VoipnowCoreModule {}
