import { groupIdOfRoute } from '@legwork/contracts';
import { type Directory, type Device, type Account, groupMemberDevices } from '@legwork/directory';
import type { RouteResolution, RouteTarget } from '../engine/originate.types';
import { carrierRoutes } from '../routing/carrier-routes';
import { type NumberPlan, normalizeE164 } from '../routing/e164';
import type { ContactLookup } from './endpoint-contacts';

export type { RouteResolution } from '../engine/originate.types';

const fail = (cause: string, reason: string): RouteResolution => ({ targets: [], failure: { cause, reason } });

/** `sip:1001@realm` / `1001@realm` of the account's own realm → `1001`; anything else unchanged. */
function localPart(route: string, realm: string): string {
  const bare = route.replace(/^sips?:/i, '');
  const at = bare.lastIndexOf('@');
  if (at === -1) return bare;
  return bare.slice(at + 1).toLowerCase() === realm.toLowerCase() ? bare.slice(0, at) : route;
}

/** Devices a local name dials: a device SIP username, else a user's username or presence id (all their devices). */
async function localDevices(directory: Directory, account: Account, name: string): Promise<Device[]> {
  const device = await directory.devices.findBySip(name, account.realm);
  if (device !== null && device.account_id === account.id) return [device];
  const byUsername = await directory.users.findByUsername(account.id, name.toLowerCase());
  const users = byUsername !== null ? [byUsername] : (await directory.users.list(account.id)).filter((u) => u.presence_id !== undefined && (u.presence_id === name || u.presence_id.split('@')[0] === name));
  const owned: Device[] = [];
  for (const user of users) {
    if (!user.enabled) continue;
    owned.push(...(await directory.devices.listByOwner(account.id, user.id)));
  }
  return owned;
}

/** Every registered contact of the devices, in their order: local targets. */
async function localTargets(contactsFor: ContactLookup, devices: Device[]): Promise<RouteTarget[]> {
  const targets: RouteTarget[] = [];
  for (const device of devices) {
    for (const c of await contactsFor(`${device.sip.username}@${device.sip.realm}`)) {
      targets.push({ kind: 'local', requestUri: c.requestUri, target: c.target, headers: [], endpointId: device.id });
    }
  }
  return targets;
}

/** A group of the account: its enabled member devices' contacts, hunted by its strategy; only this account's groups. */
async function resolveGroup(directory: Directory, contactsFor: ContactLookup, accountId: string, groupId: string): Promise<RouteResolution> {
  const group = await directory.groups.find(accountId, groupId);
  if (group === null) return fail('NO_ROUTE_DESTINATION', `group ${groupId} not found in account ${accountId}`);
  const devices = await groupMemberDevices(directory, group);
  if (devices.length === 0) return fail('DESTINATION_OUT_OF_ORDER', `group ${groupId} has no enabled member device`);
  const targets = await localTargets(contactsFor, devices);
  return targets.length > 0 ? { targets, hunt: { method: group.strategy, groupId } } : fail('DESTINATION_OUT_OF_ORDER', `no member of group ${groupId} is registered`);
}

/** Where `transfer` sends the answered leg: a group it names, a local extension of the account, else carriers by weight. */
export async function resolveRoute(directory: Directory, contactsFor: ContactLookup, plan: NumberPlan, route: string, accountId: string): Promise<RouteResolution> {
  const text = route.trim();
  if (text.length === 0) return fail('NO_ROUTE_DESTINATION', 'empty route');
  const account = await directory.accounts.find(accountId);
  if (account === null) return fail('NO_ROUTE_DESTINATION', `account ${accountId} not found`);
  const groupId = groupIdOfRoute(text);
  if (groupId !== undefined) return resolveGroup(directory, contactsFor, account.id, groupId);
  const name = localPart(text, account.realm);
  const devices = await localDevices(directory, account, name);
  if (devices.length > 0) {
    const enabled = devices.filter((d) => d.enabled);
    // Kazoo treats disabled endpoints as absent: the caller hears the same as for an unregistered phone
    if (enabled.length === 0) return fail('DESTINATION_OUT_OF_ORDER', `${name} is disabled`);
    const targets = await localTargets(contactsFor, enabled);
    return targets.length > 0 ? { targets } : fail('DESTINATION_OUT_OF_ORDER', `${name} is not registered`);
  }
  const e164 = normalizeE164(text, plan);
  if (e164 === undefined) return fail('NO_ROUTE_DESTINATION', `"${text}" is neither a local endpoint nor a dialable number`);
  const targets = carrierRoutes(await directory.resources.matchResource(account.id, e164), e164);
  return targets.length > 0 ? { targets } : fail('NO_ROUTE_DESTINATION', `no carrier route for ${e164}`);
}
