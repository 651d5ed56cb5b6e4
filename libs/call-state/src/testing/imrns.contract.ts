import { randomBytes } from 'node:crypto';
import type { ImrnBinding } from '../call-store';
import { type HarnessFactory, type StoreHarness, expectCode } from './store-harness';

/** A pool of fresh numbers, so runs on a shared Redis never meet. */
const pool = (size: number): string[] => {
  const base = 3_200_000_000 + Number.parseInt(randomBytes(3).toString('hex'), 16) * 100;
  return Array.from({ length: size }, (_, i) => `+${base + i}`);
};
const binding = (phoneNumber = '+3225126778'): ImrnBinding => ({ accountId: 'acct-1', userId: 'user-1', phoneNumber, callingPhoneNumber: '+3225126780' });

export function imrnsContract(makeHarness: HarnessFactory): void {
  describe('IMRN reservations', () => {
    let h: StoreHarness;
    beforeEach(async () => {
      h = await makeHarness();
    });
    afterEach(() => h.store.close());

    it('reserves each free number once, gives it back on claim, and answers null once the pool is exhausted', async () => {
      const numbers = pool(2);
      const { imrns } = h.store;
      expect(await imrns.allocate(numbers, binding('+1'), 60_000)).toBe(numbers[0]);
      expect(await imrns.allocate(numbers, binding('+2'), 60_000)).toBe(numbers[1]);
      expect(await imrns.allocate(numbers, binding('+3'), 60_000)).toBeNull();
      expect(await imrns.claim(numbers[0])).toEqual(binding('+1'));
      // used: a second call to the same number finds nothing, and the number is free again
      expect(await imrns.claim(numbers[0])).toBeNull();
      expect(await imrns.allocate(numbers, binding('+4'), 60_000)).toBe(numbers[0]);
    });

    it('hands each number to exactly one of many concurrent allocations', async () => {
      const numbers = pool(5);
      const got = await Promise.all(Array.from({ length: 12 }, (_, i) => h.store.imrns.allocate(numbers, binding(`+${i}`), 60_000)));
      expect(got.filter((n) => n !== null).sort()).toEqual([...numbers].sort());
    });

    it('lets exactly one of many concurrent claims take a reservation', async () => {
      const [imrn] = pool(1);
      await h.store.imrns.allocate([imrn], binding(), 60_000);
      const claims = await Promise.all(Array.from({ length: 10 }, () => h.store.imrns.claim(imrn)));
      expect(claims.filter((c) => c !== null)).toHaveLength(1);
    });

    it('frees a reservation past its lifetime: a claim then finds nothing and the number can be reserved again', async () => {
      const numbers = pool(1);
      expect(await h.store.imrns.allocate(numbers, binding(), 300)).toBe(numbers[0]);
      await h.advance(400);
      expect(await h.store.imrns.claim(numbers[0])).toBeNull();
      expect(await h.store.imrns.allocate(numbers, binding(), 300)).toBe(numbers[0]);
    });

    it('claims nothing for a number that was never reserved or is no number', async () => {
      expect(await h.store.imrns.claim(pool(1)[0])).toBeNull();
      expect(await h.store.imrns.claim('a}b{c')).toBeNull();
    });

    it('rejects malformed pools, bindings and lifetimes', async () => {
      await expectCode(h.store.imrns.allocate(['3236548200'], binding(), 1000), 'invalid_input');
      await expectCode(h.store.imrns.allocate(pool(1), { ...binding(), phoneNumber: '+1\r\nX: y' }, 1000), 'invalid_input');
      await expectCode(h.store.imrns.allocate(pool(1), { ...binding(), accountId: 'a}b' }, 1000), 'invalid_input');
      await expectCode(h.store.imrns.allocate(pool(1), binding(), 0), 'invalid_input');
    });
  });
}
