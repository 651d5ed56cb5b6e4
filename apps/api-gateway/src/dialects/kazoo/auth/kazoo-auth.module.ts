import { Module, type DynamicModule } from '@nestjs/common';
import { KazooAuthController } from './kazoo-auth.controller';
import { KazooAuthService } from './kazoo-auth.service';
import { KAZOO_CONSOLE, MasterAccountProvider, type KazooConsole } from './master-account.provider';

/** PUT /v2/api_auth, PUT /v2/user_auth and the master account bootstrap. */
@Module({})
export class KazooAuthModule {
  static forRoot(print: KazooConsole): DynamicModule {
    return {
      module: KazooAuthModule,
      controllers: [KazooAuthController],
      providers: [KazooAuthService, MasterAccountProvider, { provide: KAZOO_CONSOLE, useValue: print }],
    };
  }
}
