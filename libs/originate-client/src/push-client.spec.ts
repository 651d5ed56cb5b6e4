import { createBus, type Bus } from '@legwork/bus';
import { createCallStore, type CallStore } from '@legwork/call-state';
import { newId } from '@legwork/common';
import {
  EXCHANGES, PUSH_REQUEST_ROUTING_KEY, buildMessage, envelope, nodePushRoutingKey, pushRequest, pushResponse, routeFor, type PushRequest,
} from '@legwork/contracts';
import { createPushClient, type PushClient, type PushSpec } from './push-client';

const spec = (callId: string, extra: Partial<PushSpec> = {}): PushSpec => ({
  accountId: 'acct-a', deviceId: 'dev-1', push: { provider: 'xon', prid: 'prid-1' }, callId, kind: 'call', callerName: 'Dr Smith', ...extra,
});

/** A media node's push queues as the bus sees them: which queue each request came in on, answered as told. */
class PushNode {
  readonly seen: Array<{ queue: 'shared' | 'own'; req: PushRequest }> = [];
  answer: (req: PushRequest) => Record<string, unknown> | undefined = () => ({ Result: 'sent', 'Held-Leg': false });

  constructor(
    private readonly bus: Bus,
    readonly nodeId: string,
  ) {}

  async start(): Promise<void> {
    for (const [queue, key] of [['shared', PUSH_REQUEST_ROUTING_KEY], ['own', nodePushRoutingKey(this.nodeId)]] as const) {
      const name = await this.bus.declareQueue(`push-${queue}-${this.nodeId}`, { durable: false, autoDelete: true, bindings: [{ exchange: EXCHANGES.callmgr.name, routingKey: key }] });
      await this.bus.consume(name, pushRequest.schema, async (req) => {
        this.seen.push({ queue, req });
        const body = this.answer(req);
        if (body === undefined) return;
        const msg = buildMessage(pushResponse, { 'Msg-ID': req['Msg-ID'], 'Call-ID': req['Call-ID'], ...body } as never, envelope('media', '0.1.0', this.nodeId));
        const { exchange, routingKey } = routeFor(pushResponse, msg, req['Server-ID']);
        await this.bus.publish(exchange, routingKey, msg);
      });
    }
  }
}

describe('createPushClient (in-process bus and store)', () => {
  let bus: Bus;
  let calls: CallStore;
  let node: PushNode;
  let client: PushClient;

  beforeEach(async () => {
    bus = createBus({ appName: 'gateway-test', nodeId: 'gw-1', namespace: `pc-${newId().slice(0, 8)}` });
    await bus.start();
    calls = createCallStore();
    node = new PushNode(bus, 'media-b');
    // a busy machine can take longer than the silent case's 300 ms for an answer that does come
    client = createPushClient({ bus, calls, nodeId: 'gw-1', appName: 'gateway-test', timeoutMs: 10_000 });
  });
  afterEach(async () => {
    await bus.close();
    await calls.close();
  });

  it('a call id call-state does not know goes to the shared queue, carrying the device, kind and caller name', async () => {
    await node.start();
    expect(await client.push(spec('ext-1@proxy'))).toEqual({ result: 'sent', heldLeg: false });
    expect(node.seen.map((s) => s.queue)).toEqual(['shared']);
    expect(node.seen[0]?.req).toMatchObject({ 'Call-ID': 'ext-1@proxy', 'Account-ID': 'acct-a', 'Device-ID': 'dev-1', 'Push-PRID': 'prid-1', 'Push-Kind': 'call', 'Caller-ID-Name': 'Dr Smith', 'Server-ID': bus.serverId });
  });

  it("a live leg of this account placed for this device goes to its node's own queue; anyone else's leg to the shared one", async () => {
    await node.start();
    await calls.nodes.heartbeat('media-b', 60_000);
    await calls.calls.create({ callId: 'leg-1', accountId: 'acct-a', nodeId: 'media-b', leg: 'a', endpointId: 'dev-1' });
    node.answer = (req) => ({ Result: 'sent', 'Held-Leg': req['Call-ID'] === 'leg-1' && req['Device-ID'] === 'dev-1' });
    expect(await client.push(spec('leg-1', { kind: 'cancel', reason: 'answered_elsewhere', callerName: undefined }))).toEqual({ result: 'sent', heldLeg: true, nodeId: 'media-b' });
    await client.push(spec('leg-1', { accountId: 'acct-b' }));
    await client.push(spec('leg-1', { deviceId: 'dev-2' }));
    expect(node.seen.map((s) => [s.queue, s.req['Push-Kind'], s.req['Push-Reason']])).toEqual([['own', 'cancel', 'answered_elsewhere'], ['shared', 'call', undefined], ['shared', 'call', undefined]]);
  });

  it('a leg on a node that is not live, or one already ended, goes to the shared queue', async () => {
    await node.start();
    await calls.calls.create({ callId: 'leg-2', accountId: 'acct-a', nodeId: 'media-gone', leg: 'a', endpointId: 'dev-1' });
    await calls.nodes.heartbeat('media-b', 60_000);
    await calls.calls.create({ callId: 'leg-3', accountId: 'acct-a', nodeId: 'media-b', leg: 'a', endpointId: 'dev-1' });
    await calls.calls.end('leg-3', 'NORMAL_CLEARING');
    await client.push(spec('leg-2'));
    await client.push(spec('leg-3'));
    expect(node.seen.map((s) => s.queue)).toEqual(['shared', 'shared']);
  });

  it("maps the node's refusal, no node at all, and no answer in time", async () => {
    expect(await client.push(spec('c-none'))).toMatchObject({ result: 'unavailable' });
    await node.start();
    node.answer = () => ({ Result: 'failed', 'Held-Leg': false, 'Push-Status': 410, 'Push-Error': 'Unregistered' });
    expect(await client.push(spec('c-refused'))).toEqual({ result: 'failed', heldLeg: false, status: 410, error: 'Unregistered' });
    node.answer = () => undefined;
    const impatient = createPushClient({ bus, calls, nodeId: 'gw-1', appName: 'gateway-test', timeoutMs: 300 });
    expect(await impatient.push(spec('c-silent'))).toMatchObject({ result: 'timeout' });
  });
});
