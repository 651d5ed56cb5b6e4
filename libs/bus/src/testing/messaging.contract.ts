import { waitFor } from '@legwork/common/testing';
import { z } from 'zod';
import { callEventBindingKey, callEventRoutingKey } from '@legwork/contracts';
import { DEAD_LETTER_HEADERS } from '../bus.topology';
import { isBusError } from '../bus.error';
import type { ContractContext } from './contract.context';
import { gate, sleep } from './wait';

const Job = z.object({ n: z.number() });

/** Publish, routing, consumers and dead-lettering: identical behaviour expected from every driver. */
export function messagingContract(t: ContractContext): void {
  it('delivers a published message to a bound queue with its context', async () => {
    const bus = await t.open();
    await t.queue(bus, 'work', { bindings: [{ exchange: 'callmgr', routingKey: 'originate.resource.req' }] });
    const { got } = await t.collectInto(bus, 'work', Job);
    await bus.publish('callmgr', 'originate.resource.req', { n: 1 }, { headers: { 'x-trace': 'abc' } });
    await waitFor(() => got.length === 1, { message: 'delivery' });
    expect(got[0]!.msg).toEqual({ n: 1 });
    expect(got[0]!.ctx).toMatchObject({ exchange: 'callmgr', routingKey: 'originate.resource.req', queue: 'work', redelivered: false });
    expect(got[0]!.ctx.headers['x-trace']).toBe('abc');
  });

  it('routes topic wildcards (* one word, # zero or more) and direct keys exactly', async () => {
    const bus = await t.open();
    await t.queue(bus, 'star', { bindings: [{ exchange: 'callevt', routingKey: 'call.*.abc' }] });
    await t.queue(bus, 'hash', { bindings: [{ exchange: 'callevt', routingKey: 'call.#' }] });
    await t.queue(bus, 'node1', { bindings: [{ exchange: 'callctl', routingKey: 'node1' }] });
    const star = await t.collectInto(bus, 'star', Job);
    const hash = await t.collectInto(bus, 'hash', Job);
    const node1 = await t.collectInto(bus, 'node1', Job);
    await bus.publish('callevt', 'call.CHANNEL_CREATE.abc', { n: 1 });
    await bus.publish('callevt', 'call.CHANNEL_CREATE.x%2Ey', { n: 2 });
    await bus.publish('callevt', 'call', { n: 3 });
    await bus.publish('callevt', 'call.a.b.abc', { n: 4 });
    await bus.publish('callctl', 'node1', { n: 5 });
    await expect(bus.publish('callctl', 'node2', { n: 6 })).rejects.toMatchObject({ code: 'bus_unroutable' });
    await waitFor(() => hash.got.length === 4 && star.got.length === 1 && node1.got.length === 1, { message: 'routed deliveries' });
    await sleep(50);
    expect(star.got.map((g) => g.msg.n)).toEqual([1]);
    expect(hash.got.map((g) => g.msg.n).sort()).toEqual([1, 2, 3, 4]);
    expect(node1.got.map((g) => g.msg.n)).toEqual([5]);
  });

  it('routes a per-call binding on a Kazoo-encoded Call-ID to that call only; call.*.* sees every call', async () => {
    const bus = await t.open();
    const id = 'a b@c.d*#%+/é';
    await t.queue(bus, 'one', { bindings: [{ exchange: 'callevt', routingKey: callEventBindingKey('*', id) }] });
    await t.queue(bus, 'all', { bindings: [{ exchange: 'callevt', routingKey: callEventBindingKey('*', '*') }] });
    const one = await t.collectInto(bus, 'one', Job);
    const all = await t.collectInto(bus, 'all', Job);
    await bus.publish('callevt', callEventRoutingKey('CHANNEL_CREATE', id), { n: 1 }, { headers: { 'call-id': id } });
    await bus.publish('callevt', callEventRoutingKey('CHANNEL_CREATE', 'a b@c'), { n: 2 });
    await bus.publish('callevt', callEventRoutingKey('CHANNEL_ANSWER', id), { n: 3 });
    await waitFor(() => all.got.length === 3 && one.got.length === 2, { message: 'per-call and wildcard deliveries' });
    await sleep(50);
    expect(one.got.map((g) => g.msg.n)).toEqual([1, 3]);
    expect(one.got[0]!.ctx.headers['call-id']).toBe(id);
    expect(one.got[0]!.ctx.routingKey).toBe('call.CHANNEL_CREATE.a+b%40c%2Ed%2A%23%25%2B%2F%C3%A9');
    expect(all.got.map((g) => g.msg.n).sort()).toEqual([1, 2, 3]);
  });

  it("keeps Kazoo's exchanges declared with their types: the same type again is accepted, another refused", async () => {
    const bus = await t.open();
    await expect(bus.declareExchange('callevt', 'topic')).resolves.toBeUndefined();
    await expect(bus.declareExchange('targeted', 'direct')).resolves.toBeUndefined();
    await expect(bus.declareExchange('callctl', 'fanout')).rejects.toMatchObject({ code: 'bus_topology' });
    await t.queue(bus, 'ctl', { bindings: [{ exchange: 'callctl', routingKey: 'node1' }] });
    await expect(bus.publish('callctl', 'node1', { n: 1 })).resolves.toBeUndefined();
  });

  it('gives each message on a shared queue to exactly one of the competing consumers', async () => {
    const [a, b] = [await t.open(), await t.open()];
    await t.queue(a, 'shared', { bindings: [{ exchange: 'callmgr', routingKey: 'originate.resource.req' }] });
    const seen: Array<{ who: string; n: number }> = [];
    const slow = (who: string) => async (m: { n: number }) => {
      seen.push({ who, n: m.n });
      await sleep(5);
    };
    await a.consume('shared', Job, slow('a'), { prefetch: 1 });
    await b.consume('shared', Job, slow('b'), { prefetch: 1 });
    for (let n = 0; n < 20; n++) await a.publish('callmgr', 'originate.resource.req', { n });
    await waitFor(() => seen.length === 20, { message: '20 deliveries' });
    await sleep(50);
    expect(seen.map((s) => s.n).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(seen.some((s) => s.who === 'a') && seen.some((s) => s.who === 'b')).toBe(true);
  });

  it('rejects unroutable mandatory publishes, unknown exchanges and unserializable bodies', async () => {
    const bus = await t.open();
    const err = await bus.publish('callmgr', 'nobody.listens', { n: 1 }).catch((e: unknown) => e);
    expect(isBusError(err, 'bus_unroutable')).toBe(true);
    await expect(bus.publish('callmgr', 'nobody.listens', { n: 1 }, { mandatory: false })).resolves.toBeUndefined();
    await expect(bus.publish('nosuch', 'x', { n: 1 })).rejects.toMatchObject({ code: 'bus_unknown_exchange' });
    await expect(bus.publish('callmgr', 'x', { n: BigInt(1) })).rejects.toMatchObject({ code: 'bus_invalid_message' });
  });

  it('stops routing after unbind and honours extra declared exchanges', async () => {
    const bus = await t.open();
    await t.queue(bus, 'q', { bindings: [{ exchange: 'callctl', routingKey: 'k' }] });
    await bus.unbindQueue('q', 'callctl', 'k');
    await expect(bus.publish('callctl', 'k', { n: 1 })).rejects.toMatchObject({ code: 'bus_unroutable' });
    await bus.declareExchange('extra', 'fanout');
    await bus.bindQueue('q', 'extra', '');
    const { got } = await t.collectInto(bus, 'q', Job);
    await bus.publish('extra', 'anything', { n: 2 });
    await waitFor(() => got.length === 1, { message: 'fanout delivery' });
  });

  it('dead-letters a message failing the schema with the reason, and keeps consuming', async () => {
    const bus = await t.open();
    await t.queue(bus, 'work', { bindings: [{ exchange: 'callmgr', routingKey: 'job' }] });
    const dead = await t.deadLetters(bus);
    const { got } = await t.collectInto(bus, 'work', Job);
    await bus.publish('callmgr', 'job', { n: 'not a number' });
    await bus.publish('callmgr', 'job', { n: 2 });
    await waitFor(() => dead.length === 1 && got.length === 1, { message: 'dead letter and next delivery' });
    expect(got[0]!.msg.n).toBe(2);
    expect(dead[0]!.msg).toEqual({ n: 'not a number' });
    const h = dead[0]!.ctx.headers;
    expect(String(h[DEAD_LETTER_HEADERS.reason])).toMatch(/^schema_mismatch: n: /);
    expect(h[DEAD_LETTER_HEADERS.exchange]).toBe('callmgr');
    expect(h[DEAD_LETTER_HEADERS.routingKey]).toBe('job');
    expect(h[DEAD_LETTER_HEADERS.queue]).toBe('work');
  });

  it('dead-letters a message whose handler throws, with the error as reason', async () => {
    const bus = await t.open();
    await t.queue(bus, 'work', { bindings: [{ exchange: 'callmgr', routingKey: 'job' }] });
    const dead = await t.deadLetters(bus);
    const ok: number[] = [];
    await bus.consume('work', Job, async (m) => {
      if (m.n === 1) throw new Error('boom');
      ok.push(m.n);
    });
    await bus.publish('callmgr', 'job', { n: 1 });
    await bus.publish('callmgr', 'job', { n: 2 });
    await waitFor(() => dead.length === 1 && ok.length === 1, { message: 'dead letter and next delivery' });
    expect(dead[0]!.ctx.headers[DEAD_LETTER_HEADERS.reason]).toBe('handler_error: boom');
    expect(ok).toEqual([2]);
  });

  it('respects prefetch: no more unacked deliveries than allowed per consumer', async () => {
    const bus = await t.open();
    await t.queue(bus, 'work', { bindings: [{ exchange: 'callmgr', routingKey: 'job' }] });
    const hold = gate();
    let active = 0;
    let peak = 0;
    let done = 0;
    await bus.consume('work', Job, async () => {
      peak = Math.max(peak, ++active);
      await hold.promise;
      active--;
      done++;
    }, { prefetch: 2 });
    for (let n = 0; n < 6; n++) await bus.publish('callmgr', 'job', { n });
    await waitFor(() => active === 2, { message: 'two handlers busy' });
    await sleep(100);
    expect(active).toBe(2);
    hold.open();
    await waitFor(() => done === 6, { message: 'all handled' });
    expect(peak).toBe(2);
  });

  it('dead-letters expired messages of a TTL queue to its own target (delay queues)', async () => {
    const bus = await t.open();
    await t.queue(bus, 'delay', { ttlMs: 50, deadLetter: { exchange: 'callctl', routingKey: 'retry' }, bindings: [{ exchange: 'callctl', routingKey: 'delay' }] });
    await t.queue(bus, 'retry', { bindings: [{ exchange: 'callctl', routingKey: 'retry' }] });
    const { got } = await t.collectInto(bus, 'retry', Job);
    await bus.publish('callctl', 'delay', { n: 7 });
    await waitFor(() => got.length === 1, { message: 'message after its delay' });
    expect(got[0]!.msg.n).toBe(7);
    expect(got[0]!.ctx.routingKey).toBe('retry');
  });

  it('stops delivering to a cancelled consumer; the queue keeps the messages', async () => {
    const bus = await t.open();
    await t.queue(bus, 'work', { bindings: [{ exchange: 'callmgr', routingKey: 'job' }] });
    const first = await t.collectInto(bus, 'work', Job);
    await first.consumer.cancel();
    await bus.publish('callmgr', 'job', { n: 1 });
    const second = await t.collectInto(bus, 'work', Job);
    await waitFor(() => second.got.length === 1, { message: 'delivery to the new consumer' });
    expect(first.got).toHaveLength(0);
  });
}
