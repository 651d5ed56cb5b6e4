import { Inject, Injectable } from '@nestjs/common';
import type { CdrPage, CdrStore } from '@legwork/cdr';
import { owns, type Scope } from '@legwork/directory';
import { CDR_STORE } from '../../../core/infra.tokens';
import { KazooError } from '../core/kazoo.contract';
import { cdrOwnership } from '../core/kazoo-ownership';
import { parseCdrQuery } from './cdr-query';

/** Store pages read at most per listing for a plain user, whose own CDRs may be sparse among the account's. */
const MAX_SCANNED_PAGES = 10;

/** Kazoo's view of the CDRs the gateway core writes: listings scoped by the grant, unknown ids as 404 `bad identifier`. */
@Injectable()
export class CdrsService {
  constructor(@Inject(CDR_STORE) private readonly store: CdrStore) {}

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
}
