// Registers quickcall, channels and cdrs (one module): import only KazooQuickcallModule.
import { Module } from '@nestjs/common';
import { CdrsController } from '../cdrs/cdrs.controller';
import { CdrsService } from '../cdrs/cdrs.service';
import { ChannelsController } from '../channels/channels.controller';
import { PlatformStatsController } from '../stats/platform-stats.controller';
import { ChannelsService } from '../channels/channels.service';
import { KazooCoreModule } from '../core/kazoo-core.module';
import { readKazooQuickcallConfig } from './quickcall.config';
import { QuickcallMediaDefault } from './quickcall-media';
import { QuickcallController } from './quickcall.controller';
import { QuickcallService } from './quickcall.service';
import { KAZOO_QUICKCALL_CONFIG } from './quickcall.tokens';

/** Kazoo quickcall (seed 000), live channels and CDRs under /v2/accounts/{ACCOUNT_ID}. */
@Module({
  imports: [KazooCoreModule],
  controllers: [QuickcallController, ChannelsController, CdrsController, PlatformStatsController],
  providers: [
    { provide: KAZOO_QUICKCALL_CONFIG, useFactory: () => readKazooQuickcallConfig() },
    QuickcallService,
    QuickcallMediaDefault,
    ChannelsService,
    CdrsService,
  ],
})
export class KazooQuickcallModule {}
