import { newId } from '@legwork/common';
import type { z } from 'zod';
import { DirectoryError } from '../directory.error';
import { systemOf, type WriteOptions } from '../documents/document-writer';
import { mergePatch } from '../documents/merge-patch';
import { parseDocument } from '../documents/validation';
import { didsUnique, extensionUnique, labelUnique } from '../numbering/numbering-indexes';
import { withE164Numbers } from '../numbering/number-fields';
import type { Account } from '../schemas/account.schema';
import { type Group, type GroupType, groupSchema } from '../schemas/group.schema';
import { GroupLookups } from './group-lookups';
import { AccountDocuments, type DocumentCodec, type RepoContext } from './repo-context';

export interface GroupRepo {
  /** Every endpoint must be an existing user or device of the account. */
  create(accountId: string, input: unknown): Promise<Group>;
  get(accountId: string, groupId: string): Promise<Group>;
  find(accountId: string, groupId: string): Promise<Group | null>;
  list(accountId: string): Promise<Group[]>;
  /** Kazoo POST: the whole document is replaced. */
  replace(accountId: string, groupId: string, input: unknown, opts?: WriteOptions): Promise<Group>;
  /** Kazoo PATCH: JSON merge patch onto the stored document. */
  patch(accountId: string, groupId: string, input: unknown, opts?: WriteOptions): Promise<Group>;
  delete(accountId: string, groupId: string): Promise<void>;
  /** A short extension (digits) of this account; null for another kind's extension or a malformed one. */
  findByExtension(accountId: string, extension: string): Promise<Group | null>;
  /** A DID of this account's group, written as E.164 or national in the account's country. */
  findByDid(accountId: string, number: string): Promise<Group | null>;
  /** Case-insensitive; labels are unique among the account's groups. */
  findByLabel(accountId: string, label: string): Promise<Group | null>;
  /** The one group of this name (case-insensitive); null when none or several. */
  findByName(accountId: string, name: string): Promise<Group | null>;
  /** The groups a user belongs to, itself or through a device it owns, oldest first; `type` narrows them (call centers). */
  listForUser(accountId: string, userId: string, opts?: { type?: GroupType }): Promise<Group[]>;
}

type GroupFields = z.output<typeof groupSchema>;

/** Groups stored before they had a type read as the ring groups they were. */
const TYPED: DocumentCodec<Group> = { seal: (g) => g, open: (g) => (g.type === undefined ? { ...g, type: 'ring_group' } : g), needsReseal: () => false };
export type EndpointExists = (accountId: string, type: 'user' | 'device', id: string) => Promise<boolean>;

export class GroupRepository implements GroupRepo {
  readonly docs: AccountDocuments<Group>;
  private readonly lookups: GroupLookups;

  constructor(
    private readonly ctx: RepoContext,
    private readonly getAccount: (accountId: string) => Promise<Account>,
    private readonly endpointExists: EndpointExists,
    ownedDeviceIds: (accountId: string, userId: string) => Promise<string[]> = async () => [],
  ) {
    this.docs = new AccountDocuments<Group>(ctx, 'group', [extensionUnique(ctx, 'group'), labelUnique(ctx, 'group'), didsUnique(ctx, 'group')], TYPED);
    this.lookups = new GroupLookups(ctx, this.docs, getAccount, ownedDeviceIds);
  }

  async create(accountId: string, input: unknown): Promise<Group> {
    const parsed = parseDocument(groupSchema, input);
    const fields = withE164Numbers(parsed, await this.getAccount(accountId));
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
    await this.getAccount(accountId);
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

  findByExtension(accountId: string, extension: string): Promise<Group | null> {
    return this.lookups.byExtension(accountId, extension);
  }

  findByDid(accountId: string, number: string): Promise<Group | null> {
    return this.lookups.byDid(accountId, number);
  }

  findByLabel(accountId: string, label: string): Promise<Group | null> {
    return this.lookups.byLabel(accountId, label);
  }

  async findByName(accountId: string, name: string): Promise<Group | null> {
    const all = await this.lookups.allByName(accountId, name);
    return all.length === 1 ? (all[0] ?? null) : null;
  }

  listForUser(accountId: string, userId: string, opts: { type?: GroupType } = {}): Promise<Group[]> {
    return this.lookups.forUser(accountId, userId, opts.type);
  }

  /** Drops a deleted user or device from every group of the account, as a member and as an admin. */
  async removeEndpoint(accountId: string, endpointId: string): Promise<void> {
    for (const group of await this.docs.list(accountId)) {
      if (!(endpointId in group.endpoints) && !(group.admins ?? []).includes(endpointId)) continue;
      await this.docs.update(accountId, group.id, (current) => {
        const { [endpointId]: _gone, ...endpoints } = current.endpoints;
        const admins = current.admins?.filter((id) => id !== endpointId);
        return { ...current, endpoints, ...(admins !== undefined ? { admins } : {}) };
      });
    }
  }

  async purge(accountId: string): Promise<void> {
    await this.docs.purge(accountId, [this.ctx.keys.labelIndex(accountId, 'group')]);
  }

  private async write(accountId: string, groupId: string, build: (current: Group) => GroupFields, opts?: WriteOptions): Promise<Group> {
    const account = await this.getAccount(accountId);
    const { next } = await this.docs.update(
      accountId,
      groupId,
      async (current) => {
        const fields = withE164Numbers(build(current), account);
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
    for (const [i, id] of (fields.admins ?? []).entries()) {
      if (!(await this.endpointExists(accountId, 'user', id))) throw DirectoryError.invalidField(`admins.${i}`, 'exists', `user ${id} does not exist in this account`);
    }
  }
}
