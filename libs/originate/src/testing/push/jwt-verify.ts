import { createPublicKey, verify, type KeyObject } from 'node:crypto';

export interface DecodedJwt {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

/** Checks a compact JWS against a public key; undefined when it is malformed or the signature is wrong. */
export function verifyJwt(token: string, alg: 'ES256' | 'RS256', publicKey: KeyObject | string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [h, c, s] = parts as [string, string, string];
  try {
    const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as Record<string, unknown>;
    if (header['alg'] !== alg) return undefined;
    const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
    const ok = verify('sha256', Buffer.from(`${h}.${c}`), alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : key, Buffer.from(s, 'base64url'));
    return ok ? { header, claims: JSON.parse(Buffer.from(c, 'base64url').toString()) as Record<string, unknown> } : undefined;
  } catch {
    return undefined;
  }
}
