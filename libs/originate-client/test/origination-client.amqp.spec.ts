import { connect } from 'amqplib';
import { Redis } from 'ioredis';
import { createBus, DEAD_LETTER_QUEUE, STANDARD_EXCHANGES, type Bus } from '@legwork/bus';
import { createCallStore, type CallStore } from '@legwork/call-state';
import { newId } from '@legwork/common';
import { createOriginationClient, type OriginationClient } from '../src';
import { FakeMediaResponder } from '../src/testing';

const AMQP_URL = process.env['AMQP_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const run = newId().slice(0, 10);
const NAMESPACE = `lwtest-oc-${run}`;
const PREFIX = `lwtest-oc-${run}:`;

const request = (callId = `${newId()}-it`, timeout = 1): Record<string, unknown> => ({
  'Application-Name': 'transfer',
  'Application-Data': { Route: '1002' },
  Endpoints: [{ 'Invite-Format': 'username', 'To-User': 'desk', 'To-Realm': 'acme.test', 'Outbound-Call-ID': callId }],
  Timeout: timeout,
});

/** The gateway's client and a fake media node on separate connections to real RabbitMQ, call-state on real Redis. */
describe('OriginationClient against RabbitMQ and Redis', () => {
  let gatewayBus: Bus;
  let mediaBus: Bus;
  let calls: CallStore;
  let node: FakeMediaResponder;
  let client: OriginationClient;

  beforeAll(async () => {
    gatewayBus = createBus({ url: AMQP_URL, appName: 'api-gateway', nodeId: 'gw-it', namespace: NAMESPACE });
    mediaBus = createBus({ url: AMQP_URL, appName: 'media-node', nodeId: 'media-it', namespace: NAMESPACE });
    await gatewayBus.start();
    await mediaBus.start();
    calls = createCallStore({ url: REDIS_URL, prefix: PREFIX });
    node = new FakeMediaResponder(mediaBus, `media-${run}`);
    client = createOriginationClient({ bus: gatewayBus, calls, nodeId: 'gw-it', appName: 'api-gateway', replyMarginMs: 300, commandTimeoutMs: 1000 });
  });

  afterAll(async () => {
    await node.stop();
    await gatewayBus.close();
    await mediaBus.close();
    await calls.close();
    const redis = new Redis(REDIS_URL);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${PREFIX}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
    await redis.quit();
    const conn = await connect(AMQP_URL);
    const ch = await conn.createChannel();
    await ch.deleteQueue(`${NAMESPACE}.${DEAD_LETTER_QUEUE}`);
    for (const x of STANDARD_EXCHANGES.map((e) => e.name)) await ch.deleteExchange(`${NAMESPACE}.${x}`);
    await ch.close();
    await conn.close();
  });

  beforeEach(() => {
    node.requests.length = 0;
    node.commands.length = 0;
    node.mode = { kind: 'answer' };
    node.commandResult = 'ok';
  });

  it('before any media node consumes: published and answered both fail MEDIA_SERVER_UNAVAILABLE', async () => {
    expect(await client.originate(request(), { await: 'published' })).toMatchObject({ kind: 'failed', cause: 'MEDIA_SERVER_UNAVAILABLE', replayed: false });
    expect(await client.originate(request(), { await: 'answered' })).toMatchObject({ kind: 'failed', cause: 'MEDIA_SERVER_UNAVAILABLE' });
    await node.start();
  });

  it('published: the node gets the request without a Server-ID', async () => {
    const out = await client.originate(request('pub-leg'), { await: 'published' });
    expect(out).toMatchObject({ kind: 'initiated', callIds: ['pub-leg'] });
    await until(() => node.requests.length === 1);
    expect(node.requests[0]).not.toHaveProperty('Server-ID');
    expect(node.requests[0]).toMatchObject({ 'App-Name': 'api-gateway', Node: 'gw-it', 'Event-Name': 'originate_req' });
  });

  it('started and answered wait for their reply; an error reply and silence are typed outcomes', async () => {
    node.mode = { kind: 'start-only' };
    expect(await client.originate(request('s-leg'), { await: 'started' })).toMatchObject({ kind: 'initiated', callId: 's-leg', reply: { 'Event-Name': 'originate_started' } });
    expect((await client.originate(request('t-leg', 1), { await: 'answered' })).kind).toBe('timeout');
    node.mode = { kind: 'answer' };
    expect(await client.originate(request('a-leg'), { await: 'answered' })).toMatchObject({ kind: 'initiated', callId: 'a-leg', reply: { 'Application-Response': 'SUCCESS' } });
    node.mode = { kind: 'error', message: 'NO_ANSWER' };
    expect(await client.originate(request(), { await: 'answered' })).toMatchObject({ kind: 'failed', cause: 'NO_ANSWER' });
  });

  it('idempotency in Redis: replay of the same request, conflict for another, in progress while the first runs', async () => {
    const idem = { dialect: 'it', accountId: 'acc-it', key: newId(), ttlMs: 60_000 };
    const first = await client.originate(request('idem-1'), { await: 'answered', idempotency: idem });
    const replay = await client.originate(request('idem-2'), { await: 'answered', idempotency: idem });
    expect(replay).toEqual({ ...first, replayed: true });
    await expect(client.originate({ ...request(), Timeout: 2 }, { await: 'answered', idempotency: idem })).rejects.toMatchObject({ code: 'idempotency_conflict' });
    expect(node.requests).toHaveLength(1);

    node.mode = { kind: 'start-only' };
    const slow = { ...idem, key: newId() };
    const running = client.originate(request('slow', 1), { await: 'answered', idempotency: slow });
    await until(() => node.requests.length === 2);
    await expect(client.originate(request('slow', 1), { await: 'answered', idempotency: slow })).rejects.toMatchObject({ code: 'idempotency_in_progress' });
    expect((await running).kind).toBe('timeout');
  });

  it("commands go to the owning node's control queue and come back typed; an unknown call never reaches the bus", async () => {
    const callId = `${newId()}-it`;
    await calls.calls.create({ callId, accountId: 'acc-it', nodeId: node.nodeId, leg: 'a' });
    expect(await client.command(callId, 'hangup')).toEqual({ result: 'ok', nodeId: node.nodeId });
    expect(node.commands[0]).toMatchObject({ 'Event-Name': 'command', 'Application-Name': 'hangup', 'Call-ID': callId, 'Server-ID': gatewayBus.serverId });
    node.commandResult = 'invalid_state';
    expect(await client.command(callId, 'hold')).toMatchObject({ result: 'invalid_state', callState: 'ringing' });
    expect(await client.command(`${newId()}-nobody`, 'hangup')).toMatchObject({ result: 'no_such_call' });
    expect(node.commands).toHaveLength(2);
    const orphan = `${newId()}-it`;
    await calls.calls.create({ callId: orphan, accountId: 'acc-it', nodeId: 'stopped-node', leg: 'a' });
    expect(await client.command(orphan, 'hangup')).toMatchObject({ result: 'no_such_call', nodeId: 'stopped-node' });
    expect((await client.liveCalls('acc-it')).map((c) => c.callId).sort()).toEqual([callId, orphan].sort());
  });
});

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
