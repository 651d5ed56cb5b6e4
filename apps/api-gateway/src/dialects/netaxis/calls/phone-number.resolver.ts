import { normalizeNumber, type Account, type Directory, type User } from '@legwork/directory';
import { NetaxisError } from '../core/netaxis-error';

/** Where a dialled number goes: a local SIP name (callType Group) or an E.164 number through the carriers (Unknown). */
export interface ResolvedNumber {
  /** What the media node routes: a device's SIP username, a user's username, or E.164. */
  route: string;
  /** The remote party's address as shown in the call's attributes. */
  address: string;
  callType: 'Group' | 'Unknown';
}

/** An extension of the tenant or a public number read with its country; 400 INVALID_PHONE_NUMBER on `field` otherwise. */
export async function resolvePhoneNumber(dir: Directory, account: Account, number: string, field: string): Promise<ResolvedNumber> {
  const bad = (why: string): NetaxisError => NetaxisError.invalid(field, `${field} ${number} ${why}`, 'INVALID_PHONE_NUMBER');
  const owner = await dir.numbering.findExtension(account.id, number);
  if (owner === null) {
    const e164 = normalizeNumber(number, { country: account.country });
    if (e164 === undefined) throw bad('is neither an extension of this tenant nor a valid phone number');
    return { route: e164, address: e164, callType: 'Unknown' };
  }
  // the media node routes by SIP name within the call's account
  if (owner.accountId !== account.id) throw bad('is not an extension of this tenant');
  if (owner.kind === 'device') return { route: owner.device.sip.username, address: number, callType: 'Group' };
  if (owner.kind === 'user' && owner.user.username !== undefined) return { route: owner.user.username, address: number, callType: 'Group' };
  throw bad(owner.kind === 'user' ? 'is a user without a username to ring' : 'is a group: calling groups is not supported');
}

/** The numbers a user answers to (its charge addresses): extension, DIDs, mobile number and caller ids, as E.164 where they read. */
export function numbersOf(user: User, account: Account): Set<string> {
  const ids = [user.caller_id?.internal?.number, user.caller_id?.external?.number];
  const all = [user.extension, ...(user.dids ?? []), user.mobile_number, ...ids].filter((n): n is string => typeof n === 'string' && n !== '');
  return new Set(all.flatMap((n) => [n, normalizeNumber(n, { country: account.country })]).filter((n): n is string => n !== undefined));
}
