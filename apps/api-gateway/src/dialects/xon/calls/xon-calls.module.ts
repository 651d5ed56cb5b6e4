import { Module } from '@nestjs/common';
import { XonCoreModule } from '../core/xon-core.module';
import { XonCallsController } from './calls.controller';
import { XonCallsService } from './calls.service';

/** `GET /v1/callable-devices`, `POST /v1/call`, `/v1/update-call`, `/v1/cancel-call` (seed 002). */
@Module({
  imports: [XonCoreModule],
  controllers: [XonCallsController],
  providers: [XonCallsService],
})
export class XonCallsModule {}
