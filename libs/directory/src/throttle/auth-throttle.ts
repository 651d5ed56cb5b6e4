import { isIPv6 } from 'node:net';
import type { Logger } from '@legwork/common';
import type { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';

/** One authentication attempt, as the surface that received it saw it. */
export interface AuthAttempt {
  surface: 'sip' | 'rest';
  /** The peer's address (IP), as the transport saw it. */
  source: string;
  username?: string;
  realm?: string;
}

export type ThrottleVerdict = { allowed: true } | { allowed: false; by: 'source' | 'username'; retryAfterMs: number };

/** Failed-authentication throttling shared by every node (REST logins and SIP digest alike). */
export interface AuthThrottle {
  /** Whether this attempt may be checked at all; refused once its source or username failed too often. */
  check(attempt: AuthAttempt): Promise<ThrottleVerdict>;
  /** Counts a failure against the source and the username, and logs it in one greppable line. */
  failed(attempt: AuthAttempt, reason: string): Promise<void>;
  /** A success forgives the username's failures (the source keeps its count). */
  succeeded(attempt: AuthAttempt): Promise<void>;
}

export interface AuthThrottlePolicy {
  /** Failures allowed per source within sourceWindowSeconds before it is blocked. */
  sourceFailures: number;
  sourceWindowSeconds: number;
  /** Failures allowed per username@realm within userWindowSeconds before it is blocked. */
  userFailures: number;
  userWindowSeconds: number;
  /** How long a source or username stays blocked once over its limit. */
  blockSeconds: number;
}

export const DEFAULT_AUTH_THROTTLE: AuthThrottlePolicy = { sourceFailures: 30, sourceWindowSeconds: 60, userFailures: 10, userWindowSeconds: 300, blockSeconds: 300 };

export type AuthThrottleEvent = 'failure' | 'blocked';

export interface AuthThrottleHooks {
  logger: Logger;
  /** Called per failure and per refused attempt, so an app can count them in its /metrics. */
  onEvent?: (event: AuthThrottleEvent, attempt: AuthAttempt) => void;
}

// Hostile text reaches the log line: keep it printable, short, and free of the separators the line uses.
const logSafe = (value: string | undefined): string => (value === undefined || value === '' ? '-' : value.replace(/[^\x21-\x7e]/g, '?').replace(/[=]/g, '?').slice(0, 96));

function ipv6Groups(addr: string): string[] {
  if (!addr.includes('::')) return addr.split(':');
  const [head = '', tail = ''] = addr.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === '' ? [] : tail.split(':');
  return [...h, ...Array<string>(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t];
}

/** IPv6 peers are keyed by their /64: one host usually owns a whole prefix. */
export function sourceKey(source: string): string {
  const bare = source.replace(/^\[|\]$/g, '').replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');
  if (!isIPv6(bare)) return bare.slice(0, 64);
  return `${ipv6Groups(bare.toLowerCase()).slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

const userKey = (a: AuthAttempt): string | undefined => (a.username === undefined || a.username === '' ? undefined : `${(a.realm ?? '').toLowerCase()}|${a.username.toLowerCase()}`.slice(0, 512));

function blocked(res: RateLimiterRes | null, points: number): number | undefined {
  return res !== null && res.consumedPoints >= points ? Math.max(1, res.msBeforeNext) : undefined;
}

/** The throttle over two rate-limiter-flexible limiters (Redis or memory: the same code path). */
export class LimiterAuthThrottle implements AuthThrottle {
  constructor(
    private readonly bySource: RateLimiterAbstract,
    private readonly byUser: RateLimiterAbstract,
    private readonly policy: AuthThrottlePolicy,
    private readonly hooks: AuthThrottleHooks,
  ) {}

  async check(attempt: AuthAttempt): Promise<ThrottleVerdict> {
    const user = userKey(attempt);
    const [src, usr] = await Promise.all([this.bySource.get(sourceKey(attempt.source)), user === undefined ? null : this.byUser.get(user)]);
    const srcWait = blocked(src, this.policy.sourceFailures);
    const usrWait = blocked(usr, this.policy.userFailures);
    if (srcWait === undefined && usrWait === undefined) return { allowed: true };
    this.hooks.onEvent?.('blocked', attempt);
    return srcWait !== undefined ? { allowed: false, by: 'source', retryAfterMs: srcWait } : { allowed: false, by: 'username', retryAfterMs: usrWait ?? 1 };
  }

  async failed(attempt: AuthAttempt, reason: string): Promise<void> {
    this.hooks.logger.warn(
      { event: 'auth_failure', surface: attempt.surface, source: attempt.source, username: attempt.username, realm: attempt.realm, reason },
      `auth failure surface=${attempt.surface} source=${logSafe(attempt.source)} username=${logSafe(attempt.username)} realm=${logSafe(attempt.realm)} reason=${logSafe(reason)}`,
    );
    this.hooks.onEvent?.('failure', attempt);
    const user = userKey(attempt);
    // consume() rejects with a RateLimiterRes once over the limit; that is the block, not an error
    const swallow = (err: unknown): void => {
      if (err instanceof Error) throw err;
    };
    await Promise.all([this.bySource.consume(sourceKey(attempt.source)).catch(swallow), user === undefined ? undefined : this.byUser.consume(user).catch(swallow)]);
  }

  async succeeded(attempt: AuthAttempt): Promise<void> {
    const user = userKey(attempt);
    if (user !== undefined) await this.byUser.delete(user);
  }
}
