import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CdrWriterProvider } from './cdr-writer.provider';
import { PlatformStatsProvider } from './platform-stats/platform-stats.provider';
import { MasterAccountProvider, OPERATOR_CONSOLE, type OperatorConsole } from './master-account.provider';
import { RouteOwnerGuard } from './route-owner.guard';

/** What the gateway does whichever dialects it serves: the master account, the CDR writer, the platform's stats, unclaimed routes refused. */
@Module({})
export class GatewayCoreModule {
  static forRoot(print: OperatorConsole): DynamicModule {
    return {
      module: GatewayCoreModule,
      providers: [
        { provide: OPERATOR_CONSOLE, useValue: print },
        { provide: APP_GUARD, useClass: RouteOwnerGuard },
        MasterAccountProvider,
        CdrWriterProvider,
        PlatformStatsProvider,
      ],
      // the dialects read the platform's picture from here
      global: true,
      exports: [PlatformStatsProvider],
    };
  }
}
