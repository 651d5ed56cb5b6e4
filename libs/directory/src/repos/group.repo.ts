import { newId } from '@legwork/common';
import type { z } from 'zod';
import { DirectoryError } from '../directory.error';
import { systemOf, type WriteOptions } from '../documents/document-writer';
import { mergePatch } from '../documents/merge-patch';
import { parseDocument } from '../documents/validation';
import { type Group, groupSchema } from '../schemas/group.schema';
import { AccountDocuments, type RepoContext } from './repo-context';

export interface GroupRepo {
  /** Every endpoint must be an existing user or device of the account. */
  create(accountId: string, input: unknown): Promise<Group>;
  get(accountId: string, groupId: string): Promise<Group>;
  find(accountId: string, groupId: string): Promise<Group | null>;
  list(accountId: string): Promise<Group[]>;
  replace(accountId: string, groupId: string, input: unknown, opts?: WriteOptions): Promise<Group>;
  patch(accountId: string, groupId: string, input: unknown, opts?: WriteOptions): Promise<Group>;
  delete(accountId: string, groupId: string): Promise<void>;
}

type GroupFields = z.output<typeof groupSchema>;
export type EndpointExists = (accountId: string, type: 'user' | 'device', id: string) => Promise<boolean>;

export class GroupRepository implements GroupRepo {
  readonly docs: AccountDocuments<Group>;

  constructor(
    private readonly ctx: RepoContext,
    private readonly requireAccount: (accountId: string) => Promise<unknown>,
    private readonly endpointExists: EndpointExists,
  ) {
    this.docs = new AccountDocuments<Group>(ctx, 'group');
  }

  async create(accountId: string, input: unknown): Promise<Group> {
    const fields = parseDocument(groupSchema, input);
    await this.requireAccount(accountId);
    await this.checkEndpoints(accountId, fields);
    const group: Group = { ...fields, account_id: accountId, ...this.ctx.writer.stamp(newId()) };
    await this.docs.insert(group);
    return group;
  }

  find(accountId: string, groupId: string): Promise<Group | null> {
    return this.docs.find(accountId, groupId);
  }

  get(accountId: string, groupId: string): Promise<Group> {
    return this.docs.get(accountId, groupId);
  }

  async list(accountId: string): Promise<Group[]> {
    await this.requireAccount(accountId);
    return this.docs.list(accountId);
  }

  async replace(accountId: string, groupId: string, input: unknown, opts?: WriteOptions): Promise<Group> {
    const fields = parseDocument(groupSchema, input);
    return this.write(accountId, groupId, () => fields, opts);
  }

  async patch(accountId: string, groupId: string, input: unknown, opts?: WriteOptions): Promise<Group> {
    return this.write(accountId, groupId, (current) => parseDocument(groupSchema, mergePatch(current, input)), opts);
  }

  async delete(accountId: string, groupId: string): Promise<void> {
    await this.docs.remove(accountId, groupId);
  }

  /** Drops a deleted user or device from every group of the account. */
  async removeEndpoint(accountId: string, endpointId: string): Promise<void> {
    for (const group of await this.docs.list(accountId)) {
      if (!(endpointId in group.endpoints)) continue;
      await this.docs.update(accountId, group.id, (current) => {
        const { [endpointId]: _gone, ...endpoints } = current.endpoints;
        return { ...current, endpoints };
      });
    }
  }

  async purge(accountId: string): Promise<void> {
    await this.docs.purge(accountId);
  }

  private async write(accountId: string, groupId: string, build: (current: Group) => GroupFields, opts?: WriteOptions): Promise<Group> {
    const { next } = await this.docs.update(
      accountId,
      groupId,
      async (current) => {
        const fields = build(current);
        await this.checkEndpoints(accountId, fields);
        return { ...fields, account_id: accountId, ...systemOf(current) };
      },
      opts,
    );
    return next;
  }

  private async checkEndpoints(accountId: string, fields: GroupFields): Promise<void> {
    for (const [id, endpoint] of Object.entries(fields.endpoints)) {
      if (!(await this.endpointExists(accountId, endpoint.type, id))) {
        throw DirectoryError.invalidField(`endpoints.${id}`, 'exists', `${endpoint.type} ${id} does not exist in this account`);
      }
    }
  }
}
