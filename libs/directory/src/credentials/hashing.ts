import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Kazoo's user credentials hash: md5("username:password"). */
export function md5Credentials(username: string, password: string): string {
  return createHash('md5').update(`${username}:${password}`, 'utf8').digest('hex');
}

/** Kazoo's "sha" user_auth credentials: sha1("username:password"). */
export function sha1Credentials(username: string, password: string): string {
  return createHash('sha1').update(`${username}:${password}`, 'utf8').digest('hex');
}

export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

export function randomUrlSafe(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/** Compares without leaking where two strings differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) {
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}
