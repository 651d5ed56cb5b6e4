import { Module } from '@nestjs/common';
import { NetaxisCoreModule } from '../core/netaxis-core.module';
import { AuthTokenController } from './auth-token.controller';
import { AuthTokenService } from './auth-token.service';

/** POST /api/v1/auth/token. */
@Module({ imports: [NetaxisCoreModule], controllers: [AuthTokenController], providers: [AuthTokenService] })
export class NetaxisAuthModule {}
