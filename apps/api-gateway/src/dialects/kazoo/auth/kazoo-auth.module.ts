import { Module } from '@nestjs/common';
import { KazooCoreModule } from '../core/kazoo-core.module';
import { KazooAuthController } from './kazoo-auth.controller';
import { KazooAuthService } from './kazoo-auth.service';

/** PUT /v2/api_auth, PUT /v2/user_auth and DELETE /v2/token_auth. */
@Module({
  imports: [KazooCoreModule],
  controllers: [KazooAuthController],
  providers: [KazooAuthService],
})
export class KazooAuthModule {}
