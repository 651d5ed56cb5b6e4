import { isDirectoryError, type Account, type Caller, type Device, type Directory, type Group, type Operation, type User } from '@legwork/directory';
import { NetaxisError } from '../core/netaxis-error';

/** The seed's roles: TenantAdmin (an admin of the tenant or above), GroupAdmin (in the group's `admins`), EndUser (the user itself). */
export type NetaxisRole = 'TenantAdmin' | 'GroupAdmin' | 'EndUser';

/** The user a route addresses, in its tenant and group, and the role the caller acts with. */
export interface CallTarget {
  caller: Caller;
  role: NetaxisRole;
  account: Account;
  group: Group;
  user: User;
  /** The user's enabled devices: its phones, whose legs are its calls. */
  devices: Device[];
}

export interface TargetPath {
  tenantId?: string;
  groupId?: string;
  userId?: string;
}

const ID = /^[0-9a-f]{32}$/;
const USERNAME = /^[^\s/@\p{C}]{1,256}$/u;

async function policy<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (isDirectoryError(err, 'forbidden')) throw NetaxisError.forbidden('this token may not act for this user');
    throw err;
  }
}

/** True when the user or one of its devices is an endpoint of the group. */
function inGroup(group: Group, user: User, devices: Device[]): boolean {
  return group.endpoints[user.id]?.type === 'user' || devices.some((d) => group.endpoints[d.id]?.type === 'device');
}

/**
 * Resolves `tenants/{t}/groups/{g}/users/{u}` for the caller. Tenants the token cannot reach are 403 before anything
 * about them is told; inside a reachable tenant an unknown group, user or a user outside the group is 404.
 */
export async function resolveTarget(dir: Directory, caller: Caller, path: TargetPath): Promise<CallTarget> {
  const tenantId = path.tenantId ?? '';
  // the shared policy: an admin of the tenant (or above) or a member of that very account; anyone else stops here
  await policy(() => dir.access.authorize(caller, { operation: 'account.read', accountId: ID.test(tenantId) ? tenantId : '-' }));
  const account = await dir.accounts.get(tenantId);
  const group = path.groupId !== undefined && ID.test(path.groupId) ? await dir.groups.find(account.id, path.groupId) : null;
  if (group === null) throw NetaxisError.notFound('group', 'group_id');
  const wanted = path.userId ?? '';
  const user = ID.test(wanted) ? await dir.users.find(account.id, wanted) : USERNAME.test(wanted) ? await dir.users.findByUsername(account.id, wanted) : null;
  if (user === null) throw NetaxisError.notFound('user', 'user_id');
  const devices = (await dir.devices.listByOwner(account.id, user.id)).filter((d) => d.enabled);
  if (!inGroup(group, user, devices)) throw NetaxisError.notFound('user in this group', 'user_id');
  return { caller, role: roleOf(caller, account, group, user), account, group, user, devices };
}

function roleOf(caller: Caller, account: Account, group: Group, user: User): NetaxisRole {
  if (caller.role === 'admin') return 'TenantAdmin';
  if (caller.userId === user.id) return 'EndUser';
  // GroupAdmin: a plain user of this very account listed as the group's admin acts for the group's members
  if (caller.userId !== undefined && caller.accountId === account.id && (group.admins ?? []).includes(caller.userId)) return 'GroupAdmin';
  throw NetaxisError.forbidden(`an EndUser acts only for itself; this token is not an admin of group ${group.id}`);
}

/**
 * The shared policy's word on a call operation for the target user: TenantAdmins and EndUsers go through it;
 * a GroupAdmin was granted by its group (the policy knows no group roles) once the policy let it into the tenant.
 */
export async function authorizeFor(dir: Directory, target: CallTarget, operation: Operation): Promise<void> {
  if (target.role === 'GroupAdmin') return;
  const owned = async () => ({ userIds: [target.user.id], deviceIds: target.devices.map((d) => d.id) });
  const isOriginate = operation === 'originate.user';
  await policy(() => dir.access.authorize(target.caller, { operation, accountId: target.account.id, ...(isOriginate ? { targetId: target.user.id } : { owned }) }));
}
