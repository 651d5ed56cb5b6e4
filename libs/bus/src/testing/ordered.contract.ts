import { waitFor } from '@legwork/common/testing';
import { z } from 'zod';
import type { Consumer } from '../bus.driver';
import type { ContractContext } from './contract.context';

const Item = z.object({ key: z.string(), i: z.number() });
type Item = z.output<typeof Item>;
const KEYS = 8;
const PER_KEY = 40;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Single-active-consumer queues consumed in key order, handed over on cancel: identical on every driver. */
export function orderedContract(t: ContractContext): void {
  it('feeds one consumer at a time and hands over on cancel with no message reordered, lost or repeated', async () => {
    const [a, b] = [await t.open({ nodeId: 'a' }), await t.open({ nodeId: 'b' })];
    await t.queue(a, 'sac', { singleActiveConsumer: true, bindings: [{ exchange: 'callmgr', routingKey: 'sac' }] });
    const seen = new Map<string, number[]>();
    const by = { a: 0, b: 0 };
    let handover: Promise<void> | undefined;
    let bBeforeHandover = -1;
    const handler = (who: 'a' | 'b') => async (m: Item) => {
      // Some slow messages, so the handover finds handlers running and others queued behind them.
      await sleep(m.i % 10 === 0 ? 100 : 3);
      by[who]++;
      seen.set(m.key, [...(seen.get(m.key) ?? []), m.i]);
      if (who === 'a' && by.a === 60) {
        bBeforeHandover = by.b;
        handover = ca.cancel();
      }
    };
    // Messages are published only once both consumers are registered, so `ca` is set before any handler runs.
    const ca: Consumer = await a.consume('sac', Item, handler('a'), { prefetch: 20, orderKey: (m) => m.key });
    await b.consume('sac', Item, handler('b'), { prefetch: 20, orderKey: (m) => m.key });
    expect(await a.queueConsumers('sac')).toBe(2);
    for (let i = 0; i < PER_KEY; i++) for (let k = 0; k < KEYS; k++) await a.publish('callmgr', 'sac', { key: `k${k}`, i });
    await waitFor(() => handover !== undefined, { timeoutMs: 20_000 });
    // Only the first registered consumer is active until it goes.
    expect(bBeforeHandover).toBe(0);
    await handover;
    await waitFor(() => by.a + by.b >= KEYS * PER_KEY, { timeoutMs: 30_000 });
    await sleep(200);
    expect(by.b).toBeGreaterThan(0);
    const expected = Array.from({ length: PER_KEY }, (_, i) => i);
    for (let k = 0; k < KEYS; k++) expect(seen.get(`k${k}`)).toEqual(expected);
    expect(await a.queueConsumers('sac')).toBe(1);
    await expect(a.queueConsumers('no-such-queue')).rejects.toMatchObject({ code: 'bus_topology' });
  });

  it('runs one message per key at a time and other keys in parallel', async () => {
    const bus = await t.open();
    await t.queue(bus, 'keyed', { bindings: [{ exchange: 'callmgr', routingKey: 'keyed' }] });
    const running = new Map<string, number>();
    let maxPerKey = 0;
    let maxAll = 0;
    let done = 0;
    await bus.consume('keyed', Item, async (m) => {
      running.set(m.key, (running.get(m.key) ?? 0) + 1);
      maxPerKey = Math.max(maxPerKey, running.get(m.key) ?? 0);
      maxAll = Math.max(maxAll, [...running.values()].reduce((x, y) => x + y, 0));
      await sleep(10);
      running.set(m.key, (running.get(m.key) ?? 1) - 1);
      done++;
    }, { prefetch: 50, orderKey: (m) => m.key });
    for (let i = 0; i < 10; i++) for (let k = 0; k < 4; k++) await bus.publish('callmgr', 'keyed', { key: `k${k}`, i });
    await waitFor(() => done === 40, { timeoutMs: 20_000 });
    expect(maxPerKey).toBe(1);
    expect(maxAll).toBeGreaterThan(1);
  });
}
