import { groupRoute } from '@legwork/contracts';
import { groupMemberDevices, normalizeNumber, type Account, type ClientTokenClaims, type Device, type Directory, type ExtensionOwner, type User } from '@legwork/directory';
import { VoipnowError } from '../core/voipnow-error';
import type { PhoneCallRequest, PhoneCallView } from './phone-call.request';

/** Whom the URI's userId names: the app's user (`@me`, `@viewer`), the extension's owner (`@owner`) or a user id. */
export type UserSelector = { kind: 'app' } | { kind: 'owner' } | { kind: 'id'; userId: string };

const USER_ID = /^[0-9a-f]{32}$/;

export function parseUserSelector(value: string | undefined): UserSelector {
  if (value === '@me' || value === '@viewer') return { kind: 'app' };
  if (value === '@owner') return { kind: 'owner' };
  if (value !== undefined && USER_ID.test(value)) return { kind: 'id', userId: value };
  throw VoipnowError.invalid('user_invalid', 'userId must be @me, @viewer, @owner or the id of a user');
}

/** The Phone Terminal extension a call is made from (the charged device) and its owner. */
export interface PhoneTerminal {
  /** The extension as the request gave it (or its first source). */
  extension: string;
  account: Account;
  device: Device;
  user: User;
}

/** Who is rung and where the answered source is sent, as the origination client takes them. */
export interface PhoneCallParties {
  sources: Device[];
  sourceNumbers: string[];
  /** The source (as given) each leg rings: the devices' first, then the numbers', as the request's endpoints are ordered. */
  labels: string[];
  /** A local device or user name, a group's route, or an E.164 number routed through the account's carriers. */
  destination: string;
}

const badExtension = (why: string): VoipnowError => VoipnowError.invalid('extension_invalid', `extension ${why}`);

/**
 * The extension (default: the first source), which must be a Phone Terminal (a device) reachable by the app and
 * owned by the user the URI names. An organization app must name the user (`@me` means nobody for it).
 */
export async function resolvePhoneTerminal(dir: Directory, app: ClientTokenClaims, selector: UserSelector, req: PhoneCallRequest, view: PhoneCallView): Promise<PhoneTerminal> {
  if (selector.kind === 'app' && app.ownerId === undefined) {
    throw VoipnowError.invalid('user_invalid', 'an app of an organization must name the user (a user id or @owner), not @me or @viewer');
  }
  const extension = req.extension ?? view.source[0] ?? '';
  const found = await dir.numbering.findExtension(app.accountId, extension);
  if (found === null) throw badExtension(`${extension} is not an extension of this organization${req.extension === undefined ? ' (the first source is used when extension is missing)' : ''}`);
  if (found.kind !== 'device') throw badExtension(`${extension} is not a Phone Terminal extension`);
  const { device } = found;
  const wanted = selector.kind === 'app' ? app.ownerId : selector.kind === 'id' ? selector.userId : device.owner_id;
  if (device.owner_id === undefined) throw badExtension(`${extension} belongs to no user`);
  if (device.owner_id !== wanted) throw badExtension(`${extension} is not owned by the user ${selector.kind === 'app' ? 'of this app' : wanted}`);
  const [account, user] = await Promise.all([dir.accounts.find(found.accountId), dir.users.find(found.accountId, device.owner_id)]);
  if (account === null || user === null) throw badExtension(`${extension} belongs to no user`);
  if (!device.enabled || !user.enabled) throw badExtension(`${extension} is disabled`);
  return { extension, account, device, user };
}

/** The enabled devices an extension rings: the device, a user's devices, or a group's member devices. */
async function devicesOf(dir: Directory, owner: ExtensionOwner): Promise<Device[]> {
  if (owner.kind === 'device') return owner.device.enabled ? [owner.device] : [];
  if (owner.kind === 'user') return owner.user.enabled ? (await dir.devices.listByOwner(owner.accountId, owner.user.id)).filter((d) => d.enabled) : [];
  return groupMemberDevices(dir, owner.group);
}

/** Sources: extensions of the call's account (a user's app: its own only) or public numbers, read in the account's country. */
export async function resolveSources(dir: Directory, app: ClientTokenClaims, terminal: PhoneTerminal, view: PhoneCallView): Promise<Omit<PhoneCallParties, 'destination'>> {
  const sources: Device[] = [];
  const sourceNumbers: string[] = [];
  const deviceLabels: string[] = [];
  const numberLabels: string[] = [];
  for (const [i, source] of view.source.entries()) {
    const bad = (why: string): VoipnowError => VoipnowError.invalid('pc_source_invalid', `source[${i}] ${source} ${why}`);
    const owner = await dir.numbering.findExtension(terminal.account.id, source);
    if (owner === null) {
      const e164 = normalizeNumber(source, { country: terminal.account.country });
      if (e164 === undefined) throw bad('is neither an extension of this organization nor a public phone number');
      if (!sourceNumbers.includes(e164)) {
        sourceNumbers.push(e164);
        numberLabels.push(source);
      }
      continue;
    }
    if (owner.accountId !== terminal.account.id) throw bad("is not in the extension's organization");
    const devices = await devicesOf(dir, owner);
    if (devices.length === 0) throw bad('has no enabled phone');
    if (app.role === 'user' && devices.some((d) => d.owner_id !== app.ownerId)) throw bad("is not one of this app's user's phones");
    for (const d of devices.filter((d) => !sources.some((s) => s.id === d.id))) {
      sources.push(d);
      deviceLabels.push(source);
    }
  }
  return { sources, sourceNumbers, labels: [...deviceLabels, ...numberLabels] };
}

/** The destination: an extension (device, user or group) of the call's account, or a public number in the account's country. */
export async function resolveDestination(dir: Directory, terminal: PhoneTerminal, view: PhoneCallView): Promise<string> {
  return resolveRoute(dir, terminal.account, view.destination);
}

/** A destination within the account as the media node routes it: an extension's SIP name, or a public number in E.164. */
export async function resolveRoute(dir: Directory, account: Pick<PhoneTerminal['account'], 'id' | 'country'>, target: string): Promise<string> {
  const bad = (why: string): VoipnowError => VoipnowError.invalid('pc_destination_invalid', `destination ${target} ${why}`);
  const owner = await dir.numbering.findExtension(account.id, target);
  if (owner === null) {
    const e164 = normalizeNumber(target, { country: account.country });
    if (e164 === undefined) throw bad('is neither an extension of this organization nor a public phone number');
    return e164;
  }
  // the media node routes by SIP name within the call's account
  if (owner.accountId !== account.id) throw bad("is not in the extension's organization");
  if (owner.kind === 'device') return owner.device.sip.username;
  if (owner.kind === 'user' && owner.user.username !== undefined) return owner.user.username;
  if (owner.kind === 'user') throw bad('is a user without a username to ring');
  // the media node hunts the group's members by its strategy
  if ((await groupMemberDevices(dir, owner.group)).length === 0) throw bad('is a group without an enabled phone');
  return groupRoute(owner.group.id);
}
