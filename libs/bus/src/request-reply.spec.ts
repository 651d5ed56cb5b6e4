import { z } from 'zod';
import { RequestReply } from './request-reply';
import { BusError } from './bus.error';
import type { DeliveryContext } from './bus.driver';

const ctx: DeliveryContext = { exchange: 'targeted', routingKey: 'me', queue: 'me', headers: {}, redelivered: false };
const reply = (body: object) => Buffer.from(JSON.stringify(body));

describe('RequestReply', () => {
  function setup() {
    const sent: Array<Record<string, unknown>> = [];
    const rr = new RequestReply('me', async (_ex, _rk, body) => void sent.push(body as Record<string, unknown>));
    return { rr, sent };
  }

  it('stamps Server-ID and a new Msg-ID and matches the reply by Msg-ID only', async () => {
    const { rr, sent } = setup();
    const p = rr.request('callmgr', 'k', { a: 1 }, { timeoutMs: 1_000, schema: z.object({ 'Msg-ID': z.string(), v: z.number() }) });
    await Promise.resolve();
    expect(sent[0]).toMatchObject({ a: 1, 'Server-ID': 'me' });
    expect(await rr.handle(reply({ 'Msg-ID': 'other', v: 0 }), ctx)).toEqual({ kind: 'ack' });
    expect(await rr.handle(reply({ 'Msg-ID': sent[0]!['Msg-ID'] as string, v: 7 }), ctx)).toEqual({ kind: 'ack' });
    await expect(p).resolves.toEqual({ 'Msg-ID': sent[0]!['Msg-ID'], v: 7 });
    expect(rr.inFlight).toBe(0);
  });

  it('dead-letters invalid replies and rejects on publish failure, timeout and close', async () => {
    const { rr } = setup();
    expect(await rr.handle(Buffer.from('nope'), ctx)).toMatchObject({ kind: 'dead-letter' });
    const failing = new RequestReply('me', async () => {
      throw new BusError('bus_unroutable', 'x');
    });
    await expect(failing.request('callmgr', 'k', {}, { timeoutMs: 1_000 })).rejects.toMatchObject({ code: 'bus_unroutable' });
    await expect(rr.request('callmgr', 'k', {}, { timeoutMs: 10 })).rejects.toMatchObject({ code: 'bus_timeout' });
    await expect(rr.request('callmgr', 'k', {}, { timeoutMs: 0 })).rejects.toMatchObject({ code: 'bus_invalid_message' });
    const pending = rr.collect('callmgr', 'k', {}, { timeoutMs: 1_000 }).catch((e: unknown) => e);
    rr.closeAll(new BusError('bus_closed', 'closed'));
    expect(await pending).toMatchObject({ code: 'bus_closed' });
    await expect(rr.request('callmgr', 'k', {}, { timeoutMs: 1_000 })).rejects.toMatchObject({ code: 'bus_closed' });
    expect(rr.inFlight).toBe(0);
  });

  it('rejects a request whose predicate throws instead of crashing the reply consumer', async () => {
    const { rr, sent } = setup();
    const p = rr.collect('callmgr', 'k', {}, { timeoutMs: 1_000, until: () => { throw new Error('bad predicate'); } }).catch((e: unknown) => e);
    await Promise.resolve();
    expect(await rr.handle(reply({ 'Msg-ID': sent[0]!['Msg-ID'] as string }), ctx)).toEqual({ kind: 'ack' });
    expect(await p).toMatchObject({ message: 'bad predicate' });
  });
});
