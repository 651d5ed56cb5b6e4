import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const TIME_BYTES = 8;
const RANDOM_BYTES = 12;
const MAC_BYTES = 16;
const NONCE_BYTES = TIME_BYTES + RANDOM_BYTES + MAC_BYTES;

export type NonceState = 'valid' | 'expired' | 'invalid';

/**
 * Stateless nonces: base64url(issue time ‖ random ‖ HMAC(secret, time ‖ random ‖ realm)).
 * Any node holding the secret can check them, so a client may authenticate against another node.
 */
export class NonceIssuer {
  constructor(
    private readonly secret: string,
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  issue(realm: string): string {
    const head = Buffer.alloc(TIME_BYTES + RANDOM_BYTES);
    head.writeBigUInt64BE(BigInt(Math.max(0, Math.floor(this.now()))), 0);
    randomBytes(RANDOM_BYTES).copy(head, TIME_BYTES);
    return Buffer.concat([head, this.mac(head, realm)]).toString('base64url');
  }

  check(nonce: string, realm: string): NonceState {
    if (nonce.length > 64 || !/^[A-Za-z0-9_-]+$/.test(nonce)) return 'invalid';
    const raw = Buffer.from(nonce, 'base64url');
    if (raw.length !== NONCE_BYTES) return 'invalid';
    const head = raw.subarray(0, TIME_BYTES + RANDOM_BYTES);
    if (!timingSafeEqual(raw.subarray(TIME_BYTES + RANDOM_BYTES), this.mac(head, realm))) return 'invalid';
    const issued = Number(raw.readBigUInt64BE(0));
    const age = this.now() - issued;
    // a nonce from the future beyond one TTL was not issued by a sane clock of ours
    if (age < -this.ttlMs) return 'invalid';
    return age > this.ttlMs ? 'expired' : 'valid';
  }

  /** When a nonce this issuer made (check() said valid or expired) stops being valid, epoch ms. */
  expiresAt(nonce: string): number {
    return Number(Buffer.from(nonce, 'base64url').readBigUInt64BE(0)) + this.ttlMs;
  }

  /** A per-realm constant the client must echo unchanged. */
  opaque(realm: string): string {
    return createHmac('sha256', this.secret).update(`opaque:${realm}`).digest('base64url').slice(0, 22);
  }

  private mac(head: Buffer, realm: string): Buffer {
    return createHmac('sha256', this.secret).update(head).update(realm, 'utf8').digest().subarray(0, MAC_BYTES);
  }
}
