import { newId, tryUserPattern } from '@legwork/common';
import type { z } from 'zod';
import { systemOf, type WriteOptions } from '../documents/document-writer';
import { mergePatch } from '../documents/merge-patch';
import { parseDocument } from '../documents/validation';
import { inboundAtRest, publicResource } from '../inbound/inbound-secrets';
import { sourceMatches } from '../inbound/inbound-sources';
import type { Account } from '../schemas/account.schema';
import type { SipHa1 } from '../schemas/device.schema';
import { type Resource, type StoredResource, resourceSchema } from '../schemas/resource.schema';
import { resourceCodec } from '../secrets/sealed-fields';
import { AccountDocuments, type RepoContext } from './repo-context';

/** An inbound carrier that authenticates by digest: the resource and its HA1s (realm: its account's). */
export interface InboundCredentials {
  resource: Resource;
  username: string;
  ha1: SipHa1;
}

export interface ResourceRepo {
  create(accountId: string, input: unknown): Promise<Resource>;
  get(accountId: string, resourceId: string): Promise<Resource>;
  find(accountId: string, resourceId: string): Promise<Resource | null>;
  list(accountId: string): Promise<Resource[]>;
  replace(accountId: string, resourceId: string, input: unknown, opts?: WriteOptions): Promise<Resource>;
  patch(accountId: string, resourceId: string, input: unknown, opts?: WriteOptions): Promise<Resource>;
  delete(accountId: string, resourceId: string): Promise<void>;
  /**
   * Enabled resources of the account, then the global ones of its master (tree root),
   * with a rule matching `number` (E.164) and every flag in `flags`; cheapest weight_cost first.
   */
  matchResource(accountId: string, number: string, flags?: string[]): Promise<Resource[]>;
  /** Enabled resources, platform-wide, that accept inbound calls from this peer address (one of their `inbound.sources`). */
  findInboundBySource(address: string): Promise<Resource[]>;
  /** Enabled inbound resources with digest credentials that may deliver calls to this account: its own, then its ancestors'. */
  findInboundCredentials(accountId: string): Promise<InboundCredentials[]>;
}

type ResourceFields = z.output<typeof resourceSchema>;

export class ResourceRepository implements ResourceRepo {
  readonly docs: AccountDocuments<StoredResource>;

  constructor(
    private readonly ctx: RepoContext,
    private readonly getAccount: (accountId: string) => Promise<Account>,
  ) {
    this.docs = new AccountDocuments<StoredResource>(ctx, 'resource', [], resourceCodec<StoredResource>(ctx.box));
  }

  async create(accountId: string, input: unknown): Promise<Resource> {
    const fields = parseDocument(resourceSchema, input);
    const account = await this.getAccount(accountId);
    const resource: StoredResource = { ...stored(fields, account.realm, undefined), account_id: accountId, ...this.ctx.writer.stamp(newId()) };
    await this.docs.insert(resource);
    await this.indexInbound(resource);
    return publicResource(resource);
  }

  async find(accountId: string, resourceId: string): Promise<Resource | null> {
    const doc = await this.docs.find(accountId, resourceId);
    return doc && publicResource(doc);
  }

  async get(accountId: string, resourceId: string): Promise<Resource> {
    return publicResource(await this.docs.get(accountId, resourceId));
  }

  async list(accountId: string): Promise<Resource[]> {
    await this.getAccount(accountId);
    return (await this.docs.list(accountId)).map(publicResource);
  }

  async replace(accountId: string, resourceId: string, input: unknown, opts?: WriteOptions): Promise<Resource> {
    const fields = parseDocument(resourceSchema, input);
    return this.write(accountId, resourceId, () => fields, opts);
  }

  async patch(accountId: string, resourceId: string, input: unknown, opts?: WriteOptions): Promise<Resource> {
    return this.write(accountId, resourceId, (current) => parseDocument(resourceSchema, mergePatch(publicResource(current), input)), opts);
  }

  async delete(accountId: string, resourceId: string): Promise<void> {
    await this.docs.remove(accountId, resourceId);
    await this.ctx.store.srem(this.ctx.keys.inboundResourceIndex, `${accountId}/${resourceId}`);
  }

  async matchResource(accountId: string, number: string, flags: string[] = []): Promise<Resource[]> {
    const account = await this.getAccount(accountId);
    const masterId = account.tree[0] ?? account.id;
    const local = await this.docs.list(account.id);
    const global = masterId === account.id ? [] : await this.docs.list(masterId);
    const candidates = [...local.map((r) => ({ r, order: 0 })), ...global.map((r) => ({ r, order: 1 }))];
    return candidates
      .filter(({ r }) => r.enabled && flags.every((f) => r.flags.includes(f)) && r.rules.some((rule) => tryUserPattern(rule)?.test(number) === true))
      .sort((a, b) => a.r.weight_cost - b.r.weight_cost || a.order - b.order || a.r.name.localeCompare(b.r.name))
      .map(({ r }) => publicResource(r));
  }

  async findInboundBySource(address: string): Promise<Resource[]> {
    const entries = await this.ctx.store.smembers(this.ctx.keys.inboundResourceIndex);
    const docs = await Promise.all(entries.map((entry) => this.inboundDoc(entry)));
    return docs.filter((r): r is StoredResource => r !== null && sourceMatches(r.inbound?.sources ?? [], address)).map(publicResource);
  }

  async findInboundCredentials(accountId: string): Promise<InboundCredentials[]> {
    const account = await this.getAccount(accountId);
    const out: InboundCredentials[] = [];
    for (const id of [account.id, ...[...account.tree].reverse()]) {
      for (const r of await this.docs.list(id)) {
        const username = r.inbound?.credentials?.username;
        if (r.enabled && r.inbound?.enabled === true && username !== undefined && r.pvt_inbound_ha1 !== undefined) out.push({ resource: publicResource(r), username, ha1: r.pvt_inbound_ha1 });
      }
    }
    return out;
  }

  async purge(accountId: string): Promise<void> {
    const removed = await this.docs.purge(accountId);
    for (const r of removed) await this.ctx.store.srem(this.ctx.keys.inboundResourceIndex, `${accountId}/${r.id}`);
  }

  /** An indexed inbound resource that is enabled with inbound on; stale index entries read as null. */
  private async inboundDoc(entry: string): Promise<StoredResource | null> {
    const [accountId = '', id = ''] = entry.split('/');
    const doc = await this.docs.find(accountId, id).catch(() => null);
    return doc !== null && doc.enabled && doc.inbound?.enabled === true ? doc : null;
  }

  private async indexInbound(r: StoredResource): Promise<void> {
    const key = this.ctx.keys.inboundResourceIndex;
    const entry = `${r.account_id}/${r.id}`;
    if (r.inbound?.enabled === true) await this.ctx.store.sadd(key, entry);
    else await this.ctx.store.srem(key, entry);
  }

  private async write(accountId: string, resourceId: string, build: (current: StoredResource) => ResourceFields, opts?: WriteOptions): Promise<Resource> {
    const account = await this.getAccount(accountId);
    const { next } = await this.docs.update(accountId, resourceId, (current) => ({ ...stored(build(current), account.realm, current), account_id: accountId, ...systemOf(current) }), opts);
    await this.indexInbound(next);
    return publicResource(next);
  }
}

/** The body at rest: the inbound password replaced by its HA1s. */
function stored(fields: ResourceFields, realm: string, current: StoredResource | undefined): Omit<StoredResource, 'account_id' | 'id' | 'created' | 'modified' | 'revision'> {
  const { inbound, ...rest } = fields;
  const atRest = inboundAtRest(inbound, realm, current);
  return { ...rest, ...(atRest.inbound !== undefined ? { inbound: atRest.inbound } : {}), ...(atRest.ha1 !== undefined ? { pvt_inbound_ha1: atRest.ha1 } : {}) };
}
