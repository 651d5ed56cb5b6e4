import { newId, tryUserPattern } from '@legwork/common';
import type { z } from 'zod';
import { systemOf, type WriteOptions } from '../documents/document-writer';
import { mergePatch } from '../documents/merge-patch';
import { parseDocument } from '../documents/validation';
import type { Account } from '../schemas/account.schema';
import { type Resource, resourceSchema } from '../schemas/resource.schema';
import { resourceCodec } from '../secrets/sealed-fields';
import { AccountDocuments, type RepoContext } from './repo-context';

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
}

type ResourceFields = z.output<typeof resourceSchema>;

export class ResourceRepository implements ResourceRepo {
  readonly docs: AccountDocuments<Resource>;

  constructor(
    private readonly ctx: RepoContext,
    private readonly getAccount: (accountId: string) => Promise<Account>,
  ) {
    this.docs = new AccountDocuments<Resource>(ctx, 'resource', [], resourceCodec(ctx.box));
  }

  async create(accountId: string, input: unknown): Promise<Resource> {
    const fields = parseDocument(resourceSchema, input);
    await this.getAccount(accountId);
    const resource: Resource = { ...fields, account_id: accountId, ...this.ctx.writer.stamp(newId()) };
    await this.docs.insert(resource);
    return resource;
  }

  find(accountId: string, resourceId: string): Promise<Resource | null> {
    return this.docs.find(accountId, resourceId);
  }

  get(accountId: string, resourceId: string): Promise<Resource> {
    return this.docs.get(accountId, resourceId);
  }

  async list(accountId: string): Promise<Resource[]> {
    await this.getAccount(accountId);
    return this.docs.list(accountId);
  }

  async replace(accountId: string, resourceId: string, input: unknown, opts?: WriteOptions): Promise<Resource> {
    const fields = parseDocument(resourceSchema, input);
    return this.write(accountId, resourceId, () => fields, opts);
  }

  async patch(accountId: string, resourceId: string, input: unknown, opts?: WriteOptions): Promise<Resource> {
    return this.write(accountId, resourceId, (current) => parseDocument(resourceSchema, mergePatch(current, input)), opts);
  }

  async delete(accountId: string, resourceId: string): Promise<void> {
    await this.docs.remove(accountId, resourceId);
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
      .map(({ r }) => r);
  }

  async purge(accountId: string): Promise<void> {
    await this.docs.purge(accountId);
  }

  private async write(accountId: string, resourceId: string, build: (current: Resource) => ResourceFields, opts?: WriteOptions): Promise<Resource> {
    const { next } = await this.docs.update(accountId, resourceId, (current) => ({ ...build(current), account_id: accountId, ...systemOf(current) }), opts);
    return next;
  }
}
