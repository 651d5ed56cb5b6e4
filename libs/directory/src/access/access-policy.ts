import type { ClientPrincipal } from '../clients/client-principal';
import type { TokenClaims } from '../credentials/credential.service';
import { DirectoryError } from '../directory.error';
import type { AccountRepo } from '../repos/account.repo';
import type { DeviceRepo } from '../repos/device.repo';
import type { UserRepo } from '../repos/user.repo';
import type { Account } from '../schemas/account.schema';
import { ACCESS_RULES, type AccessRule } from './access-rules';
import type { AccessRequest, Caller, Grant, Ownership, Scope } from './access.types';

const ALL: Scope = { all: true };

/** Refusals carry no ids: the caller learns the operation is not theirs, nothing about what exists. */
function forbidden(reason: 'outside' | 'role' | 'not_owner'): DirectoryError {
  return new DirectoryError('forbidden', reason === 'outside' ? 'this account is not reachable with this token' : 'not allowed with this token', { reason });
}

function unauthenticated(): DirectoryError {
  return new DirectoryError('unauthorized', 'authentication required');
}

/** True when the scope covers something owned by these users or devices. */
export function owns(scope: Scope, owner: Ownership): boolean {
  return scope.all || owner.userIds.includes(scope.userId) || owner.deviceIds.some((id) => scope.deviceIds.includes(id));
}

/** The caller a verified token stands for. */
export function callerOf(claims: Pick<TokenClaims, 'accountId' | 'ownerId' | 'method' | 'role'>): Caller {
  return { accountId: claims.accountId, role: claims.role, method: claims.method, ...(claims.ownerId !== undefined ? { userId: claims.ownerId } : {}) };
}

/**
 * The caller an authenticated API client stands for: an organization app is an admin of its account (and, like
 * every admin, of its sub-accounts); a user's app acts as that user, admin only when the user is one.
 */
export function callerOfClient(principal: Pick<ClientPrincipal, 'accountId' | 'clientId' | 'ownerId' | 'role'>): Caller {
  const base = { accountId: principal.accountId, method: 'api_client' as const, clientId: principal.clientId };
  return principal.ownerId === undefined ? { ...base, role: 'admin' } : { ...base, role: principal.role, userId: principal.ownerId };
}

/** The one access policy of every dialect: who may run which operation on what. */
export class AccessPolicy {
  constructor(private readonly deps: { accounts: AccountRepo; users: UserRepo; devices: DeviceRepo }) {}

  /** Grants the request or throws `unauthorized` (no caller where one is needed) or `forbidden`. */
  async authorize(caller: Caller | null, req: AccessRequest): Promise<Grant> {
    const rule: AccessRule = ACCESS_RULES[req.operation];
    if (rule.kind === 'public') return { caller, scope: ALL };
    if (caller === null) {
      if (rule.kind === 'originate' && (await this.anonymousOriginate(rule.target, req))) return { caller: null, scope: ALL };
      throw unauthenticated();
    }
    if (rule.kind === 'authenticated') return { caller, scope: ALL };
    const accountId = req.accountId;
    if (accountId === undefined) throw forbidden('outside');
    const account = req.account !== undefined ? req.account : await this.deps.accounts.find(accountId);
    if (account === null || account.id !== accountId || !reaches(caller.accountId, account)) throw forbidden('outside');
    if (caller.role === 'admin') return { caller, scope: ALL };
    // A plain user acts only inside its own account, never in sub-accounts.
    if (caller.accountId !== accountId || caller.userId === undefined) throw forbidden('outside');
    return { caller, scope: await this.userScope(caller, rule, req, caller.userId) };
  }

  /** An account never disables or deletes itself through its own token (its parent may). */
  assertAccountChange(caller: Caller | null, accountId: string, change: 'delete' | { enabled?: unknown }): void {
    if (caller === null || caller.accountId !== accountId) return;
    if (change === 'delete') throw new DirectoryError('forbidden', 'an account cannot delete itself', { reason: 'self' });
    if (change.enabled === false) throw new DirectoryError('forbidden', 'an account cannot disable itself', { reason: 'self', field: 'enabled' });
  }

  private async userScope(caller: Caller, rule: AccessRule, req: AccessRequest, userId: string): Promise<Scope> {
    const accountId = caller.accountId;
    const scope = async (): Promise<Scope> => ({ all: false, userId, deviceIds: (await this.deps.devices.listByOwner(accountId, userId)).map((d) => d.id) });
    switch (rule.kind) {
      case 'member':
        return scope();
      case 'self':
        if (rule.list !== true && req.targetId !== userId) throw forbidden('not_owner');
        return scope();
      case 'own-device':
        if (rule.list !== true) await this.requireOwnDevice(accountId, req.targetId, userId);
        return scope();
      case 'originate':
        if (rule.target === 'device') await this.requireOwnDevice(accountId, req.targetId, userId);
        else if (req.targetId !== userId) throw forbidden('not_owner');
        return scope();
      case 'own-call': {
        const mine = await scope();
        if (rule.list === true) return mine;
        const owner = req.owned === undefined ? null : await req.owned();
        if (owner === null || !owns(mine, owner)) throw forbidden('not_owner');
        return mine;
      }
      default:
        throw forbidden('role');
    }
  }

  /** Unknown devices are refused like foreign ones, so a plain user learns nothing about ids it does not own. */
  private async requireOwnDevice(accountId: string, deviceId: string | undefined, userId: string): Promise<void> {
    const device = deviceId === undefined ? null : await this.deps.devices.find(accountId, deviceId);
    if (device?.owner_id !== userId) throw forbidden('not_owner');
  }

  /** Kazoo's allow_anonymous_quickcalls: on the account, or on the user (for a device, its owner). */
  private async anonymousOriginate(target: 'device' | 'user', req: AccessRequest): Promise<boolean> {
    if (req.accountId === undefined || req.targetId === undefined) return false;
    const account = req.account !== undefined ? req.account : await this.deps.accounts.find(req.accountId);
    if (account === null || !account.enabled) return false;
    let userId: string | undefined = req.targetId;
    if (target === 'device') {
      const device = await this.deps.devices.find(req.accountId, req.targetId);
      if (device === null) return false;
      userId = device.owner_id;
    }
    if (account.allow_anonymous_quickcalls) return target === 'device' || (await this.deps.users.find(req.accountId, req.targetId)) !== null;
    const user = userId === undefined ? null : await this.deps.users.find(req.accountId, userId);
    return user?.allow_anonymous_quickcalls === true;
  }
}

/** The caller's account is the account itself or one of its ancestors. */
function reaches(callerAccountId: string, account: Account): boolean {
  return account.id === callerAccountId || account.tree.includes(callerAccountId);
}
