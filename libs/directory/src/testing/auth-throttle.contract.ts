import type { Logger } from '@legwork/common';
import type { AuthAttempt, AuthThrottle, AuthThrottleEvent, AuthThrottlePolicy } from '../throttle/auth-throttle';

export interface ThrottleHarness {
  throttle: AuthThrottle;
  logged: string[];
  events: Array<[AuthThrottleEvent, AuthAttempt]>;
  dispose(): Promise<void>;
}

export type ThrottleFactory = (policy: AuthThrottlePolicy, hooks: { logger: Logger; onEvent: (e: AuthThrottleEvent, a: AuthAttempt) => void }) => Promise<Omit<ThrottleHarness, 'logged' | 'events'>>;

const POLICY: AuthThrottlePolicy = { sourceFailures: 5, sourceWindowSeconds: 60, userFailures: 3, userWindowSeconds: 60, blockSeconds: 1 };

/** The behaviour both throttle drivers (Redis, memory) must share. */
export function authThrottleContract(driver: string, factory: ThrottleFactory): void {
  describe(`auth throttle (${driver})`, () => {
    let h: ThrottleHarness;
    let n = 0;
    const src = () => `10.9.${n}.1`;
    beforeEach(async () => {
      n += 1;
      const logged: string[] = [];
      const events: Array<[AuthThrottleEvent, AuthAttempt]> = [];
      const logger: Logger = { debug: () => undefined, info: () => undefined, error: () => undefined, warn: (_o, msg) => void logged.push(String(msg)) };
      const made = await factory(POLICY, { logger, onEvent: (e, a) => void events.push([e, a]) });
      h = { ...made, logged, events };
    });
    afterEach(() => h.dispose());

    it('allows a source until it has failed sourceFailures times, then refuses it', async () => {
      for (let i = 0; i < POLICY.sourceFailures; i++) {
        expect(await h.throttle.check({ surface: 'rest', source: src(), username: `u${i}` })).toEqual({ allowed: true });
        await h.throttle.failed({ surface: 'rest', source: src(), username: `u${i}` }, 'bad_password');
      }
      const verdict = await h.throttle.check({ surface: 'rest', source: src(), username: 'fresh' });
      expect(verdict).toMatchObject({ allowed: false, by: 'source' });
      expect(await h.throttle.check({ surface: 'rest', source: '10.200.0.1', username: 'fresh' })).toEqual({ allowed: true });
    });

    it('refuses a username guessed from many sources, and a success forgives it', async () => {
      const attempt = (i: number): AuthAttempt => ({ surface: 'sip', source: `10.77.${n}.${i}`, username: 'Alice', realm: 'acme.example' });
      for (let i = 0; i < POLICY.userFailures; i++) await h.throttle.failed(attempt(i), 'bad_password');
      expect(await h.throttle.check({ ...attempt(99), username: 'alice' })).toMatchObject({ allowed: false, by: 'username' });
      expect(await h.throttle.check({ ...attempt(99), realm: 'other.example' })).toEqual({ allowed: true });
      await h.throttle.succeeded(attempt(0));
      expect(await h.throttle.check(attempt(99))).toEqual({ allowed: true });
    });

    it('unblocks once the block has passed', async () => {
      for (let i = 0; i <= POLICY.sourceFailures; i++) await h.throttle.failed({ surface: 'rest', source: src() }, 'bad_key');
      expect((await h.throttle.check({ surface: 'rest', source: src() })).allowed).toBe(false);
      await new Promise((r) => setTimeout(r, POLICY.blockSeconds * 1000 + 1100));
      expect(await h.throttle.check({ surface: 'rest', source: src() })).toEqual({ allowed: true });
    });

    it('keys IPv6 sources by their /64', async () => {
      for (let i = 0; i < POLICY.sourceFailures; i++) await h.throttle.failed({ surface: 'sip', source: `2001:db8:${n}:1::${i + 1}` }, 'bad_password');
      expect(await h.throttle.check({ surface: 'sip', source: `2001:db8:${n}:1:ffff::9` })).toMatchObject({ allowed: false, by: 'source' });
      expect(await h.throttle.check({ surface: 'sip', source: `2001:db8:${n}:2::1` })).toEqual({ allowed: true });
    });

    it('logs each failure in one greppable line with hostile text made harmless, and reports events', async () => {
      await h.throttle.failed({ surface: 'sip', source: '10.1.2.3', username: 'bob\r\nreason=ok x', realm: 'acme.example' }, 'bad_password');
      expect(h.logged).toEqual(['auth failure surface=sip source=10.1.2.3 username=bob??reason?ok?x realm=acme.example reason=bad_password']);
      await h.throttle.check({ surface: 'sip', source: '10.1.2.3' });
      expect(h.events.map(([e]) => e)).toEqual(['failure']);
    });
  });
}
