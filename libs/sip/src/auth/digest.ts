import { randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { parseUri, serializeUri } from '../message/sip-uri';
import { AuthError } from './auth.errors';
import type { DigestCredentials } from './digest-credentials';
import { DIGEST_ALGORITHMS, type DigestAlgorithm, digestAlgorithm, digestHa1, digestResponse } from './digest-hash';
import { NonceIssuer } from './digest-nonce';
import { type NonceCounter, NonceCountTracker } from './nonce-count.tracker';

export interface DigestOptions {
  /** HMAC key for nonces; every node of a cluster must share it. */
  secret: string;
  nonceTtlSeconds?: number;
  /** Offered in this order; default SHA-256 then MD5 (RFC 8760 §2.4). */
  algorithms?: DigestAlgorithm[];
  /** Epoch milliseconds. */
  now?: () => number;
}

const optionsSchema = z.object({
  secret: z.string().min(16, 'secret must be at least 16 characters'),
  nonceTtlSeconds: z.number().int().min(1).max(86_400).default(300),
  algorithms: z.array(z.enum(DIGEST_ALGORITHMS)).min(1).default([...DIGEST_ALGORITHMS]),
});

export type DigestFailure =
  | 'unsupported_algorithm'
  | 'unsupported_qop'
  | 'realm_mismatch'
  | 'bad_nonce'
  | 'bad_opaque'
  | 'uri_mismatch'
  | 'wrong_response'
  | 'stale'
  | 'replay';

export type DigestVerdict = { ok: true; username: string; algorithm: DigestAlgorithm } | { ok: false; reason: DigestFailure };

/** A response that proved the secret, with what replay tracking needs: the nonce, its count and how long it stays valid. */
export type DigestCheck = { ok: true; username: string; algorithm: DigestAlgorithm; nonce: string; nc: number; ttlMs: number } | { ok: false; reason: DigestFailure };

/** HA1 = H(username:realm:password) per algorithm, as a registrar stores it instead of the password. */
export type DigestHa1 = Partial<Record<DigestAlgorithm, string>>;

export type DigestVerifyInput = {
  credentials: DigestCredentials;
  method: string;
  realm: string;
  /** When given, the digest-uri must designate the same resource. */
  requestUri?: string;
} & ({ /** Plaintext secret; HA1 is derived per algorithm. */ password: string; ha1?: never } | { ha1: DigestHa1; password?: never });

const NC_PATTERN = /^[0-9a-fA-F]{8}$/;
/** Replay tracking outlives the nonce by this much, for nodes whose clocks run a little behind the issuer's. */
const CLOCK_SKEW_MS = 30_000;

/** Server side of HTTP Digest for SIP (RFC 3261 §22, RFC 7616, RFC 8760) with stateless nonces. */
export class DigestAuthenticator {
  private readonly nonces: NonceIssuer;
  /** For verify(): replays of one process only; authenticate() takes the shared counter. */
  private readonly localCounts = new NonceCountTracker();
  private readonly algorithms: DigestAlgorithm[];
  private readonly now: () => number;

  constructor(options: DigestOptions) {
    const parsed = optionsSchema.safeParse({ secret: options.secret, nonceTtlSeconds: options.nonceTtlSeconds, algorithms: options.algorithms });
    if (!parsed.success) throw new AuthError('invalid_config', `invalid digest options: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
    this.now = options.now ?? Date.now;
    this.nonces = new NonceIssuer(parsed.data.secret, parsed.data.nonceTtlSeconds * 1000, this.now);
    this.algorithms = parsed.data.algorithms;
  }

  /** One WWW-Authenticate value per algorithm, sharing one fresh nonce. */
  challenge(realm: string, opts: { stale?: boolean } = {}): string[] {
    const nonce = this.nonces.issue(realm);
    const opaque = this.nonces.opaque(realm);
    const stale = opts.stale === true ? ', stale=true' : '';
    return this.algorithms.map((alg) => `Digest realm="${quoteSafe(realm)}", nonce="${nonce}", opaque="${opaque}", algorithm=${alg}, qop="auth"${stale}`);
  }

  /** Checks the answer and refuses replays through `counter`, which every node of a cluster shares. */
  async authenticate(input: DigestVerifyInput, counter: NonceCounter): Promise<DigestVerdict> {
    const checked = this.check(input);
    if (!checked.ok) return checked;
    if (!(await counter.accept(checked.nonce, checked.nc, checked.ttlMs))) return { ok: false, reason: 'replay' };
    return { ok: true, username: checked.username, algorithm: checked.algorithm };
  }

  /** Like authenticate(), with replays tracked in this process only (a UA verifying its own peers). */
  verify(input: DigestVerifyInput): DigestVerdict {
    const checked = this.check(input);
    if (!checked.ok) return checked;
    if (!this.localCounts.accept(checked.nonce, checked.nc, checked.ttlMs, this.now())) return { ok: false, reason: 'replay' };
    return { ok: true, username: checked.username, algorithm: checked.algorithm };
  }

  /** Everything but replay tracking: algorithm, qop, realm, nonce, opaque, uri and the response itself. */
  check(input: DigestVerifyInput): DigestCheck {
    const { credentials: c, realm } = input;
    const algorithm = digestAlgorithm(c.algorithm);
    if (algorithm === undefined || !this.algorithms.includes(algorithm)) return { ok: false, reason: 'unsupported_algorithm' };
    if (c.qop?.toLowerCase() !== 'auth' || c.nc === undefined || !NC_PATTERN.test(c.nc) || c.cnonce === undefined || c.cnonce.length === 0) {
      return { ok: false, reason: 'unsupported_qop' };
    }
    if (c.realm !== realm) return { ok: false, reason: 'realm_mismatch' };
    const nonceState = this.nonces.check(c.nonce, realm);
    if (nonceState === 'invalid') return { ok: false, reason: 'bad_nonce' };
    if (c.opaque !== undefined && c.opaque !== this.nonces.opaque(realm)) return { ok: false, reason: 'bad_opaque' };
    if (input.requestUri !== undefined && !sameResource(c.uri, input.requestUri)) return { ok: false, reason: 'uri_mismatch' };
    const stored = input.password === undefined ? input.ha1[algorithm] : undefined;
    const ha1 = input.password !== undefined ? digestHa1(algorithm, c.username, realm, input.password) : (stored ?? MISSING_HA1[algorithm]);
    const expected = digestResponse({ algorithm, ha1, method: input.method, uri: c.uri, nonce: c.nonce, nc: c.nc, cnonce: c.cnonce, qop: 'auth' });
    if (!constantTimeEqual(expected, c.response.toLowerCase()) || (input.password === undefined && stored === undefined)) return { ok: false, reason: 'wrong_response' };
    // stale only once the response proved the password: the client may retry silently (RFC 7616 §3.3)
    if (nonceState === 'expired') return { ok: false, reason: 'stale' };
    const ttlMs = Math.max(1, this.nonces.expiresAt(c.nonce) - this.now()) + CLOCK_SKEW_MS;
    return { ok: true, username: c.username, algorithm, nonce: c.nonce, nc: parseInt(c.nc, 16), ttlMs };
  }
}

/** Stands in for an HA1 the caller lacks, so that answer costs the same work as a wrong password. */
const MISSING_HA1: Record<DigestAlgorithm, string> = { MD5: randomBytes(16).toString('hex'), 'SHA-256': randomBytes(32).toString('hex') };

function quoteSafe(text: string): string {
  return text.replace(/["\\]/g, (m) => '\\' + m);
}

function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Exact match, or the same SIP URI once both are normalized (clients differ in escaping and param order). */
function sameResource(digestUri: string, requestUri: string): boolean {
  if (digestUri === requestUri) return true;
  try {
    const a = parseUri(digestUri);
    const b = parseUri(requestUri);
    if (a.kind !== 'sip' || b.kind !== 'sip') return serializeUri(a) === serializeUri(b);
    return a.scheme === b.scheme && a.user === b.user && a.host.toLowerCase() === b.host.toLowerCase() && a.port === b.port;
  } catch {
    return false;
  }
}
