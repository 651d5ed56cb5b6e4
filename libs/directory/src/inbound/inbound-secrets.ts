import { DirectoryError } from '../directory.error';
import { sipHa1 } from '../repos/device-secrets';
import type { SipHa1 } from '../schemas/device.schema';
import type { InboundFields } from '../schemas/inbound.schema';
import type { Resource, StoredResource } from '../schemas/resource.schema';

/** The resource without anything secret, as every read returns it. */
export function publicResource(doc: StoredResource): Resource {
  const { pvt_inbound_ha1: _ha1, ...rest } = doc;
  if (rest.inbound?.credentials === undefined) return rest;
  const { password: _password, ...credentials } = rest.inbound.credentials as { username: string; password?: unknown };
  return { ...rest, inbound: { ...rest.inbound, credentials } };
}

/**
 * The inbound part as stored and its HA1s: from a new password, else kept from `current` while the username
 * and realm (which the HA1s hash) are unchanged; credentials given without a password that could be kept are refused.
 */
export function inboundAtRest(inbound: InboundFields | undefined, realm: string, current: StoredResource | undefined): { inbound?: Resource['inbound']; ha1?: SipHa1 } {
  if (inbound === undefined) return {};
  const { credentials, ...rest } = inbound;
  if (credentials === undefined) return { inbound: rest };
  const stored = { ...rest, credentials: { username: credentials.username } };
  if (credentials.password !== undefined) return { inbound: stored, ha1: sipHa1(credentials.username, realm, credentials.password) };
  const kept = current?.pvt_inbound_ha1;
  if (kept !== undefined && current?.inbound?.credentials?.username === credentials.username && kept.realm === realm) return { inbound: stored, ha1: kept };
  const why = kept === undefined ? 'is required' : 'is required when inbound.credentials.username changes (the stored digest hashes depend on it)';
  throw DirectoryError.invalidField('inbound.credentials.password', 'required', why);
}
