import { createBus, type Bus } from '@legwork/bus';
import { createCallStore, type CallStore } from '@legwork/call-state';
import { newId } from '@legwork/common';
import { createOriginationClient } from './create-origination-client';
import { isOriginationClientError } from './origination-client.errors';
import type { OriginationClient } from './origination-client';
import { FakeMediaResponder } from './testing';

const request = (callId = `${newId()}-test`, timeout = 1): Record<string, unknown> => ({
  'Application-Name': 'transfer',
  'Application-Data': { Route: '1002' },
  Endpoints: [{ 'Invite-Format': 'username', 'To-User': 'desk', 'To-Realm': 'acme.test', 'Outbound-Call-ID': callId }],
  Timeout: timeout,
});

describe('createOriginationClient (in-process bus and store)', () => {
  let bus: Bus;
  let calls: CallStore;
  let node: FakeMediaResponder;
  let client: OriginationClient;

  beforeEach(async () => {
    bus = createBus({ appName: 'gateway-test', nodeId: 'gw-1', namespace: `oc-${newId().slice(0, 8)}` });
    await bus.start();
    calls = createCallStore();
    node = new FakeMediaResponder(bus, `media-${newId().slice(0, 6)}`);
    client = createOriginationClient({ bus, calls, nodeId: 'gw-1', appName: 'gateway-test', replyMarginMs: 100, commandTimeoutMs: 300 });
  });
  afterEach(async () => {
    await node.stop();
    await bus.close();
    await calls.close();
  });

  describe('originate', () => {
    it('published: fire and forget, no Server-ID, the call ids of the Endpoints', async () => {
      await node.start();
      const out = await client.originate(request('leg-1'), { await: 'published' });
      expect(out).toMatchObject({ kind: 'initiated', callIds: ['leg-1'], replayed: false });
      expect(out.request).toMatchObject({ 'App-Name': 'gateway-test', Node: 'gw-1', 'Event-Name': 'originate_req' });
      expect(out.request).not.toHaveProperty('Server-ID');
      await waitFor(() => node.requests.length === 1);
      expect(node.requests[0]).not.toHaveProperty('Server-ID');
    });

    it('published: no media node consuming → failed MEDIA_SERVER_UNAVAILABLE', async () => {
      const out = await client.originate(request(), { await: 'published' });
      expect(out).toMatchObject({ kind: 'failed', cause: 'MEDIA_SERVER_UNAVAILABLE' });
    });

    it('started: answers at originate_started, with the started leg', async () => {
      await node.start();
      node.mode = { kind: 'start-only' };
      const out = await client.originate(request('leg-2'), { await: 'started' });
      expect(out).toMatchObject({ kind: 'initiated', callId: 'leg-2', reply: { 'Event-Name': 'originate_started' } });
      expect(node.requests[0]['Server-ID']).toBe(bus.serverId);
    });

    it('answered: waits past originate_started for originate_resp', async () => {
      await node.start();
      const out = await client.originate(request('leg-3'), { await: 'answered' });
      expect(out).toMatchObject({ kind: 'initiated', callId: 'leg-3', reply: { 'Event-Name': 'originate_resp', 'Application-Response': 'SUCCESS' } });
    });

    it("answered: the node's error is a failed outcome with its Error-Message; started ends at it too", async () => {
      await node.start();
      node.mode = { kind: 'error', message: 'USER_BUSY' };
      expect(await client.originate(request(), { await: 'answered' })).toMatchObject({ kind: 'failed', cause: 'USER_BUSY', reply: { 'Event-Category': 'error' } });
      expect(await client.originate(request(), { await: 'started' })).toMatchObject({ kind: 'failed', cause: 'USER_BUSY' });
    });

    it('answered: a node that takes the request and never answers → timeout after Timeout plus the margin', async () => {
      await node.start();
      node.mode = { kind: 'start-only' };
      const out = await client.originate(request('leg-4', 1), { await: 'answered' });
      expect(out.kind).toBe('timeout');
      expect(node.requests).toHaveLength(1);
    });

    it('an invalid request throws the contract error naming the field, publishing nothing', async () => {
      await node.start();
      await expect(client.originate({ ...request(), Endpoints: [] }, { await: 'published' })).rejects.toMatchObject({ name: 'ContractError' });
      expect(node.requests).toHaveLength(0);
    });
  });

  describe('idempotency', () => {
    const idem = (key: string, fingerprint?: string) => ({ dialect: 'test', accountId: 'acc-1', key, ttlMs: 60_000, ...(fingerprint ? { fingerprint } : {}) });

    it('the same key and request replays the first outcome (new call ids do not count) and publishes once', async () => {
      await node.start();
      const key = newId();
      const first = await client.originate(request('first-leg'), { await: 'answered', idempotency: idem(key) });
      const again = await client.originate(request('second-leg'), { await: 'answered', idempotency: idem(key) });
      expect(first).toMatchObject({ kind: 'initiated', callIds: ['first-leg'], replayed: false });
      expect(again).toEqual({ ...first, replayed: true });
      expect(node.requests).toHaveLength(1);
    });

    it('the same key with another request is an idempotency_conflict, never a replay', async () => {
      await node.start();
      const key = newId();
      await client.originate(request(), { await: 'answered', idempotency: idem(key) });
      const other = { ...request(), 'Application-Data': { Route: '1003' } };
      const err = await client.originate(other, { await: 'answered', idempotency: idem(key) }).catch((e: unknown) => e);
      expect(isOriginationClientError(err, 'idempotency_conflict')).toBe(true);
      expect(node.requests).toHaveLength(1);
    });

    it('a caller-given fingerprint decides sameness; keys of other dialects and accounts never collide', async () => {
      await node.start();
      const key = newId();
      await client.originate(request(), { await: 'published', idempotency: idem(key, 'spec-a') });
      await expect(client.originate(request(), { await: 'published', idempotency: idem(key, 'spec-b') })).rejects.toMatchObject({ code: 'idempotency_conflict' });
      const elsewhere = await client.originate(request(), { await: 'published', idempotency: { ...idem(key, 'spec-b'), dialect: 'other' } });
      expect(elsewhere.replayed).toBe(false);
      expect((await client.originate(request(), { await: 'published', idempotency: { ...idem(key, 'spec-b'), accountId: 'acc-2' } })).replayed).toBe(false);
      // the same request awaited another way is another request
      await expect(client.originate(request(), { await: 'answered', idempotency: idem(key, 'spec-a') })).rejects.toMatchObject({ code: 'idempotency_conflict' });
    });

    it('a duplicate while the first still runs is idempotency_in_progress', async () => {
      await node.start();
      node.mode = { kind: 'start-only' };
      const key = newId();
      const first = client.originate(request('slow', 1), { await: 'answered', idempotency: idem(key) });
      await waitFor(() => node.requests.length === 1);
      await expect(client.originate(request('slow', 1), { await: 'answered', idempotency: idem(key) })).rejects.toMatchObject({ code: 'idempotency_in_progress' });
      expect((await first).kind).toBe('timeout');
    });
  });

  describe('command and call views', () => {
    const live = async (over: Record<string, unknown> = {}) => {
      const callId = `${newId()}-leg`;
      await calls.calls.create({ callId, accountId: 'acc-1', nodeId: node.nodeId, leg: 'a', to: '1002', ...over });
      return callId;
    };

    it("sends call_command to the owning node's control queue and returns its result", async () => {
      await node.start();
      const callId = await live();
      expect(await client.command(callId, 'hangup', { args: { 'Hangup-Cause': 'NORMAL_CLEARING' } })).toEqual({ result: 'ok', nodeId: node.nodeId });
      expect(node.commands[0]).toMatchObject({ 'Application-Name': 'hangup', 'Call-ID': callId, 'Hangup-Cause': 'NORMAL_CLEARING', 'Server-ID': bus.serverId });
      node.commandResult = 'invalid_state';
      expect(await client.command(callId, 'hold')).toMatchObject({ result: 'invalid_state', callState: 'ringing', message: 'the call is not answered yet' });
    });

    it('a call call-state does not hold live is no_such_call without a bus round trip', async () => {
      await node.start();
      expect(await client.command('nobody-here', 'hangup')).toMatchObject({ result: 'no_such_call' });
      const ended = await live();
      await calls.calls.end(ended, 'NORMAL_CLEARING');
      expect((await client.command(ended, 'hangup')).result).toBe('no_such_call');
      expect(node.commands).toHaveLength(0);
    });

    it('a node whose control queue is gone → no_such_call; a node that never answers → command_timeout', async () => {
      const callId = await live();
      expect(await client.command(callId, 'hangup')).toMatchObject({ result: 'no_such_call', nodeId: node.nodeId });
      await node.start();
      node.commandResult = 'silent';
      await expect(client.command(callId, 'hangup')).rejects.toMatchObject({ code: 'command_timeout' });
    });

    it('liveCalls lists the live legs of one account, oldest first, filtered by owner or device', async () => {
      const mine = await live({ ownerId: 'user-1', cav: { crm: 7 } });
      const desk = await live({ endpointId: 'dev-9' });
      await live({ ownerId: 'user-2' });
      await calls.calls.create({ callId: newId(), accountId: 'acc-2', nodeId: node.nodeId, leg: 'a' });
      await calls.calls.end(await live(), 'NORMAL_CLEARING');
      expect((await client.liveCalls('acc-1')).map((c) => c.callId)).toHaveLength(3);
      expect((await client.liveCalls('acc-1', { ownerId: 'user-1', endpointIds: ['dev-9'] })).map((c) => c.callId).sort()).toEqual([mine, desk].sort());
      const [view] = await client.liveCalls('acc-1', { ownerId: 'user-1' });
      expect(view).toMatchObject({ callId: mine, accountId: 'acc-1', nodeId: node.nodeId, leg: 'a', state: 'new', answered: false, to: '1002', customApplicationVars: { crm: 7 } });
      expect(await client.call(mine)).toEqual(view);
      expect(await client.call('unknown')).toBeUndefined();
    });
  });
});

async function waitFor(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
