import type { EventAppend } from '../event-log';
import { type HarnessFactory, type StoreHarness, expectCode, uid } from './store-harness';

const event = (accountId: string, sequenceId: string, callId: string, name: string, final = false): EventAppend => ({
  accountId, sequenceId, callId, final, payload: JSON.stringify({ 'Event-Name': name, 'Call-ID': callId }),
});

export function eventLogContract(makeHarness: HarnessFactory): void {
  describe('event log', () => {
    let h: StoreHarness;
    afterEach(() => h.store.close());

    it('numbers the events of one call across its legs, one counter per call, and logs them in order', async () => {
      h = await makeHarness();
      const [acct, call, other] = [uid('acct'), uid('call'), uid('call')];
      const a = await h.store.events.append(event(acct, call, call, 'CHANNEL_CREATE'));
      const b = await h.store.events.append(event(acct, call, `${call}-b`, 'CHANNEL_CREATE'));
      const c = await h.store.events.append(event(acct, other, other, 'CHANNEL_CREATE'));
      const d = await h.store.events.append(event(acct, call, call, 'CHANNEL_ANSWER'));
      expect([a?.sequence, b?.sequence, c?.sequence, d?.sequence]).toEqual([1, 2, 1, 3]);
      const page = await h.store.events.readAfter(acct, '0-0', 100);
      expect(page.complete).toBe(true);
      expect(page.events.map((e) => e.cursor)).toEqual([a?.cursor, b?.cursor, c?.cursor, d?.cursor]);
      expect(page.events.map((e) => e.sequence)).toEqual([1, 2, 1, 3]);
      expect(JSON.parse(page.events[1].payload)).toEqual({ 'Event-Name': 'CHANNEL_CREATE', 'Call-ID': `${call}-b` });
      expect(await h.store.events.head(acct)).toBe(d?.cursor);
      expect(await h.store.events.head(uid('empty'))).toBe('0-0');
    });

    it('reads after a cursor, exclusive, at most limit entries, and only the account asked for', async () => {
      h = await makeHarness();
      const [acct, call] = [uid('acct'), uid('call')];
      const cursors: string[] = [];
      for (let i = 0; i < 6; i += 1) cursors.push((await h.store.events.append(event(acct, call, call, `E${i}`)))?.cursor ?? '');
      await h.store.events.append(event(uid('acct'), call, call, 'ELSEWHERE'));
      const page = await h.store.events.readAfter(acct, cursors[1], 3);
      expect(page.events.map((e) => JSON.parse(e.payload)['Event-Name'])).toEqual(['E2', 'E3', 'E4']);
      expect((await h.store.events.readAfter(acct, cursors[5], 10)).events).toEqual([]);
    });

    it('hands out each number once under concurrent appends', async () => {
      h = await makeHarness();
      const [acct, call] = [uid('acct'), uid('call')];
      const results = await Promise.all(Array.from({ length: 30 }, (_, i) => h.store.events.append(event(acct, call, i % 2 === 0 ? call : `${call}-b`, 'X'))));
      expect(results.map((r) => r?.sequence).sort((x, y) => (x ?? 0) - (y ?? 0))).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      expect(new Set(results.map((r) => r?.cursor)).size).toBe(30);
    });

    it('takes one final event per leg, however many enders race', async () => {
      h = await makeHarness();
      const [acct, call] = [uid('acct'), uid('call')];
      const finals = await Promise.all(Array.from({ length: 10 }, () => h.store.events.append(event(acct, call, call, 'CHANNEL_DESTROY', true))));
      expect(finals.filter((f) => f !== null)).toHaveLength(1);
      expect(await h.store.events.append(event(acct, call, call, 'CHANNEL_DESTROY', true))).toBeNull();
      expect((await h.store.events.append(event(acct, call, `${call}-b`, 'CHANNEL_DESTROY', true)))?.sequence).toBe(2);
      const names = (await h.store.events.readAfter(acct, '0-0', 100)).events.map((e) => JSON.parse(e.payload)['Call-ID']);
      expect(names).toEqual([call, `${call}-b`]);
    });

    it('keeps at most maxLength entries per account and says when a cursor fell behind them', async () => {
      h = await makeHarness({ eventLog: { maxLength: 5, maxAgeMs: 600_000 } });
      const [acct, call] = [uid('acct'), uid('call')];
      const cursors: string[] = [];
      for (let i = 0; i < 8; i += 1) cursors.push((await h.store.events.append(event(acct, call, call, `E${i}`)))?.cursor ?? '');
      const all = await h.store.events.readAfter(acct, '0-0', 100);
      expect(all.events.map((e) => e.cursor)).toEqual(cursors.slice(3));
      expect(all.complete).toBe(false);
      expect((await h.store.events.readAfter(acct, cursors[1], 100)).complete).toBe(false);
      const caughtUp = await h.store.events.readAfter(acct, cursors[2], 100);
      expect(caughtUp).toEqual({ complete: true, events: all.events });
    });

    it('drops entries older than maxAgeMs', async () => {
      h = await makeHarness({ eventLog: { maxLength: 100, maxAgeMs: 1000 } });
      const [acct, call] = [uid('acct'), uid('call')];
      const old = await h.store.events.append(event(acct, call, call, 'OLD'));
      await h.advance(1500);
      const fresh = await h.store.events.append(event(acct, call, call, 'NEW'));
      const page = await h.store.events.readAfter(acct, '0-0', 100);
      expect(page.events.map((e) => e.cursor)).toEqual([fresh?.cursor]);
      expect(page.complete).toBe(false);
      expect((await h.store.events.readAfter(acct, old?.cursor ?? '', 100)).complete).toBe(true);
    });

    it('remembers the newest of many entries aged out at once, so only a cursor behind it is incomplete', async () => {
      h = await makeHarness({ eventLog: { maxLength: 1000, maxAgeMs: 1000 } });
      const [acct, call] = [uid('acct'), uid('call')];
      const old: string[] = [];
      for (let i = 0; i < 250; i++) old.push((await h.store.events.append(event(acct, call, call, `OLD${i}`)))?.cursor ?? '');
      await h.advance(1500);
      const fresh = await h.store.events.append(event(acct, call, call, 'NEW'));
      expect((await h.store.events.readAfter(acct, '0-0', 10)).events.map((e) => e.cursor)).toEqual([fresh?.cursor]);
      expect((await h.store.events.readAfter(acct, old[248] ?? '', 10)).complete).toBe(false);
      expect(await h.store.events.readAfter(acct, old[249] ?? '', 10)).toEqual({ complete: true, events: [expect.objectContaining({ cursor: fresh?.cursor })] });
    });

    it('refuses malformed cursors, limits and events with invalid_input', async () => {
      h = await makeHarness();
      const acct = uid('acct');
      for (const cursor of ['', 'abc', '1-2-3', '(0-0', '+', '1'.repeat(16) + '-0', '0-0\r\n']) await expectCode(h.store.events.readAfter(acct, cursor, 10), 'invalid_input');
      await expectCode(h.store.events.readAfter(acct, '0-0', 0), 'invalid_input');
      await expectCode(h.store.events.readAfter(acct, '0-0', 1.5), 'invalid_input');
      await expectCode(h.store.events.readAfter('', '0-0', 10), 'invalid_input');
      await expectCode(h.store.events.append({ ...event(acct, 'c', 'c', 'X'), accountId: '' }), 'invalid_input');
      await expectCode(h.store.events.append({ ...event(acct, 'c', 'c', 'X'), payload: '' }), 'invalid_input');
    });
  });
}
