import { waitFor } from '@legwork/common/testing';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Bus } from './bus.driver';
import { createBus } from './create-bus';
import { DEAD_LETTER_HEADERS } from './bus.topology';
import { AMQP_URL, deleteNamespace, withRawChannel } from './testing/amqp-admin';

describe('amqp bus on the wire', () => {
  const namespace = `t${randomBytes(5).toString('hex')}`;
  let bus: Bus;

  /** Reads the dead-letter queue raw: a bus consumer could not decode what is not JSON either. */
  const nextDeadLetter = () =>
    withRawChannel((ch) =>
      waitFor(async () => {
        const m = await ch.get(`${namespace}.legwork.dead-letter`, { noAck: true });
        return m ? { body: m.content.toString(), headers: m.properties.headers ?? {} } : undefined;
      }, { message: 'a dead letter' }),
    );

  beforeAll(async () => {
    bus = createBus({ url: AMQP_URL, appName: 'wire', nodeId: 'n1', namespace });
    await bus.start();
  });

  afterAll(async () => {
    await bus.close();
    await deleteNamespace(namespace, ['work', 'tap', 'originate']);
  });

  it('dead-letters bytes that are not JSON with the reason and keeps the queue moving', async () => {
    await bus.declareQueue('work', { bindings: [{ exchange: 'callmgr', routingKey: 'job' }] });
    const ok: number[] = [];
    await bus.consume('work', z.object({ n: z.number() }), async (m) => void ok.push(m.n));
    await withRawChannel(async (ch) => {
      ch.publish(`${namespace}.callmgr`, 'job', Buffer.from('{not json'), { contentType: 'application/json' });
      ch.publish(`${namespace}.callmgr`, 'job', Buffer.from('{"n":5}'));
    });
    const dead = await nextDeadLetter();
    await waitFor(() => ok.length === 1, { message: 'the next message' });
    expect(dead.body).toBe('{not json');
    expect(String(dead.headers[DEAD_LETTER_HEADERS.reason])).toMatch(/^invalid_json: /);
    expect(dead.headers[DEAD_LETTER_HEADERS.queue]).toBe('work');
    expect(ok).toEqual([5]);
  });

  it('publishes persistent application/json messages', async () => {
    await bus.declareQueue('tap', { bindings: [{ exchange: 'callevt', routingKey: '#' }] });
    await bus.publish('callevt', 'call.CHANNEL_CREATE.abc', { 'Event-Name': 'CHANNEL_CREATE' });
    const got = await withRawChannel((ch) => waitFor(() => ch.get(`${namespace}.tap`, { noAck: true }), { message: 'a message on the tap queue', timeoutMs: 2_000 }));
    expect(got.properties.contentType).toBe('application/json');
    expect(got.properties.deliveryMode).toBe(2);
    expect(JSON.parse(got.content.toString())).toEqual({ 'Event-Name': 'CHANNEL_CREATE' });
  });

  it('answers a plain AMQP client speaking Kazoo request/reply (Server-ID queue on targeted)', async () => {
    await bus.declareQueue('originate', { bindings: [{ exchange: 'callmgr', routingKey: 'originate.resource.req' }] });
    await bus.consume('originate', z.object({ 'Server-ID': z.string(), 'Msg-ID': z.string() }), async (req) => {
      await bus.publish('targeted', req['Server-ID'], { 'Msg-ID': req['Msg-ID'], 'Event-Name': 'originate_resp', 'Application-Response': 'SUCCESS' });
    });
    const reply = await withRawChannel(async (ch) => {
      const { queue } = await ch.assertQueue('', { exclusive: true, autoDelete: true });
      await ch.bindQueue(queue, `${namespace}.targeted`, queue);
      const answer = new Promise<unknown>((resolve) => void ch.consume(queue, (m) => m && resolve(JSON.parse(m.content.toString())), { noAck: true }));
      ch.publish(`${namespace}.callmgr`, 'originate.resource.req', Buffer.from(JSON.stringify({ 'Server-ID': queue, 'Msg-ID': 'kazoo-1', 'App-Name': 'kazoo' })), {
        contentType: 'application/json',
        mandatory: true,
      });
      return answer;
    });
    expect(reply).toEqual({ 'Msg-ID': 'kazoo-1', 'Event-Name': 'originate_resp', 'Application-Response': 'SUCCESS' });
  });
});
