import type { ImrnBinding } from '@legwork/call-state';
import type { OriginateEndpoint } from '@legwork/contracts';
import { type Device, type Directory, type DidOwner, enabledDevicesOfUser, groupMemberDevices } from '@legwork/directory';

/** What a DID rings: device endpoints of the owner's account, all at once or one after the other (a group's strategy). */
export interface InboundTargets {
  endpoints: OriginateEndpoint[];
  method: 'simultaneous' | 'single';
  /** The user the call is for (a user's DID), kept on the caller's leg. */
  ownerId?: string;
}

function endpointOf(device: Device): OriginateEndpoint {
  const ep: OriginateEndpoint = { 'Invite-Format': 'username', 'To-Username': device.sip.username, 'To-Realm': device.sip.realm, 'Endpoint-ID': device.id };
  // the leg to a user's device says whose call it is (per-user event streams, CDR scoping)
  return device.owner_id !== undefined ? { ...ep, 'Custom-Channel-Vars': { 'Owner-ID': device.owner_id } } : ep;
}

/** The owner's devices to ring; none when the user is disabled or has no enabled device. */
export async function inboundTargets(directory: Directory, owner: DidOwner): Promise<InboundTargets> {
  if (owner.kind === 'user') {
    const devices = await enabledDevicesOfUser(directory, owner.accountId, owner.user.id);
    return { endpoints: devices.map(endpointOf), method: 'simultaneous', ownerId: owner.user.id };
  }
  return { endpoints: (await groupMemberDevices(directory, owner.group)).map(endpointOf), method: owner.group.strategy };
}

/** An IMRN call goes where its reservation says, routed as origination routes a number (local endpoints, then carriers). */
export function imrnTargets(imrn: ImrnBinding): InboundTargets {
  return { endpoints: [{ 'Invite-Format': 'loopback', Route: imrn.phoneNumber }], method: 'simultaneous', ...(imrn.userId !== undefined ? { ownerId: imrn.userId } : {}) };
}
