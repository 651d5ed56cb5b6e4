import type { Account, AuthAttempt, Device, Directory, SipHa1 } from '@legwork/directory';
import { findDigestCredentials } from '../auth/digest-credentials';
import type { DigestAuthenticator, DigestFailure } from '../auth/digest';
import type { NonceCounter } from '../auth/nonce-count.tracker';
import type { SipRequest } from '../message/sip-message';
import type { SipSource } from '../transport/transport.types';
import type { ReplyHeaders } from './registrar.types';

export type AuthOutcome = { ok: true; device: Device } | { ok: false; status: number; reason: string; headers?: ReplyHeaders };

export interface AuthTarget {
  /** null when no account has this realm: it is answered exactly like a known one. */
  account: Account | null;
  realm: string;
  /** User part of the AOR (the To URI). */
  user: string;
}

export interface AuthServices {
  directory: Directory;
  digest: DigestAuthenticator;
  nonces: NonceCounter;
  strictUri: boolean;
}

/** Outcomes where a secret was tried and found wrong (or forged); plain challenges are not failures. */
const FAILURES: ReadonlySet<DigestFailure> = new Set(['wrong_response', 'bad_nonce', 'bad_opaque', 'replay']);

/**
 * RFC 3261 §10.3 steps 4-5: the REGISTER must carry Digest credentials of the AOR's own device. Unknown
 * users and realms are verified against a stand-in HA1 and answered like a wrong password, and the
 * device's and account's state is only told once the password checked out, so a stranger learns nothing.
 */
export async function authenticateRegister(request: SipRequest, source: SipSource, target: AuthTarget, services: AuthServices): Promise<AuthOutcome> {
  const { directory, digest } = services;
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
  const attempt: AuthAttempt = { surface: 'sip', source: source.remoteAddress, username: credentials.username, realm: target.realm };
  // the device is looked up even for an unknown realm, so both cost the same; alongside the throttle, to save a round trip
  const [throttle, found] = await Promise.all([directory.throttle.check(attempt), directory.devices.findSipCredentials(target.user, target.realm)]);
  if (!throttle.allowed) return { ok: false, status: 403, reason: 'Too Many Failed Attempts' };
  if (credentials.username !== target.user) return { ok: false, status: 403, reason: 'Forbidden' };
  const known = found !== null && target.account !== null && found.device.account_id === target.account.id && found.ha1.realm === target.realm ? found : null;
  const verdict = await digest.authenticate(
    { credentials, method: request.method, realm: target.realm, ha1: digestHa1(known?.ha1), ...(services.strictUri ? { requestUri: request.uri } : {}) },
    services.nonces,
  );
  if (!verdict.ok) {
    if (verdict.reason === 'stale') return challenge(true);
    if (FAILURES.has(verdict.reason)) await directory.throttle.failed(attempt, failureReason(verdict.reason, target.account, known));
    // wrong password, unknown user or realm, forged or replayed nonce: a fresh challenge, as RFC 7616 §3.3 suggests
    return challenge();
  }
  await directory.throttle.succeeded(attempt);
  if (known === null) return challenge();
  if (target.account?.enabled !== true) return { ok: false, status: 403, reason: 'Account Disabled' };
  if (!known.device.enabled) return { ok: false, status: 403, reason: 'Device Disabled' };
  return { ok: true, device: known.device };
}

/** The stored HA1s as digest wants them; none for an unknown identity (digest then uses a stand-in). */
function digestHa1(ha1: SipHa1 | undefined): { MD5?: string; 'SHA-256'?: string } {
  return ha1 === undefined ? {} : { MD5: ha1.md5, 'SHA-256': ha1.sha256 };
}

function failureReason(reason: DigestFailure, account: Account | null, known: unknown): string {
  if (account === null) return 'unknown_realm';
  if (known === null) return 'unknown_user';
  return reason === 'wrong_response' ? 'wrong_password' : reason;
}
