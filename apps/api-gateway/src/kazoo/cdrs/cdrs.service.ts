import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { createCdrStore, type CdrPage, type CdrStore } from '@legwork/cdr';
import { KazooError } from '../core/kazoo.contract';
import { GatewayInfra } from '../quickcall/gateway-infra.provider';
import type { KazooQuickcallConfig } from '../quickcall/quickcall.config';
import { KAZOO_QUICKCALL_CONFIG } from '../quickcall/quickcall.tokens';
import { CdrWriter } from './cdr.writer';
import { parseCdrQuery } from './cdr-query';

const DAY_MS = 86_400_000;

/** Owns the CDR store (Redis beside the call state, or in-process) and the writer feeding it. */
@Injectable()
export class CdrsService implements OnApplicationBootstrap, OnModuleDestroy {
  private cdrStore: CdrStore | undefined;
  private writer: CdrWriter | undefined;

  constructor(
    private readonly gw: GatewayInfra,
    @Inject(KAZOO_QUICKCALL_CONFIG) private readonly config: KazooQuickcallConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { REDIS_URL, REDIS_PREFIX } = this.gw.config;
    this.cdrStore = createCdrStore({ url: REDIS_URL, prefix: REDIS_PREFIX, retentionMs: Math.round(this.config.CDR_RETENTION_DAYS * DAY_MS), logger: this.gw.logger });
    this.writer = new CdrWriter({ bus: this.gw.infra.bus, store: this.cdrStore, logger: this.gw.logger });
    await this.writer.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.writer?.stop();
    await this.cdrStore?.close();
  }

  async list(accountId: string, query: Record<string, unknown>): Promise<CdrPage> {
    return this.store.list(accountId, parseCdrQuery(query));
  }

  async get(accountId: string, cdrId: string): Promise<Record<string, unknown>> {
    const cdr = await this.store.get(accountId, cdrId);
    if (cdr === null) throw KazooError.badIdentifier(cdrId);
    return cdr.doc;
  }

  private get store(): CdrStore {
    if (this.cdrStore === undefined) throw new Error('cdr store used before the app finished starting');
    return this.cdrStore;
  }
}
