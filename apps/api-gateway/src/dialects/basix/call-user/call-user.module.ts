import { Module } from '@nestjs/common';
import { BasixCoreModule } from '../core/basix-core.module';
import { CallbackNotifier } from './callback.notifier';
import { CallUserController } from './call-user.controller';
import { CallUserService } from './call-user.service';
import { LegsWatcher } from './legs.watcher';

/** `POST /basix/api/call_user` (seed 003). */
@Module({
  imports: [BasixCoreModule],
  controllers: [CallUserController],
  providers: [LegsWatcher, CallbackNotifier, CallUserService],
})
export class BasixCallUserModule {}
