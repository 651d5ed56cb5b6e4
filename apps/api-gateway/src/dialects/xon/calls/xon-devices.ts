import type { ClientPrincipal, Device, Directory, User } from '@legwork/directory';
import { XonError } from '../core/xon.error';

/** The directory's device types an X-on patient app runs on. */
export const MOBILE_DEVICE_TYPES: ReadonlySet<string> = new Set(['mobile', 'smartphone']);

/** A device the X-on API can push: a mobile with a push token, enabled, owned by an enabled user. */
export type PushableDevice = Device & { push: NonNullable<Device['push']>; owner_id: string };

const pushable = (d: Device): d is PushableDevice => d.enabled && MOBILE_DEVICE_TYPES.has(d.device_type) && d.push !== undefined && d.owner_id !== undefined;

/** An organization client sees the account's users; a plain user's client sees only its own user, as the access policy has it. */
const sees = (client: ClientPrincipal, user: User): boolean => client.role === 'admin' || client.ownerId === user.id;

/** The seed's device rules over the directory, always inside the client's own account. */
export class XonDevices {
  constructor(private readonly directory: Directory) {}

  /** The pushable devices, accepting calls, of the active user with this mobile number; none when there is no such user. */
  async callable(client: ClientPrincipal, mobileNumber: string): Promise<PushableDevice[]> {
    const user = await this.directory.users.findByMobileNumber(client.accountId, mobileNumber);
    if (user === null || !user.enabled || !sees(client, user)) return [];
    const devices = await this.directory.devices.listByOwner(client.accountId, user.id);
    return devices.filter(pushable).filter((d) => d.push.accept_calls);
  }

  /** The device with this X-on id (its pn-prid), or the seed's 404: unknown, no push token, inactive user, another account's. */
  async valid(client: ClientPrincipal, deviceId: string): Promise<PushableDevice> {
    const device = await this.directory.devices.findByPushId(client.accountId, deviceId);
    if (device === null || !pushable(device)) throw XonError.noDevice();
    const owner = await this.directory.users.find(client.accountId, device.owner_id);
    if (owner === null || !owner.enabled || !sees(client, owner)) throw XonError.noDevice();
    return device;
  }
}
