import { createHmac, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { SecretKeyring } from './secret-keys';

/** scrypt cost for user credentials: N = 2^14, r = 8, p = 1 (16 MiB, about 30 ms on one core), 16-byte salt, 32-byte hash. */
export const CREDENTIAL_SCRYPT = { log2N: 14, r: 8, p: 1, saltBytes: 16, hashBytes: 32 } as const;

// `$scrypt$ln=14,r=8,p=1$<salt>$<hash>`, PHC string format, unpadded base64.
const PHC = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]{16,64})\$([A-Za-z0-9+/]{16,128})$/;

function derive(secret: string, salt: Buffer, length: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(secret, salt, length, options, (err, key) => (err ? reject(err) : resolve(key))));
}

/** What scrypt needs (128·N·r bytes) with headroom; node refuses anything above maxmem. */
function scryptMemory(log2N: number, r: number): number {
  return 2 * 128 * 2 ** log2N * r;
}

function b64(buf: Buffer): string {
  return buf.toString('base64').replace(/=+$/, '');
}

/** A salted slow hash of a credential (async: runs on the libuv pool, never blocks the event loop). */
export async function hashCredential(credential: string): Promise<string> {
  const { log2N, r, p, saltBytes, hashBytes } = CREDENTIAL_SCRYPT;
  const salt = randomBytes(saltBytes);
  const hash = await derive(credential, salt, hashBytes, { N: 2 ** log2N, r, p, maxmem: scryptMemory(log2N, r) });
  return `$scrypt$ln=${log2N},r=${r},p=${p}$${b64(salt)}$${b64(hash)}`;
}

/** Constant-time check of a credential against its stored hash; false for any malformed or out-of-bounds hash. */
export async function verifyCredential(credential: string, stored: string): Promise<boolean> {
  const m = PHC.exec(stored);
  if (m === null) return false;
  const [log2N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // Bounds keep a tampered hash from asking for gigabytes or minutes.
  if (log2N < 10 || log2N > 17 || r < 1 || r > 16 || p < 1 || p > 4) return false;
  const salt = Buffer.from(m[4] as string, 'base64');
  const expected = Buffer.from(m[5] as string, 'base64');
  const actual = await derive(credential, salt, expected.length, { N: 2 ** log2N, r, p, maxmem: scryptMemory(log2N, r) });
  return timingSafeEqual(actual, expected);
}

/** User_auth credential methods (Kazoo): md5 or sha1 of "username:password", hex. */
export type CredentialMethod = 'md5' | 'sha';

/**
 * The credentials-index field for a credential under key `keyId`: `<kid>:<HMAC-SHA256>`. Without the
 * server key the index says nothing about the credential, so a store dump is no login token.
 */
export function credentialIndexField(keyring: SecretKeyring, keyId: string, method: CredentialMethod, credential: string): string | undefined {
  const key = keyring.key(keyId, 'credentialIndex');
  return key === undefined ? undefined : `${keyId}:${createHmac('sha256', key).update(`${method}:${credential}`).digest('hex')}`;
}

/** The key id an index field was made with. */
export function indexFieldKeyId(field: string): string {
  return field.slice(0, field.indexOf(':'));
}
