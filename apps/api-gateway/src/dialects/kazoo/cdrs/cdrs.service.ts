import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { createCdrStore, type CdrPage, type CdrStore } from '@legwork/cdr';
import { owns, type Scope } from '@legwork/directory';
import { KazooError } from '../core/kazoo.contract';
import { cdrOwnership } from '../core/kazoo-ownership';
import { GatewayInfra } from '../quickcall/gateway-infra.provider';
import type { KazooQuickcallConfig } from '../quickcall/quickcall.config';
import { KAZOO_QUICKCALL_CONFIG } from '../quickcall/quickcall.tokens';
import { CdrWriter } from './cdr.writer';
import { parseCdrQuery } from './cdr-query';

const DAY_MS = 86_400_000;
/** Store pages read at most per listing for a plain user, whose own CDRs may be sparse among the account's. */
const MAX_SCANNED_PAGES = 10;

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

  /** The account's CDRs; a plain user's scope keeps its own, reading a bounded number of store pages. */
  async list(accountId: string, query: Record<string, unknown>, scope: Scope): Promise<CdrPage> {
    const parsed = parseCdrQuery(query);
    if (scope.all) return this.store.list(accountId, parsed);
    const items: CdrPage['items'] = [];
    let page: CdrPage = { items: [], nextStartKey: parsed.startKey };
    for (let i = 0; i < MAX_SCANNED_PAGES && items.length < parsed.pageSize; i++) {
      page = await this.store.list(accountId, { ...parsed, ...(page.nextStartKey !== undefined ? { startKey: page.nextStartKey } : {}) });
      items.push(...page.items.filter((c) => owns(scope, cdrOwnership(c.doc))));
      if (page.nextStartKey === undefined) break;
    }
    return { items, ...(page.nextStartKey !== undefined ? { nextStartKey: page.nextStartKey } : {}) };
  }

  async get(accountId: string, cdrId: string): Promise<Record<string, unknown>> {
    const doc = await this.find(accountId, cdrId);
    if (doc === null) throw KazooError.badIdentifier(cdrId);
    return doc;
  }

  async find(accountId: string, cdrId: string): Promise<Record<string, unknown> | null> {
    return (await this.store.get(accountId, cdrId))?.doc ?? null;
  }

  private get store(): CdrStore {
    if (this.cdrStore === undefined) throw new Error('cdr store used before the app finished starting');
    return this.cdrStore;
  }
}
