import { normalizeNumber, type NumberContext } from '../numbers/phone-number';
import type { AccountRepo } from '../repos/account.repo';
import type { DeviceRepo } from '../repos/device.repo';
import type { GroupRepo } from '../repos/group.repo';
import type { RepoContext } from '../repos/repo-context';
import type { UserRepo } from '../repos/user.repo';
import type { Account } from '../schemas/account.schema';
import type { Device } from '../schemas/device.schema';
import type { Group } from '../schemas/group.schema';
import { parseExtensionNumber } from '../schemas/numbering.schema';
import type { User } from '../schemas/user.schema';
import { parseDidOwner, parseExtensionOwner } from './numbering-indexes';

/** What an extension reaches: one user, device or group of one account. */
export type ExtensionOwner = { accountId: string; extension: string } & ({ kind: 'user'; user: User } | { kind: 'device'; device: Device } | { kind: 'group'; group: Group });

/** What a DID reaches: one user or group, platform-wide. */
export type DidOwner = { accountId: string; e164: string } & ({ kind: 'user'; user: User } | { kind: 'group'; group: Group });

export interface NumberingPlan {
  /**
   * The user, device or group an extension number reaches from `accountId`: a short one (`210`) in that account,
   * an extended one (`0003*210`) in the account with that prefix when it is `accountId` or one of its sub-accounts.
   * Null for anything else (unknown, malformed, another tree's), alike.
   */
  findExtension(accountId: string, number: string): Promise<ExtensionOwner | null>;
  /** An extended number (`PREFIX*EXT`) anywhere on the platform; short ones mean nothing without an account. */
  findExtended(number: string): Promise<ExtensionOwner | null>;
  /** The user or group owning a DID, platform-wide; national numbers are read in `ctx.country` (inbound calls). */
  findDid(number: string, ctx?: NumberContext): Promise<DidOwner | null>;
}

export class NumberingService implements NumberingPlan {
  constructor(
    private readonly ctx: RepoContext,
    private readonly repos: { accounts: AccountRepo; users: UserRepo; devices: DeviceRepo; groups: GroupRepo },
  ) {}

  async findExtension(accountId: string, number: string): Promise<ExtensionOwner | null> {
    const parsed = parseExtensionNumber(number);
    if (parsed === undefined) return null;
    if (parsed.prefix === undefined) return this.owner(accountId, parsed.extension);
    const target = await this.repos.accounts.findByExtensionPrefix(parsed.prefix);
    if (target === null || !reaches(accountId, target)) return null;
    return this.owner(target.id, parsed.extension);
  }

  async findExtended(number: string): Promise<ExtensionOwner | null> {
    const parsed = parseExtensionNumber(number);
    if (parsed?.prefix === undefined) return null;
    const target = await this.repos.accounts.findByExtensionPrefix(parsed.prefix);
    return target === null ? null : this.owner(target.id, parsed.extension);
  }

  async findDid(number: string, ctx: NumberContext = {}): Promise<DidOwner | null> {
    const e164 = normalizeNumber(number, ctx);
    if (e164 === undefined) return null;
    const owner = parseDidOwner(await this.ctx.store.hget(this.ctx.keys.didIndex, e164));
    if (owner === null) return null;
    const base = { accountId: owner.accountId, e164 };
    if (owner.kind === 'user') {
      const user = await this.repos.users.find(owner.accountId, owner.id);
      return user?.dids?.includes(e164) === true ? { ...base, kind: 'user', user } : null;
    }
    const group = await this.repos.groups.find(owner.accountId, owner.id);
    return group?.dids?.includes(e164) === true ? { ...base, kind: 'group', group } : null;
  }

  /** Drops the account's extension namespace (account deletion, after its documents are gone). */
  async purge(accountId: string): Promise<void> {
    await this.ctx.store.del([this.ctx.keys.extensionIndex(accountId)]);
  }

  private async owner(accountId: string, extension: string): Promise<ExtensionOwner | null> {
    const entry = parseExtensionOwner(await this.ctx.store.hget(this.ctx.keys.extensionIndex(accountId), extension));
    const base = { accountId, extension };
    // the documents decide: an index entry can outlive a crashed write
    switch (entry?.kind) {
      case 'user': {
        const user = await this.repos.users.find(accountId, entry.id);
        return user?.extension === extension ? { ...base, kind: 'user', user } : null;
      }
      case 'device': {
        const device = await this.repos.devices.find(accountId, entry.id);
        return device?.extension === extension ? { ...base, kind: 'device', device } : null;
      }
      case 'group': {
        const group = await this.repos.groups.find(accountId, entry.id);
        return group?.extension === extension ? { ...base, kind: 'group', group } : null;
      }
      default:
        return null;
    }
  }
}

function reaches(accountId: string, target: Account): boolean {
  return target.id === accountId || target.tree.includes(accountId);
}
