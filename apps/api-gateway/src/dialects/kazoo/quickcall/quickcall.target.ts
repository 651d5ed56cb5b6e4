import type { Account, CallerId, Device, Directory, User } from '@legwork/directory';

export type QuickcallKind = 'device' | 'user';

/** Who the quickcall rings: the device, or the user's enabled devices. */
export interface QuickcallTarget {
  kind: QuickcallKind;
  /** The device or user id from the path (Authorizing-ID). */
  id: string;
  account: Pick<Account, 'id' | 'realm'>;
  ownerId?: string;
  /** Caller ids shown to the destination, most specific first (device, then its owner). */
  callerIds: Array<CallerId | undefined>;
  presenceId?: string;
  devices: Device[];
  /** Why nothing can ring (disabled device or user, no devices), in Kazoo's Error-Message words. */
  unavailable?: string;
  /** The device, its owner or the user lets quickcalls through without a token. */
  allowAnonymous: boolean;
}

/** Loads the target; unknown ids throw the directory's not_found. `loaded` is the account when the request already read it. */
export async function loadQuickcallTarget(directory: Directory, accountId: string, kind: QuickcallKind, id: string, loaded?: Account): Promise<QuickcallTarget> {
  const account = loaded?.id === accountId ? loaded : await directory.accounts.get(accountId);
  if (kind === 'device') {
    const device = await directory.devices.get(accountId, id);
    const owner: User | null = device.owner_id === undefined ? null : await directory.users.find(accountId, device.owner_id);
    const usable = device.enabled && (owner === null || owner.enabled);
    return {
      kind, id, account, ownerId: device.owner_id,
      callerIds: [device.caller_id, owner?.caller_id],
      presenceId: owner?.presence_id,
      devices: usable ? [device] : [],
      unavailable: usable ? undefined : 'DESTINATION_OUT_OF_ORDER',
      allowAnonymous: account.allow_anonymous_quickcalls || owner?.allow_anonymous_quickcalls === true,
    };
  }
  const user = await directory.users.get(accountId, id);
  const devices = user.enabled ? (await directory.devices.listByOwner(accountId, id)).filter((d) => d.enabled) : [];
  return {
    kind, id, account, ownerId: id,
    callerIds: [user.caller_id],
    presenceId: user.presence_id,
    devices,
    unavailable: devices.length > 0 ? undefined : 'DESTINATION_OUT_OF_ORDER',
    allowAnonymous: account.allow_anonymous_quickcalls || user.allow_anonymous_quickcalls,
  };
}
