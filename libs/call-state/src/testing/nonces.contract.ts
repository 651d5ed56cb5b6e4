import { randomBytes } from 'node:crypto';
import { type HarnessFactory, type StoreHarness, expectCode } from './store-harness';

const nonce = (): string => randomBytes(36).toString('base64url');

export function noncesContract(makeHarness: HarnessFactory): void {
  describe('nonce counts', () => {
    let h: StoreHarness;
    beforeEach(async () => {
      h = await makeHarness();
    });
    afterEach(() => h.store.close());

    it('accepts a growing nonce-count and refuses a repeated or lower one', async () => {
      const { nonces } = h.store;
      const n = nonce();
      expect(await nonces.accept(n, 1, 60_000)).toBe(true);
      expect(await nonces.accept(n, 1, 60_000)).toBe(false);
      expect(await nonces.accept(n, 3, 60_000)).toBe(true);
      expect(await nonces.accept(n, 2, 60_000)).toBe(false);
      expect(await nonces.accept(nonce(), 1, 60_000)).toBe(true);
    });

    it('lets exactly one of many concurrent uses of the same count through', async () => {
      const n = nonce();
      const results = await Promise.all(Array.from({ length: 25 }, () => h.store.nonces.accept(n, 7, 60_000)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('still refuses a used count after 12,000 other nonces were recorded', async () => {
      const n = nonce();
      expect(await h.store.nonces.accept(n, 1, 60_000)).toBe(true);
      for (let i = 0; i < 12_000; i += 500) await Promise.all(Array.from({ length: 500 }, () => h.store.nonces.accept(nonce(), 1, 60_000)));
      expect(await h.store.nonces.accept(n, 1, 60_000)).toBe(false);
    });

    it('forgets a nonce once its lifetime has passed', async () => {
      const n = nonce();
      expect(await h.store.nonces.accept(n, 5, 300)).toBe(true);
      await h.advance(100);
      expect(await h.store.nonces.accept(n, 5, 300)).toBe(false);
      await h.advance(400);
      expect(await h.store.nonces.accept(n, 1, 300)).toBe(true);
    });

    it('rejects malformed nonces, counts and lifetimes', async () => {
      await expectCode(h.store.nonces.accept('a}b{c', 1, 1000), 'invalid_input');
      await expectCode(h.store.nonces.accept('x'.repeat(129), 1, 1000), 'invalid_input');
      await expectCode(h.store.nonces.accept(nonce(), 0, 1000), 'invalid_input');
      await expectCode(h.store.nonces.accept(nonce(), 2 ** 32, 1000), 'invalid_input');
      await expectCode(h.store.nonces.accept(nonce(), 1, 0), 'invalid_input');
    });
  });
}
