import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { AppContext } from '@legwork/platform';
import { API_GATEWAY_CONTEXT } from '../../../api-gateway.context';
import type { ApiGatewayConfig } from '../../../api-gateway.config';
import { ensureMasterAccount, masterAccountBanner } from './master-account.bootstrap';

/** Where the one-time master banner goes (stdout in production). */
export const KAZOO_CONSOLE = Symbol('KAZOO_CONSOLE');
export type KazooConsole = (line: string) => void;

/** Ensures the master account before the gateway starts serving. */
@Injectable()
export class MasterAccountProvider implements OnApplicationBootstrap {
  constructor(
    @Inject(API_GATEWAY_CONTEXT) private readonly ctx: AppContext<ApiGatewayConfig>,
    @Inject(KAZOO_CONSOLE) private readonly print: KazooConsole,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { config, infra, logger } = this.ctx;
    const result = await ensureMasterAccount(infra.directory, { realm: config.MASTER_REALM, apiKey: config.LEGWORK_BOOTSTRAP_API_KEY }, logger);
    if (result.created) this.print(masterAccountBanner(result));
  }
}
