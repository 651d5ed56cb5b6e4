import { callerOfClient, isDirectoryError, type Account, type ClientPrincipal, type Device, type Directory, type Group, type User } from '@legwork/directory';
import { BasixError } from '../core/basix.error';
import type { CallUserRequest } from './call-user.request';

/** Who call_user rings: one user of the client's account at all its enabled devices, with an optional group context. */
export interface CallUserTarget {
  account: Account;
  user: User;
  devices: Device[];
  group?: Group;
}

const KAZOO_ID = /^[0-9a-f]{32}$/;

async function findUser(dir: Directory, account: Account, { by, value }: CallUserRequest['user']): Promise<User | null> {
  const id = account.id;
  switch (by) {
    case 'user_id':
      return KAZOO_ID.test(value) ? dir.users.find(id, value) : null;
    case 'user_name': {
      const all = await dir.users.findAllByName(id, value);
      if (all.length > 1) throw new BasixError(400, 'user_ambiguous', `user_name "${value}" names ${all.length} users; use user_id, user_extension or user_email`, by);
      return all[0] ?? null;
    }
    case 'user_label':
      return dir.users.findByLabel(id, value);
    case 'user_extension': {
      // short (`1001`) or extended (`0003*1001`); only this account's users
      const owner = await dir.numbering.findExtension(id, value);
      return owner?.kind === 'user' && owner.accountId === id ? owner.user : null;
    }
    case 'user_did':
      return dir.users.findByDid(id, value);
    case 'user_email':
      return dir.users.findByEmail(id, value);
  }
}

async function findGroup(dir: Directory, account: Account, user: User, { by, value }: NonNullable<CallUserRequest['group']>): Promise<Group | null> {
  const id = account.id;
  switch (by) {
    case 'group_id':
      return KAZOO_ID.test(value) ? dir.groups.find(id, value) : null;
    case 'group_name':
      return dir.groups.findByName(id, value);
    case 'group_label':
      return dir.groups.findByLabel(id, value);
    case 'group_extension':
      return dir.groups.findByExtension(id, value);
    case 'group_did':
      return dir.groups.findByDid(id, value);
    case 'group_resolver': {
      const groups = await dir.groups.listForUser(id, user.id, value === '*' ? {} : { type: 'call_center' });
      return groups[0] ?? null;
    }
  }
}

/**
 * The user (404 user_not_found), allowed to this client (403: a user's app calls its own user only), its devices
 * (409 no_devices) and the group context (404 group_not_found; 409 user_not_in_group when the user is no member).
 */
export async function loadCallUserTarget(dir: Directory, principal: ClientPrincipal, req: CallUserRequest): Promise<CallUserTarget> {
  const account = principal.account;
  const user = await findUser(dir, account, req.user);
  if (user === null) throw new BasixError(404, 'user_not_found', `no user of this domain has that ${req.user.by.slice(5)}`, req.user.by);
  try {
    await dir.access.authorize(callerOfClient(principal), { operation: 'originate.user', accountId: account.id, account, targetId: user.id });
  } catch (err) {
    if (isDirectoryError(err, 'forbidden')) throw new BasixError(403, 'forbidden', "this API token belongs to a user's app: it calls that user only", req.user.by);
    throw err;
  }
  if (!user.enabled) throw new BasixError(409, 'user_disabled', 'the user is disabled', req.user.by);
  const devices = (await dir.devices.listByOwner(account.id, user.id)).filter((d) => d.enabled);
  if (devices.length === 0) throw new BasixError(409, 'no_devices', 'the user has no enabled terminals to ring', req.user.by);
  if (req.group === undefined) return { account, user, devices };
  const group = await findGroup(dir, account, user, req.group);
  if (group === null) throw new BasixError(404, 'group_not_found', req.group.by === 'group_resolver' ? `the user belongs to no group matching "${req.group.value}"` : `no group of this domain has that ${req.group.by.slice(6)}`, req.group.by);
  if (req.group.by !== 'group_resolver' && !(await dir.groups.listForUser(account.id, user.id)).some((g) => g.id === group.id)) {
    throw new BasixError(409, 'user_not_in_group', 'the user is not a member of that group', req.group.by);
  }
  return { account, user, devices, group };
}
