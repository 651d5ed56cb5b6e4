import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Directory } from '@legwork/directory';
import type { AppLogger } from '@legwork/platform';
import type { ApiGatewayConfig } from '../api-gateway.config';
import { APP_CONFIG, APP_LOGGER, DIRECTORY } from './infra.tokens';
import { ensureMasterAccount, masterAccountBanner } from './master-account.bootstrap';

/** Where the one-time master banner goes (stdout in production). */
export const OPERATOR_CONSOLE = Symbol('OPERATOR_CONSOLE');
export type OperatorConsole = (line: string) => void;

/** Ensures the master account before the gateway starts serving. */
@Injectable()
export class MasterAccountProvider implements OnApplicationBootstrap {
  constructor(
    @Inject(DIRECTORY) private readonly directory: Directory,
    @Inject(APP_CONFIG) private readonly config: ApiGatewayConfig,
    @Inject(APP_LOGGER) private readonly logger: AppLogger,
    @Inject(OPERATOR_CONSOLE) private readonly print: OperatorConsole,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const result = await ensureMasterAccount(this.directory, { realm: this.config.MASTER_REALM, apiKey: this.config.LEGWORK_BOOTSTRAP_API_KEY }, this.logger);
    if (result.created) this.print(masterAccountBanner(result));
  }
}
