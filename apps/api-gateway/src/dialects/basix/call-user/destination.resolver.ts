import { groupRoute } from '@legwork/contracts';
import { groupMemberDevices, normalizeNumber, parseExtensionNumber, type Account, type Directory, type Group, type User } from '@legwork/directory';
import { BasixError } from '../core/basix.error';

/** Where the answered user is sent: a route the origination core dials (a local name, or an E.164 number through carriers). */
export interface ResolvedDestination {
  route: string;
  kind: 'user' | 'device' | 'number' | 'group';
}

// what a phone number may be written as (digits, an optional +, common separators)
const WRITTEN_NUMBER = /^\+?[0-9\s().\-/]+$/;

function userRoute(user: User, target: string): ResolvedDestination {
  if (user.username === undefined) throw new BasixError(409, 'destination_unreachable', `user "${target}" has no username to be dialled by`, 'destination');
  return { route: user.username, kind: 'user' };
}

/** A group: the origination core rings its members by its strategy; one with no enabled member device can ring nobody. */
async function groupDestination(dir: Directory, group: Group, target: string): Promise<ResolvedDestination> {
  if ((await groupMemberDevices(dir, group)).length === 0) throw new BasixError(409, 'destination_unreachable', `group "${target}" has no enabled member device`, 'destination');
  return { route: groupRoute(group.id), kind: 'group' };
}

/** An E.164 number read in the account's country (national `0312341234` in JP), or undefined. */
export function e164In(account: Account, text: string): string | undefined {
  return WRITTEN_NUMBER.test(text) ? normalizeNumber(text, account.country === undefined ? {} : { country: account.country }) : undefined;
}

/** An extension of the account (short or extended: a user, a device or a group) first, then a phone number, then a user's or group's name. */
export async function resolveDestination(dir: Directory, account: Account, target: string): Promise<ResolvedDestination> {
  if (parseExtensionNumber(target) !== undefined) {
    const owner = await dir.numbering.findExtension(account.id, target);
    if (owner !== null && owner.accountId === account.id) {
      if (owner.kind === 'user') return userRoute(owner.user, target);
      if (owner.kind === 'device') return { route: owner.device.sip.username, kind: 'device' };
      return groupDestination(dir, owner.group, target);
    }
  }
  if (WRITTEN_NUMBER.test(target)) {
    const e164 = e164In(account, target);
    if (e164 === undefined) throw BasixError.invalid('destination', `"${target}" is neither an extension of this domain nor a valid phone number${account.country !== undefined ? ` in ${account.country}` : ''}`);
    return { route: e164, kind: 'number' };
  }
  const users = await dir.users.findAllByName(account.id, target);
  if (users.length > 1) throw new BasixError(400, 'destination_ambiguous', `"${target}" names ${users.length} users`, 'destination');
  if (users[0] !== undefined) return userRoute(users[0], target);
  const group = await dir.groups.findByName(account.id, target);
  if (group !== null) return groupDestination(dir, group, target);
  throw new BasixError(404, 'destination_not_found', `"${target}" is no extension, number, user or group of this domain`, 'destination');
}
