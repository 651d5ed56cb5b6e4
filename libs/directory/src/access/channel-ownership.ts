import type { Ownership } from './access.types';

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const present = (values: Array<string | undefined>): string[] => values.filter((v): v is string => v !== undefined);

/** The channel vars that say whose a call is, whatever their spelling on the way (wire or normalized). */
export interface OwnershipVars {
  ownerId?: unknown;
  authorizingId?: unknown;
  authorizingType?: unknown;
}

/** A call belongs to its Owner-ID and to whatever authorized it (a device, or a user for user quickcalls). */
export function channelOwnership(vars: OwnershipVars): Ownership {
  const authorizing = text(vars.authorizingId);
  const type = text(vars.authorizingType);
  return {
    userIds: present([text(vars.ownerId), type === 'user' ? authorizing : undefined]),
    deviceIds: present([type === 'device' ? authorizing : undefined]),
  };
}
