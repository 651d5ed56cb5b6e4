import { newId } from '@legwork/common';
import type { z } from 'zod';
import { DirectoryError } from '../directory.error';
import { systemOf, type WriteOptions } from '../documents/document-writer';
import { mergePatch } from '../documents/merge-patch';
import { parseDocument } from '../documents/validation';
import type { Account } from '../schemas/account.schema';
import { sha256Hex } from '../credentials/hashing';
import { extensionUnique, parseExtensionOwner, pushIdUnique } from '../numbering/numbering-indexes';
import { type Device, type SipHa1, type StoredDevice, deviceSchema } from '../schemas/device.schema';
import { EXTENSION_PATTERN } from '../schemas/numbering.schema';
import { nextHa1, publicDevice, storedHa1 } from './device-secrets';
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
  /** The same device with its digest HA1s, for the registrar alone; null when no device has this SIP identity. */
  findSipCredentials(username: string, realm: string): Promise<{ device: Device; ha1: SipHa1 } | null>;
  /** A short extension (digits) of this account; null for another kind's extension or a malformed one. */
  findByExtension(accountId: string, extension: string): Promise<Device | null>;
  /** The device whose `push.prid` this is (push-call APIs address devices by it); unique per account. */
  findByPushId(accountId: string, prid: string): Promise<Device | null>;
  replace(accountId: string, deviceId: string, input: unknown, opts?: WriteOptions): Promise<Device>;
  patch(accountId: string, deviceId: string, input: unknown, opts?: WriteOptions): Promise<Device>;
  delete(accountId: string, deviceId: string): Promise<void>;
}

type DeviceFields = z.output<typeof deviceSchema>;

export class DeviceRepository implements DeviceRepo {
  readonly docs: AccountDocuments<StoredDevice>;

  constructor(
    private readonly ctx: RepoContext,
    private readonly getAccount: (accountId: string) => Promise<Account>,
    private readonly userExists: (accountId: string, userId: string) => Promise<boolean>,
    private readonly onDeleted: (accountId: string, deviceId: string) => Promise<void>,
  ) {
    this.docs = new AccountDocuments<StoredDevice>(ctx, 'device', [
      { field: 'sip.username', hashKey: () => ctx.keys.sipIndex, value: (d) => sipAddress(d.sip.username, d.sip.realm), owner: (d) => `${d.account_id}/${d.id}` },
      extensionUnique(ctx, 'device'),
      pushIdUnique(ctx),
    ]);
  }

  async create(accountId: string, input: unknown): Promise<Device> {
    const fields = parseDocument(deviceSchema, input);
    const account = await this.getAccount(accountId);
    await this.checkOwner(accountId, fields);
    const device: StoredDevice = { ...stored(fields, ownRealm(fields, account), undefined), account_id: accountId, ...this.ctx.writer.stamp(newId()) };
    await this.docs.insert(device);
    await this.indexOwner(undefined, device);
    return publicDevice(device);
  }

  async find(accountId: string, deviceId: string): Promise<Device | null> {
    const device = await this.docs.find(accountId, deviceId);
    return device && publicDevice(device);
  }

  async get(accountId: string, deviceId: string): Promise<Device> {
    return publicDevice(await this.docs.get(accountId, deviceId));
  }

  async list(accountId: string): Promise<Device[]> {
    await this.getAccount(accountId);
    return (await this.docs.list(accountId)).map(publicDevice);
  }

  async listByOwner(accountId: string, userId: string): Promise<Device[]> {
    const ids = await this.ctx.store.smembers(this.ctx.keys.ownerIndex(accountId, userId));
    const devices = await this.docs.getMany(accountId, ids);
    // The index may briefly lag a write; the documents are the truth.
    return devices
      .filter((d) => d.owner_id === userId)
      .sort((a, b) => a.created - b.created || a.id.localeCompare(b.id))
      .map(publicDevice);
  }

  async findBySip(username: string, realm: string): Promise<Device | null> {
    const device = await this.storedBySip(username, realm);
    return device && publicDevice(device);
  }

  async findSipCredentials(username: string, realm: string): Promise<{ device: Device; ha1: SipHa1 } | null> {
    const device = await this.storedBySip(username, realm);
    const ha1 = device === null ? undefined : storedHa1(device);
    return device === null || ha1 === undefined ? null : { device: publicDevice(device), ha1 };
  }

  async findByExtension(accountId: string, extension: string): Promise<Device | null> {
    const wanted = typeof extension === 'string' ? extension.trim() : '';
    if (!EXTENSION_PATTERN.test(wanted)) return null;
    const owner = parseExtensionOwner(await this.ctx.store.hget(this.ctx.keys.extensionIndex(accountId), wanted));
    const device = owner?.kind === 'device' ? await this.docs.find(accountId, owner.id) : null;
    return device?.extension === wanted ? publicDevice(device) : null;
  }

  async findByPushId(accountId: string, prid: string): Promise<Device | null> {
    if (typeof prid !== 'string' || prid.length === 0 || prid.length > 4096) return null;
    const id = await this.ctx.store.hget(this.ctx.keys.pushIndex(accountId), sha256Hex(prid));
    const device = id === null ? null : await this.docs.find(accountId, id);
    return device?.push?.prid === prid ? publicDevice(device) : null;
  }

  async replace(accountId: string, deviceId: string, input: unknown, opts?: WriteOptions): Promise<Device> {
    const fields = parseDocument(deviceSchema, input);
    return this.write(accountId, deviceId, () => fields, opts);
  }

  async patch(accountId: string, deviceId: string, input: unknown, opts?: WriteOptions): Promise<Device> {
    return this.write(accountId, deviceId, (current) => parseDocument(deviceSchema, mergePatch(publicDevice(current), input)), opts);
  }

  async delete(accountId: string, deviceId: string): Promise<void> {
    const device = await this.docs.remove(accountId, deviceId);
    await this.indexOwner(device, undefined);
    await this.onDeleted(accountId, deviceId);
  }

  /** Leaves the user's devices in place, unowned (called when the user is deleted). */
  async clearOwner(accountId: string, userId: string): Promise<void> {
    for (const device of await this.listByOwner(accountId, userId)) {
      await this.write(accountId, device.id, (current) => parseDocument(deviceSchema, { ...publicDevice(current), owner_id: undefined }));
    }
    await this.ctx.store.del([this.ctx.keys.ownerIndex(accountId, userId)]);
  }

  async purge(accountId: string): Promise<void> {
    const removed = await this.docs.purge(accountId, [this.ctx.keys.pushIndex(accountId)]);
    const owners = new Set(removed.map((d) => d.owner_id).filter((o): o is string => o !== undefined));
    await this.ctx.store.del([...owners].map((o) => this.ctx.keys.ownerIndex(accountId, o)));
  }

  private async storedBySip(username: string, realm: string): Promise<StoredDevice | null> {
    const owner = await this.ctx.store.hget(this.ctx.keys.sipIndex, sipAddress(username, realm));
    if (owner === null) return null;
    const [accountId = '', deviceId = ''] = owner.split('/');
    return this.docs.find(accountId, deviceId);
  }

  private async write(accountId: string, deviceId: string, build: (current: StoredDevice) => DeviceFields, opts?: WriteOptions): Promise<Device> {
    const account = await this.getAccount(accountId);
    const { prev, next } = await this.docs.update(
      accountId,
      deviceId,
      async (current) => {
        const fields = build(current);
        await this.checkOwner(accountId, fields);
        return { ...stored(fields, ownRealm(fields, account), current), account_id: accountId, ...systemOf(current) };
      },
      opts,
    );
    await this.indexOwner(prev, next);
    return publicDevice(next);
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

/** The body at rest: the SIP realm filled in (the account's own), the password replaced by its HA1s. */
function stored(fields: DeviceFields, realm: string, current: StoredDevice | undefined): Omit<StoredDevice, 'account_id' | 'id' | 'created' | 'modified' | 'revision'> {
  const { password, ...sip } = fields.sip;
  return { ...fields, sip: { ...sip, realm }, pvt_sip_ha1: nextHa1({ username: sip.username, realm, password }, current) };
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
