import type { CallRecord } from '@legwork/call-state';
import { channelOwnership, type Ownership } from '@legwork/directory';

const present = (values: Array<string | undefined>): string[] => values.filter((v): v is string => v !== undefined);

/** A live leg belongs to the device it rang and that device's owner. */
export function callOwnership(call: CallRecord): Ownership {
  return { userIds: present([call.ownerId]), deviceIds: present([call.endpointId]) };
}

/** A CDR belongs to its Owner-ID and to whatever authorized the call (a device, or a user for user quickcalls). */
export function cdrOwnership(doc: Record<string, unknown>): Ownership {
  const ccv = (doc['custom_channel_vars'] ?? {}) as Record<string, unknown>;
  return channelOwnership({ ownerId: ccv['owner_id'], authorizingId: ccv['authorizing_id'], authorizingType: ccv['authorizing_type'] });
}
