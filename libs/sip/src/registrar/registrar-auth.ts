import type { Account, Device, Directory } from '@legwork/directory';
import { findDigestCredentials } from '../auth/digest-credentials';
import type { DigestAuthenticator } from '../auth/digest';
import type { SipRequest } from '../message/sip-message';
import type { ReplyHeaders } from './registrar.types';

export type AuthOutcome = { ok: true; device: Device } | { ok: false; status: number; reason: string; headers?: ReplyHeaders };

export interface AuthTarget {
  account: Account;
  realm: string;
  /** User part of the AOR (the To URI). */
  user: string;
}

/**
 * RFC 3261 §10.3 steps 4-5: the REGISTER must carry Digest credentials of the AOR's own device.
 * Credentials are checked before the device's state so a stranger learns nothing about it.
 */
export async function authenticateRegister(request: SipRequest, target: AuthTarget, directory: Directory, digest: DigestAuthenticator, strictUri = false): Promise<AuthOutcome> {
  const challenge = (stale = false): AuthOutcome => ({
    ok: false,
    status: 401,
    reason: 'Unauthorized',
    headers: digest.challenge(target.realm, { stale }).map((value): [string, string] => ['WWW-Authenticate', value]),
  });
  const lookup = findDigestCredentials(request, target.realm);
  if (lookup.kind === 'malformed') return { ok: false, status: 400, reason: 'Bad Authorization' };
  if (lookup.kind === 'none') return challenge();
  const { credentials } = lookup;
  if (credentials.username !== target.user) return { ok: false, status: 403, reason: 'Forbidden' };
  const found = await directory.devices.findSipCredentials(target.user, target.realm);
  if (found === null || found.device.account_id !== target.account.id) return { ok: false, status: 404, reason: 'Not Found' };
  const { device, ha1 } = found;
  const verdict = digest.verify({ credentials, method: request.method, realm: target.realm, ha1: { MD5: ha1.md5, 'SHA-256': ha1.sha256 }, ...(strictUri ? { requestUri: request.uri } : {}) });
  if (!verdict.ok) {
    if (verdict.reason === 'stale') return challenge(true);
    // wrong password, forged or replayed nonce: a fresh challenge, as RFC 7616 §3.3 suggests
    return challenge();
  }
  if (!device.enabled) return { ok: false, status: 403, reason: 'Device Disabled' };
  return { ok: true, device };
}
