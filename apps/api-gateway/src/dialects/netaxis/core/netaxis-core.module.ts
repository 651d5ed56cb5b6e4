import { Module } from '@nestjs/common';
import { NetaxisAuthGuard } from './netaxis-auth.guard';
import { NETAXIS_CONFIG, readNetaxisConfig } from './netaxis.config';
import { NetaxisEdge } from './netaxis-edge.provider';
import { NetaxisExceptionFilter } from './netaxis-exception.filter';
import { NetaxisRateLimitGuard } from './netaxis-rate-limit.guard';

/** What every Netaxis route shares: settings, the bearer guard, the rate limit, the error filter and the edge. */
@Module({
  providers: [{ provide: NETAXIS_CONFIG, useFactory: () => readNetaxisConfig() }, NetaxisAuthGuard, NetaxisRateLimitGuard, NetaxisExceptionFilter, NetaxisEdge],
  exports: [NETAXIS_CONFIG, NetaxisAuthGuard, NetaxisRateLimitGuard, NetaxisExceptionFilter],
})
export class NetaxisCoreModule {}
