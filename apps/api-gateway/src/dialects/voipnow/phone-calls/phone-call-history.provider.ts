import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { createCdrStore, type CdrStore } from '@legwork/cdr';
import type { AppContext } from '@legwork/platform';
import { API_GATEWAY_CONTEXT } from '../../../api-gateway.context';
import type { ApiGatewayConfig } from '../../../api-gateway.config';
import { VOIPNOW_CONFIG, type VoipnowConfig } from '../core/voipnow.config';

const DAY_MS = 86_400_000;

/** Reads the CDRs of ended legs (the gateway's CDR writer fills the store), for link.self after call-state let go. */
@Injectable()
export class PhoneCallHistory implements OnModuleDestroy {
  private store: CdrStore | undefined;

  constructor(
    @Inject(API_GATEWAY_CONTEXT) private readonly ctx: AppContext<ApiGatewayConfig>,
    @Inject(VOIPNOW_CONFIG) private readonly config: VoipnowConfig,
  ) {}

  async get(accountId: string, callId: string): Promise<Record<string, unknown> | null> {
    this.store ??= createCdrStore({
      url: this.ctx.config.REDIS_URL, prefix: this.ctx.config.REDIS_PREFIX, retentionMs: Math.round(this.config.CDR_RETENTION_DAYS * DAY_MS), logger: this.ctx.logger,
    });
    return (await this.store.get(accountId, callId))?.doc ?? null;
  }

  async onModuleDestroy(): Promise<void> {
    await this.store?.close();
  }
}
