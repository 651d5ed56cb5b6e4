import { createHash } from 'node:crypto';
import { DirectoryError } from '../directory.error';
import type { Device, SipHa1, StoredDevice } from '../schemas/device.schema';

const hex = (algorithm: 'md5' | 'sha256', text: string): string => createHash(algorithm).update(text, 'utf8').digest('hex');

/** Every HA1 digest can ask for (MD5, RFC 2617; SHA-256, RFC 7616/8760): all a registrar needs, and no password. */
export function sipHa1(username: string, realm: string, password: string): SipHa1 {
  const text = `${username}:${realm}:${password}`;
  return { realm, md5: hex('md5', text), sha256: hex('sha256', text) };
}

/** The stored HA1s, or the ones a document written before HA1s existed still allows (its clear password). */
export function storedHa1(doc: StoredDevice): SipHa1 | undefined {
  if (doc.pvt_sip_ha1 !== undefined) return doc.pvt_sip_ha1;
  const legacy = (doc.sip as { password?: unknown }).password;
  return typeof legacy === 'string' ? sipHa1(doc.sip.username, doc.sip.realm, legacy) : undefined;
}

/** The device without anything secret, as every read returns it. */
export function publicDevice(doc: StoredDevice): Device {
  const { pvt_sip_ha1: _ha1, ...rest } = doc;
  const { password: _password, ...sip } = doc.sip as Device['sip'] & { password?: unknown };
  return { ...rest, sip };
}

/**
 * The HA1s to store for the SIP identity being written: from a new password, else kept from `current`
 * while username and realm (which the HA1s hash) are unchanged.
 */
export function nextHa1(sip: { username: string; realm: string; password?: string | undefined }, current: StoredDevice | undefined): SipHa1 {
  if (sip.password !== undefined) return sipHa1(sip.username, sip.realm, sip.password);
  const kept = current === undefined ? undefined : storedHa1(current);
  if (kept !== undefined && current?.sip.username === sip.username && kept.realm === sip.realm) return kept;
  const why = current === undefined ? 'is required' : 'is required when sip.username or sip.realm changes (the stored digest hashes depend on them)';
  throw DirectoryError.invalidField('sip.password', 'required', why);
}
