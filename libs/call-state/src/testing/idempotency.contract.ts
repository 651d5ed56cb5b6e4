import { type HarnessFactory, type StoreHarness, expectCode, uid } from './store-harness';

export function idempotencyContract(makeHarness: HarnessFactory): void {
  describe('idempotency', () => {
    let h: StoreHarness;
    beforeEach(async () => {
      h = await makeHarness();
    });
    afterEach(() => h.store.close());

    it('claims once, reports in-progress, then replays the answer until the TTL ends', async () => {
      const { idempotency } = h.store;
      const [scope, key] = [uid('acct'), uid('key')];
      expect(await idempotency.get(scope, key)).toBeNull();
      expect(await idempotency.claim(scope, key, 1000)).toEqual({ status: 'claimed' });
      expect(await idempotency.claim(scope, key, 1000)).toEqual({ status: 'in_progress' });
      expect(await idempotency.complete(scope, key, { callId: 'abc', legs: 2 })).toBe(true);
      expect(await idempotency.claim(scope, key, 1000)).toEqual({ status: 'done', answer: { callId: 'abc', legs: 2 } });
      expect(await idempotency.get(scope, key)).toEqual({ status: 'done', answer: { callId: 'abc', legs: 2 } });
      expect(await idempotency.claim(uid('acct'), key, 1000)).toEqual({ status: 'claimed' });
      await h.advance(1200);
      expect(await idempotency.get(scope, key)).toBeNull();
      expect(await idempotency.complete(scope, key, 'late')).toBe(false);
      expect(await idempotency.claim(scope, key, 1000)).toEqual({ status: 'claimed' });
    });

    it('remember runs the work once and lets a failed attempt be retried', async () => {
      const { idempotency } = h.store;
      const [scope, key] = [uid('acct'), uid('key')];
      let runs = 0;
      let finish: (value: string) => void = () => undefined;
      const first = idempotency.remember(scope, key, 60_000, () => {
        runs += 1;
        return new Promise<string>((resolve) => (finish = resolve));
      });
      while (runs === 0) await new Promise((r) => setImmediate(r));
      await expectCode(idempotency.remember(scope, key, 60_000, async () => 'second'), 'idempotency_in_progress');
      finish('call-1');
      expect(await first).toEqual({ answer: 'call-1', replayed: false });
      expect(await idempotency.remember(scope, key, 60_000, async () => 'third')).toEqual({ answer: 'call-1', replayed: true });
      expect(runs).toBe(1);

      const other = uid('key');
      await expect(idempotency.remember(scope, other, 60_000, async () => Promise.reject(new Error('trunk down')))).rejects.toThrow('trunk down');
      expect(await idempotency.get(scope, other)).toBeNull();
      expect(await idempotency.remember(scope, other, 60_000, async () => ({ ok: true }))).toEqual({ answer: { ok: true }, replayed: false });
    });

    it('rejects empty scopes, keys and TTLs', async () => {
      await expectCode(h.store.idempotency.claim('', 'k', 100), 'invalid_input');
      await expectCode(h.store.idempotency.claim('s', 'k', 0), 'invalid_input');
    });
  });
}
