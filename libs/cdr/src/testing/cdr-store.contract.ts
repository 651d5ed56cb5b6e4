import { newId } from '@legwork/common';
import type { Cdr, CdrStore } from '../cdr.store';

export interface CdrHarness {
  store: CdrStore;
  retentionMs: number;
  /** Lets retention pass: moves a manual clock or really waits. */
  expire(): Promise<void>;
}

function cdr(accountId: string, createdAt: number, extra: Record<string, unknown> = {}): Cdr {
  const id = `${newId()}-leg`;
  return { id, accountId, createdAt, doc: { call_id: id, hangup_cause: 'NORMAL_CLEARING', ...extra } };
}

/** The behaviour both CDR drivers must share; run once per driver. */
export function describeCdrStoreContract(name: string, factory: () => Promise<CdrHarness>): void {
  describe(`CdrStore contract: ${name}`, () => {
    let h: CdrHarness;
    let account: string;

    beforeEach(async () => {
      h = await factory();
      account = newId();
    });
    afterEach(() => h.store.close());

    it('keeps a record per account and reads it back', async () => {
      const one = cdr(account, 1_700_000_000_000, { custom_application_vars: { foo: 'bar' } });
      expect(await h.store.put(one)).toBe(true);
      expect(await h.store.get(account, one.id)).toEqual(one);
      expect(await h.store.get(newId(), one.id)).toBeNull();
    });

    it('ignores a second write of the same id (redelivered event)', async () => {
      const one = cdr(account, 1_700_000_000_000);
      await h.store.put(one);
      expect(await h.store.put({ ...one, doc: { changed: true } })).toBe(false);
      expect((await h.store.get(account, one.id))?.doc).toEqual(one.doc);
    });

    it('lists newest first, filtered by created range, and pages with a start key', async () => {
      const base = 1_700_000_000_000;
      const all = [0, 1, 2, 3, 4].map((i) => cdr(account, base + i * 1000));
      for (const c of all) await h.store.put(c);
      await h.store.put(cdr(newId(), base));

      const first = await h.store.list(account, { pageSize: 2 });
      expect(first.items.map((c) => c.id)).toEqual([all[4].id, all[3].id]);
      expect(first.nextStartKey).toBeDefined();
      const second = await h.store.list(account, { pageSize: 2, startKey: first.nextStartKey });
      expect(second.items.map((c) => c.id)).toEqual([all[2].id, all[1].id]);
      const third = await h.store.list(account, { pageSize: 2, startKey: second.nextStartKey });
      expect(third.items.map((c) => c.id)).toEqual([all[0].id]);
      expect(third.nextStartKey).toBeUndefined();

      const ranged = await h.store.list(account, { pageSize: 10, createdFrom: base + 1000, createdTo: base + 3000 });
      expect(ranged.items.map((c) => c.id)).toEqual([all[3].id, all[2].id, all[1].id]);
    });

    it('rejects a malformed start key and page size with invalid_input', async () => {
      await expect(h.store.list(account, { pageSize: 2, startKey: 'nope' })).rejects.toMatchObject({ code: 'invalid_input' });
      await expect(h.store.list(account, { pageSize: 0 })).rejects.toMatchObject({ code: 'invalid_input' });
      await expect(h.store.put({ id: '', accountId: account, createdAt: 1, doc: {} })).rejects.toMatchObject({ code: 'invalid_input' });
    });

    it('forgets records after the retention period', async () => {
      const one = cdr(account, Date.now());
      await h.store.put(one);
      await h.expire();
      expect(await h.store.get(account, one.id)).toBeNull();
      expect((await h.store.list(account, { pageSize: 10 })).items).toEqual([]);
    });
  });
}
