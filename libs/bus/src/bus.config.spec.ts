import { silentLogger } from '@legwork/common';
import { resolveBusConfig } from './bus.config';
import { createBus } from './create-bus';
import { BusError } from './bus.error';
import { resolveQueueSpec } from './queue.options';

describe('bus options', () => {
  it('applies defaults', () => {
    expect(resolveBusConfig({ appName: 'api', nodeId: 'n1' })).toEqual({
      appName: 'api', nodeId: 'n1', namespace: '', publishTimeoutMs: 10_000, prefetch: 50, startTimeoutMs: 30_000, exchangeMigration: 'auto', logger: silentLogger,
    });
  });

  it('takes one broker or several nodes of a cluster, as a list or comma-separated, in the order given', () => {
    expect(resolveBusConfig({ appName: 'api', nodeId: 'n1', url: 'amqp://a' }).urls).toEqual(['amqp://a']);
    expect(resolveBusConfig({ appName: 'api', nodeId: 'n1', url: 'amqp://a, amqp://b:5673' }).urls).toEqual(['amqp://a', 'amqp://b:5673']);
    expect(resolveBusConfig({ appName: 'api', nodeId: 'n1', url: ['amqps://c', 'amqp://a'] }).urls).toEqual(['amqps://c', 'amqp://a']);
  });

  it.each([
    [{ appName: 'api', nodeId: 'n1', url: 'amqp://a,http://b' }, 'url: entry 2 of 2'],
    [{ appName: 'api', nodeId: 'n1', url: [] }, 'url: must name at least one'],
    [{ appName: '', nodeId: 'n1' }, 'appName'],
    [{ appName: 'api', nodeId: 'has space' }, 'nodeId'],
    [{ appName: 'api', nodeId: 'n1', url: 'http://x' }, 'url'],
    [{ appName: 'api', nodeId: 'n1', prefetch: 0 }, 'prefetch'],
    [{ appName: 'api', nodeId: 'n1', publishTimeoutMs: -1 }, 'publishTimeoutMs'],
  ])('rejects %j with a typed error naming %s', (opts, field) => {
    const err = (() => { try { createBus(opts); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(BusError);
    expect(err).toMatchObject({ code: 'bus_invalid_config' });
    expect((err as BusError).message).toContain(field);
  });
});

describe('queue options', () => {
  it('defaults to a durable classic queue with the bus dead-letter exchange', () => {
    expect(resolveQueueSpec('q')).toEqual({ durable: true, exclusive: false, autoDelete: false, bindings: [], deadLetter: { exchange: 'legwork.dlx' }, singleActiveConsumer: false, type: 'classic' });
    expect(resolveQueueSpec('q', { exclusive: true, deadLetter: false })).toMatchObject({ durable: false, exclusive: true, deadLetter: undefined });
  });

  it('rejects bad values with a typed error', () => {
    expect(() => resolveQueueSpec('q', { ttlMs: -5 })).toThrow(expect.objectContaining({ code: 'bus_topology' }));
    expect(() => resolveQueueSpec('x'.repeat(300))).toThrow(expect.objectContaining({ code: 'bus_invalid_message' }));
    expect(() => resolveQueueSpec('q', { type: 'stream' as 'quorum' })).toThrow(expect.objectContaining({ code: 'bus_topology', message: expect.stringContaining('type') }));
  });

  it('takes quorum for a durable shared queue only', () => {
    expect(resolveQueueSpec('q', { type: 'quorum', ttlMs: 1000 })).toMatchObject({ durable: true, type: 'quorum', ttlMs: 1000 });
    for (const opts of [{ exclusive: true }, { autoDelete: true }, { durable: false }]) {
      expect(() => resolveQueueSpec('q', { type: 'quorum', ...opts })).toThrow(expect.objectContaining({ code: 'bus_topology', message: expect.stringContaining('a quorum queue is durable') }));
    }
  });
});
