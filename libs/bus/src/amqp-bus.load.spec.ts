import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Bus } from './bus.driver';
import { createBus } from './create-bus';
import { AMQP_URL, deleteNamespace } from './testing/amqp-admin';

const Req = z.object({ 'Server-ID': z.string(), 'Msg-ID': z.string(), token: z.number() });
const Resp = z.object({ 'Msg-ID': z.string(), echo: z.number() });

describe('amqp bus under concurrent request/reply', () => {
  const namespace = `t${randomBytes(5).toString('hex')}`;
  const buses: Bus[] = [];

  afterAll(async () => {
    await Promise.all(buses.map((b) => b.close()));
    await deleteNamespace(namespace, ['rpc']);
  });

  it('gives each of 1,000 concurrent requests its own reply', async () => {
    const [client, server] = ['client', 'server'].map((appName) => createBus({ url: AMQP_URL, appName, nodeId: 'n1', namespace }));
    buses.push(client!, server!);
    await Promise.all(buses.map((b) => b.start()));
    await server!.declareQueue('rpc', { bindings: [{ exchange: 'callmgr', routingKey: 'rpc.req' }] });
    await server!.consume('rpc', Req, async (req) => {
      await server!.publish('targeted', req['Server-ID'], { 'Msg-ID': req['Msg-ID'], echo: req.token });
    }, { prefetch: 200 });

    const tokens = Array.from({ length: 1000 }, (_, i) => i);
    const replies = await Promise.all(tokens.map((token) => client!.request('callmgr', 'rpc.req', { token }, { timeoutMs: 15_000, schema: Resp })));
    expect(replies.map((r) => r.echo)).toEqual(tokens);
    expect(new Set(replies.map((r) => r['Msg-ID'])).size).toBe(1000);
  });
});
