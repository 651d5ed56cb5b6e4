import type { CallerId, Device, Directory, OutboundRules } from '@legwork/directory';
import type { DevicePush } from '../push/push.types';

export type EndpointIdentity =
  | { ok: true; endpointId?: string; callerIds: Array<CallerId | undefined>; owner?: { id: string; outbound?: OutboundRules }; push?: DevicePush | false }
  | { ok: false; cause: string; reason: string };

const ownerOf = (user: { id: string; outbound?: OutboundRules } | null): { owner?: { id: string; outbound?: OutboundRules } } =>
  user === null ? {} : { owner: { id: user.id, ...(user.outbound !== undefined ? { outbound: user.outbound } : {}) } };

/**
 * What `Endpoint-ID` names: a device (its caller ids, then its owner's) or a user. Disabled ones are refused
 * with DESTINATION_OUT_OF_ORDER, as Kazoo treats them as absent; an unknown id only loses the caller id.
 */
export async function endpointIdentity(directory: Directory, accountId: string, endpointId: string | undefined): Promise<EndpointIdentity> {
  if (endpointId === undefined) return { ok: true, callerIds: [] };
  const device = await directory.devices.find(accountId, endpointId);
  if (device !== null) {
    if (!device.enabled) return { ok: false, cause: 'DESTINATION_OUT_OF_ORDER', reason: `device ${endpointId} is disabled` };
    const owner = device.owner_id === undefined ? null : await directory.users.find(accountId, device.owner_id);
    if (owner !== null && !owner.enabled) return { ok: false, cause: 'DESTINATION_OUT_OF_ORDER', reason: `owner of device ${endpointId} is disabled` };
    return { ok: true, endpointId, callerIds: [device.caller_id, owner?.caller_id], ...ownerOf(owner), ...pushOf(device) };
  }
  const user = await directory.users.find(accountId, endpointId);
  if (user !== null && !user.enabled) return { ok: false, cause: 'DESTINATION_OUT_OF_ORDER', reason: `user ${endpointId} is disabled` };
  return { ok: true, endpointId, callerIds: user === null ? [] : [user.caller_id], ...ownerOf(user) };
}

/** The device's directory push settings (RFC 8599); false when it refuses calls by push (no binding of it is pushed either). */
function pushOf(device: Device): { push?: DevicePush | false } {
  const p = device.push;
  if (p === undefined) return {};
  if (p.accept_calls === false) return { push: false };
  return { push: { provider: p.provider.toLowerCase(), prid: p.prid, ...(p.param !== undefined && p.param !== '' ? { param: p.param } : {}) } };
}
