import type { Directory } from '../directory';
import type { Device } from '../schemas/device.schema';
import type { Group } from '../schemas/group.schema';

/** A user's enabled devices; none when the user is missing or disabled. */
export async function enabledDevicesOfUser(directory: Directory, accountId: string, userId: string): Promise<Device[]> {
  const user = await directory.users.find(accountId, userId);
  if (user === null || !user.enabled) return [];
  return (await directory.devices.listByOwner(accountId, userId)).filter((d) => d.enabled);
}

/** A group's members by weight (then as listed): a user member stands for its enabled devices; a device once only. */
export async function groupMemberDevices(directory: Directory, group: Group): Promise<Device[]> {
  const members = Object.entries(group.endpoints)
    .map(([id, m], order) => ({ id, type: m.type, weight: m.weight ?? 50, order }))
    .sort((a, b) => a.weight - b.weight || a.order - b.order);
  const seen = new Set<string>();
  const out: Device[] = [];
  for (const m of members) {
    const devices = m.type === 'user' ? await enabledDevicesOfUser(directory, group.account_id, m.id) : [await directory.devices.find(group.account_id, m.id)];
    for (const d of devices) {
      if (d === null || !d.enabled || seen.has(d.id)) continue;
      seen.add(d.id);
      out.push(d);
    }
  }
  return out;
}
