import { newId } from '@legwork/common';
import type { z } from 'zod';
import { DirectoryError } from '../directory.error';
import { systemOf, type WriteOptions } from '../documents/document-writer';
import { mergePatch } from '../documents/merge-patch';
import { parseDocument } from '../documents/validation';
import type { Account } from '../schemas/account.schema';
import { type Device, deviceSchema } from '../schemas/device.schema';
import { AccountDocuments, type RepoContext } from './repo-context';

export interface DeviceRepo {
  /** `sip.realm` is always the account realm (another is invalid) and is stored explicitly. */
  create(accountId: string, input: unknown): Promise<Device>;
  get(accountId: string, deviceId: string): Promise<Device>;
  find(accountId: string, deviceId: string): Promise<Device | null>;
  list(accountId: string): Promise<Device[]>;
  listByOwner(accountId: string, userId: string): Promise<Device[]>;
  /** The device a registrar authenticates: SIP username (case-sensitive) at realm (case-insensitive). */
  findBySip(username: string, realm: string): Promise<Device | null>;
  replace(accountId: string, deviceId: string, input: unknown, opts?: WriteOptions): Promise<Device>;
  patch(accountId: string, deviceId: string, input: unknown, opts?: WriteOptions): Promise<Device>;
  delete(accountId: string, deviceId: string): Promise<void>;
}

type DeviceFields = z.output<typeof deviceSchema>;

export class DeviceRepository implements DeviceRepo {
  readonly docs: AccountDocuments<Device>;

  constructor(
    private readonly ctx: RepoContext,
    private readonly getAccount: (accountId: string) => Promise<Account>,
    private readonly userExists: (accountId: string, userId: string) => Promise<boolean>,
    private readonly onDeleted: (accountId: string, deviceId: string) => Promise<void>,
  ) {
    this.docs = new AccountDocuments<Device>(ctx, 'device', [
      { field: 'sip.username', hashKey: () => ctx.keys.sipIndex, value: (d) => sipAddress(d.sip.username, d.sip.realm), owner: (d) => `${d.account_id}/${d.id}` },
    ]);
  }

  async create(accountId: string, input: unknown): Promise<Device> {
    const fields = parseDocument(deviceSchema, input);
    const account = await this.getAccount(accountId);
    await this.checkOwner(accountId, fields);
    const device: Device = { ...fields, sip: { ...fields.sip, realm: ownRealm(fields, account) }, account_id: accountId, ...this.ctx.writer.stamp(newId()) };
    await this.docs.insert(device);
    await this.indexOwner(undefined, device);
    return device;
  }

  find(accountId: string, deviceId: string): Promise<Device | null> {
    return this.docs.find(accountId, deviceId);
  }

  get(accountId: string, deviceId: string): Promise<Device> {
    return this.docs.get(accountId, deviceId);
  }

  async list(accountId: string): Promise<Device[]> {
    await this.getAccount(accountId);
    return this.docs.list(accountId);
  }

  async listByOwner(accountId: string, userId: string): Promise<Device[]> {
    const ids = await this.ctx.store.smembers(this.ctx.keys.ownerIndex(accountId, userId));
    const devices = await this.docs.getMany(accountId, ids);
    // The index may briefly lag a write; the documents are the truth.
    return devices.filter((d) => d.owner_id === userId).sort((a, b) => a.created - b.created || a.id.localeCompare(b.id));
  }

  async findBySip(username: string, realm: string): Promise<Device | null> {
    const owner = await this.ctx.store.hget(this.ctx.keys.sipIndex, sipAddress(username, realm));
    if (owner === null) return null;
    const [accountId = '', deviceId = ''] = owner.split('/');
    return this.docs.find(accountId, deviceId);
  }

  async replace(accountId: string, deviceId: string, input: unknown, opts?: WriteOptions): Promise<Device> {
    const fields = parseDocument(deviceSchema, input);
    return this.write(accountId, deviceId, () => fields, opts);
  }

  async patch(accountId: string, deviceId: string, input: unknown, opts?: WriteOptions): Promise<Device> {
    return this.write(accountId, deviceId, (current) => parseDocument(deviceSchema, mergePatch(current, input)), opts);
  }

  async delete(accountId: string, deviceId: string): Promise<void> {
    const device = await this.docs.remove(accountId, deviceId);
    await this.indexOwner(device, undefined);
    await this.onDeleted(accountId, deviceId);
  }

  /** Leaves the user's devices in place, unowned (called when the user is deleted). */
  async clearOwner(accountId: string, userId: string): Promise<void> {
    for (const device of await this.listByOwner(accountId, userId)) {
      await this.write(accountId, device.id, (current) => parseDocument(deviceSchema, { ...current, owner_id: undefined }));
    }
    await this.ctx.store.del([this.ctx.keys.ownerIndex(accountId, userId)]);
  }

  async purge(accountId: string): Promise<void> {
    const removed = await this.docs.purge(accountId);
    const owners = new Set(removed.map((d) => d.owner_id).filter((o): o is string => o !== undefined));
    await this.ctx.store.del([...owners].map((o) => this.ctx.keys.ownerIndex(accountId, o)));
  }

  private async write(accountId: string, deviceId: string, build: (current: Device) => DeviceFields, opts?: WriteOptions): Promise<Device> {
    const account = await this.getAccount(accountId);
    const { prev, next } = await this.docs.update(
      accountId,
      deviceId,
      async (current) => {
        const fields = build(current);
        await this.checkOwner(accountId, fields);
        return { ...fields, sip: { ...fields.sip, realm: ownRealm(fields, account) }, account_id: accountId, ...systemOf(current) };
      },
      opts,
    );
    await this.indexOwner(prev, next);
    return next;
  }

  private async checkOwner(accountId: string, fields: DeviceFields): Promise<void> {
    if (fields.owner_id !== undefined && !(await this.userExists(accountId, fields.owner_id))) {
      throw DirectoryError.invalidField('owner_id', 'exists', `user ${fields.owner_id} does not exist in this account`);
    }
  }

  private async indexOwner(prev: Device | undefined, next: Device | undefined): Promise<void> {
    if (prev?.owner_id === next?.owner_id) return;
    if (prev?.owner_id) await this.ctx.store.srem(this.ctx.keys.ownerIndex(prev.account_id, prev.owner_id), prev.id);
    if (next?.owner_id) await this.ctx.store.sadd(this.ctx.keys.ownerIndex(next.account_id, next.owner_id), next.id);
  }
}

/**
 * A device registers in its own account's realm, never another's: SIP usernames are unique per realm,
 * so a clash (and what it tells) only ever involves the account's own devices.
 */
function ownRealm(fields: DeviceFields, account: Account): string {
  if (fields.sip.realm !== undefined && fields.sip.realm !== account.realm) throw DirectoryError.invalidField('sip.realm', 'enum', "must be the account's own realm (or left out)");
  return account.realm;
}

function sipAddress(username: string, realm: string): string {
  return `${username}@${realm.trim().toLowerCase()}`;
}
