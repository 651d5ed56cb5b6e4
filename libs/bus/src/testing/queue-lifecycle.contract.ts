import { waitFor } from '@legwork/common/testing';
import { z } from 'zod';
import type { Bus } from '../bus.driver';
import { isBusError } from '../bus.error';
import type { ContractContext } from './contract.context';

const Job = z.object({ n: z.number() });

/** Resolves once a mandatory publish to `key` is refused as unroutable, i.e. its queue is gone. */
async function untilUnroutable(bus: Bus, exchange: string, key: string, timeoutMs = 10_000): Promise<void> {
  await waitFor(async () => {
    const err = await bus.publish(exchange, key, { n: 0 }).then(() => undefined, (e: unknown) => e);
    if (err !== undefined && !isBusError(err, 'bus_unroutable')) throw err;
    return err !== undefined;
  }, { message: `${key} to become unroutable`, timeoutMs });
}

/** Deleting and expiring queues: identical behaviour expected from every driver. */
export function queueLifecycleContract(t: ContractContext): void {
  it('deletes a queue with its bindings and consumers; consuming it afterwards fails cleanly', async () => {
    const bus = await t.open();
    const route = { bindings: [{ exchange: 'callctl', routingKey: 'gone' }] };
    await t.queue(bus, 'gone', route);
    const first = await t.collectInto(bus, 'gone', Job);
    await bus.publish('callctl', 'gone', { n: 1 });
    await waitFor(() => first.got.length === 1, { message: 'delivery before the delete' });
    await bus.deleteQueue('gone');
    await expect(bus.publish('callctl', 'gone', { n: 2 })).rejects.toMatchObject({ code: 'bus_unroutable' });
    await expect(bus.consume('gone', Job, async () => undefined)).rejects.toMatchObject({ code: 'bus_topology' });
    await expect(bus.deleteQueue('gone')).resolves.toBeUndefined();

    await t.queue(bus, 'gone', route);
    const second = await t.collectInto(bus, 'gone', Job);
    await bus.publish('callctl', 'gone', { n: 3 });
    await waitFor(() => second.got.length === 1, { message: 'delivery to the re-declared queue' });
    expect(second.got.map((g) => g.msg.n)).toEqual([3]);
    expect(first.got.map((g) => g.msg.n)).toEqual([1]);
  });

  it('refuses to delete a queue holding messages (ifEmpty) or consumed elsewhere (ifUnused)', async () => {
    const [a, b] = [await t.open(), await t.open()];
    await t.queue(a, 'guarded', { bindings: [{ exchange: 'callctl', routingKey: 'guarded' }] });
    await a.publish('callctl', 'guarded', { n: 1 });
    await expect(a.deleteQueue('guarded', { ifEmpty: true })).rejects.toMatchObject({ code: 'bus_topology' });
    const other = await t.collectInto(b, 'guarded', Job);
    await waitFor(() => other.got.length === 1, { message: 'the pending message consumed elsewhere' });
    await expect(a.deleteQueue('guarded', { ifUnused: true })).rejects.toMatchObject({ code: 'bus_topology' });
    await expect(a.publish('callctl', 'guarded', { n: 2 })).resolves.toBeUndefined();
    await waitFor(() => other.got.length === 2, { message: 'the queue still delivering' });
    await a.deleteQueue('guarded');
    await expect(a.publish('callctl', 'guarded', { n: 3 })).rejects.toMatchObject({ code: 'bus_unroutable' });
  });

  it('tells how many messages wait in a queue, none once consumed, and refuses a queue that does not exist', async () => {
    const bus = await t.open();
    await t.queue(bus, 'backlog', { bindings: [{ exchange: 'callctl', routingKey: 'backlog' }] });
    for (const n of [1, 2, 3]) await bus.publish('callctl', 'backlog', { n });
    await waitFor(async () => (await bus.queueDepth('backlog')) === 3, { message: 'three messages waiting' });
    const reader = await t.collectInto(bus, 'backlog', Job);
    await waitFor(() => reader.got.length === 3, { message: 'the backlog consumed' });
    await waitFor(async () => (await bus.queueDepth('backlog')) === 0, { message: 'an empty backlog' });
    await expect(bus.queueDepth('never-declared')).rejects.toMatchObject({ code: 'bus_topology' });
  });

  it('drops an auto-delete queue when its last consumer is cancelled', async () => {
    const bus = await t.open();
    const q = await t.queue(bus, '', { exclusive: true, autoDelete: true, bindings: [{ exchange: 'callctl', routingKey: 'brief' }] });
    const { consumer } = await t.collectInto(bus, q, Job);
    await expect(bus.publish('callctl', 'brief', { n: 1 })).resolves.toBeUndefined();
    await consumer.cancel();
    await untilUnroutable(bus, 'callctl', 'brief');
  });

  it('deletes a queue left unused for expiresMs, but never one being consumed', async () => {
    const bus = await t.open();
    await t.queue(bus, 'idle', { expiresMs: 150, bindings: [{ exchange: 'callctl', routingKey: 'idle' }] });
    await t.queue(bus, 'busy', { expiresMs: 150, bindings: [{ exchange: 'callctl', routingKey: 'busy' }] });
    const { got } = await t.collectInto(bus, 'busy', Job);
    await untilUnroutable(bus, 'callctl', 'idle');
    await bus.publish('callctl', 'busy', { n: 1 });
    await waitFor(() => got.length === 1, { message: 'delivery to the consumed queue' });
  });

  it('rejects a non-positive expiresMs with a typed error', async () => {
    const bus = await t.open();
    await expect(bus.declareQueue('bad', { expiresMs: 0 })).rejects.toMatchObject({ code: 'bus_topology' });
  });
}
