import { waitFor } from '@legwork/common/testing';
import { z } from 'zod';
import type { Bus } from '../bus.driver';
import { DEAD_LETTER_HEADERS } from '../bus.topology';
import type { ContractContext } from './contract.context';

const Req = z.object({ 'Server-ID': z.string(), 'Msg-ID': z.string(), ask: z.string() });
const Resp = z.object({ 'Msg-ID': z.string(), 'Event-Name': z.string(), answer: z.string() });
type Resp = z.infer<typeof Resp>;
const KEY = 'originate.resource.req';

/** Replies each request with `replies(req)` (a list of extra body fields, one publish each). */
async function responder(t: ContractContext, bus: Bus, replies: (req: z.infer<typeof Req>) => Array<Record<string, unknown>>): Promise<void> {
  await t.queue(bus, `resp-${bus.serverId.slice(-6)}`, { exclusive: true, bindings: [{ exchange: 'callmgr', routingKey: KEY }] });
  await bus.consume(`resp-${bus.serverId.slice(-6)}`, Req, async (req) => {
    for (const extra of replies(req)) {
      await bus.publish('targeted', req['Server-ID'], { 'Msg-ID': req['Msg-ID'], 'Event-Name': 'originate_resp', answer: '', ...extra });
    }
  });
}

/** Kazoo request/reply: Server-ID + Msg-ID stamping, correlation, collect, timeouts. */
export function requestContract(t: ContractContext): void {
  it('round-trips a request: Server-ID and a fresh Msg-ID stamped, the reply validated', async () => {
    const [client, server] = [await t.open(), await t.open()];
    const seen: string[] = [];
    await responder(t, server, (req) => {
      seen.push(req['Server-ID']);
      return [{ answer: `re:${req.ask}` }];
    });
    const reply = await client.request<Resp>('callmgr', KEY, { ask: 'one', 'Msg-ID': 'caller-chosen' }, { timeoutMs: 5_000, schema: Resp });
    expect(reply.answer).toBe('re:one');
    expect(reply['Msg-ID']).not.toBe('caller-chosen');
    expect(reply['Msg-ID']).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen).toEqual([client.serverId]);
  });

  it('collects replies from several responders until the predicate holds', async () => {
    const client = await t.open();
    for (let i = 0; i < 3; i++) await responder(t, await t.open(), () => [{ answer: `r${i}` }]);
    const replies = await client.collect<Resp>('callmgr', KEY, { ask: 'all' }, { timeoutMs: 5_000, schema: Resp, until: (r) => r.length >= 3 });
    expect(replies.map((r) => r.answer).sort()).toEqual(['r0', 'r1', 'r2']);
  });

  it('without a predicate, collect gathers for the whole window; with one unmet, it times out', async () => {
    const client = await t.open();
    await responder(t, await t.open(), () => [{ answer: 'a' }, { answer: 'b' }]);
    const all = await client.collect<Resp>('callmgr', KEY, { ask: 'x' }, { timeoutMs: 300, schema: Resp });
    expect(all.map((r) => r.answer)).toEqual(['a', 'b']);
    const err = await client.collect<Resp>('callmgr', KEY, { ask: 'x' }, { timeoutMs: 300, until: (r) => r.length >= 5 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'bus_timeout', details: { replies: [expect.objectContaining({ answer: 'a' }), expect.objectContaining({ answer: 'b' })] } });
  });

  it('times out a request nobody answers, and rejects at once when nothing is bound', async () => {
    const client = await t.open();
    await responder(t, await t.open(), () => []);
    await expect(client.request('callmgr', KEY, { ask: 'x' }, { timeoutMs: 200 })).rejects.toMatchObject({ code: 'bus_timeout' });
    await expect(client.request('callmgr', 'no.one.here', { ask: 'x' }, { timeoutMs: 5_000 })).rejects.toMatchObject({ code: 'bus_unroutable' });
  });

  it('ignores replies carrying another Msg-ID and replies the accept filter skips', async () => {
    const client = await t.open();
    await responder(t, await t.open(), (req) => [
      { 'Msg-ID': 'someone-else', answer: 'wrong' },
      { 'Event-Name': 'originate_uuid', answer: 'early' },
      { answer: `right:${req.ask}` },
    ]);
    const reply = await client.request<Resp>('callmgr', KEY, { ask: 'q' }, { timeoutMs: 5_000, schema: Resp, accept: (r) => r['Event-Name'] === 'originate_resp' });
    expect(reply.answer).toBe('right:q');
  });

  it('dead-letters a reply failing the schema and still takes the next valid one', async () => {
    const client = await t.open();
    const dead = await t.deadLetters(client);
    await responder(t, await t.open(), () => [{ answer: 42 }, { answer: 'valid' }]);
    const reply = await client.request<Resp>('callmgr', KEY, { ask: 'q' }, { timeoutMs: 5_000, schema: Resp });
    expect(reply.answer).toBe('valid');
    await waitFor(() => dead.length === 1, { message: 'dead-lettered reply' });
    expect(String(dead[0]!.ctx.headers[DEAD_LETTER_HEADERS.reason])).toMatch(/^schema_mismatch: answer/);
  });

  it('closes cleanly: pending requests reject bus_closed, later calls reject, close is idempotent', async () => {
    const client = await t.open();
    await expect(client.ping()).resolves.toBeUndefined();
    await responder(t, await t.open(), () => []);
    const pending = client.request('callmgr', KEY, { ask: 'x' }, { timeoutMs: 10_000 }).catch((e: unknown) => e);
    await client.close();
    expect(await pending).toMatchObject({ code: 'bus_closed' });
    await expect(client.publish('callmgr', KEY, { a: 1 })).rejects.toMatchObject({ code: 'bus_closed' });
    await expect(client.ping()).rejects.toMatchObject({ code: 'bus_closed' });
    await expect(client.close()).resolves.toBeUndefined();
  });
}
