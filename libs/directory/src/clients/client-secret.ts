import { createHmac, randomBytes } from 'node:crypto';
import type { SecretKeyring } from '../secrets/secret-keys';

/** 32 random bytes, base64url: what a client presents on every request (Basic auth password, Bearer, client_secret). */
export const CLIENT_SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * `<kid>:HMAC-SHA256(key, secret)`: a keyed hash, fast enough to check on every request. The secret has 256 bits
 * of entropy, so nothing slow is needed against guessing; the key keeps a store dump from confirming a secret offline.
 */
export function clientSecretHash(keyring: SecretKeyring, keyId: string, secret: string): string | undefined {
  const key = keyring.key(keyId, 'apiClientSecret');
  return key === undefined ? undefined : `${keyId}:${createHmac('sha256', key).update(secret, 'utf8').digest('hex')}`;
}
