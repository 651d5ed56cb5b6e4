import { Module } from '@nestjs/common';
import { VoipnowAuthGuard } from './voipnow-auth.guard';
import { readVoipnowConfig, VOIPNOW_CONFIG } from './voipnow.config';
import { VoipnowEdge } from './voipnow-edge.provider';
import { VoipnowExceptionFilter } from './voipnow-exception.filter';
import { VoipnowRateLimitGuard } from './voipnow-rate-limit.guard';

/** What every VoipNow route shares: settings, the bearer guard, the rate limit, the error filter and the edge. */
@Module({
  providers: [{ provide: VOIPNOW_CONFIG, useFactory: () => readVoipnowConfig() }, VoipnowAuthGuard, VoipnowRateLimitGuard, VoipnowExceptionFilter, VoipnowEdge],
  exports: [VOIPNOW_CONFIG, VoipnowAuthGuard, VoipnowRateLimitGuard, VoipnowExceptionFilter],
})
export class VoipnowCoreModule {}
