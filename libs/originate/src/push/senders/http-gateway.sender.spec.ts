import { freePort } from '@legwork/sip/testing';
import { LocalPushGateway } from '../../testing/push';
import { HttpGatewaySender } from './http-gateway.sender';
import { PushSenders } from './push-senders';

describe('HttpGatewaySender against a local gateway', () => {
  let gateway: LocalPushGateway;

  beforeEach(async () => {
    gateway = await LocalPushGateway.start('gateway-secret');
  });

  afterEach(() => gateway.close());

  it('POSTs the signed JSON the gateway expects', async () => {
    const sender = new HttpGatewaySender({ url: gateway.url, secret: 'gateway-secret' });
    expect(await sender.send({ provider: 'apns', prid: 'tok', param: 'TEAM.app.voip', kind: 'call', callId: 'c-1', callerName: 'Alice' })).toEqual({ ok: true, status: 202 });
    expect(gateway.pushes).toEqual([{ provider: 'apns', prid: 'tok', param: 'TEAM.app.voip', kind: 'call', call_id: 'c-1', caller_name: 'Alice', reason: null }]);
  });

  it('retries 5xx answers and stops at the first success; a 4xx is final', async () => {
    gateway.status = (push, attempt) => (push.kind === 'call' ? (attempt < 3 ? 503 : 202) : 404);
    const sender = new HttpGatewaySender({ url: gateway.url, secret: 'gateway-secret', attempts: 3, backoffMs: 10 });
    expect(await sender.send({ provider: 'fcm', prid: 'tok', kind: 'call', callId: 'c-2' })).toEqual({ ok: true, status: 202 });
    expect(await sender.send({ provider: 'fcm', prid: 'tok', kind: 'update', callId: 'c-2' })).toEqual({ ok: false, status: 404, error: '{"error":"gateway says no"}' });
    expect(gateway.pushes.map((p) => p.kind)).toEqual(['call']);
  });

  it('is refused by the gateway when signed with another secret, and names a gateway that is down', async () => {
    expect(await new HttpGatewaySender({ url: gateway.url, secret: 'wrong' }).send({ provider: 'x', prid: 'p', kind: 'call', callId: 'c' })).toEqual({ ok: false, status: 401, error: '{"error":"bad signature"}' });
    const down = await new HttpGatewaySender({ url: `http://127.0.0.1:${await freePort()}/push`, attempts: 2, backoffMs: 5 }).send({ provider: 'x', prid: 'p', kind: 'call', callId: 'c' });
    expect(down.ok === false && down.error).toMatch(/ECONNREFUSED/);
  });

  it('PushSenders picks the sender of the provider, else the gateway, and says when there is none', async () => {
    const gatewaySender = new HttpGatewaySender({ url: gateway.url, secret: 'gateway-secret' });
    const sent: string[] = [];
    const apns = { name: 'apns', send: async (m: { prid: string }) => (sent.push(m.prid), { ok: true as const }) };
    const routed = new PushSenders(new Map([['apns', apns]]), gatewaySender);
    expect(routed.serves('APNS') && routed.serves('webpush')).toBe(true);
    await routed.send({ provider: 'APNS', prid: 'to-apns', kind: 'call', callId: 'c' });
    await routed.send({ provider: 'webpush', prid: 'to-gateway', kind: 'call', callId: 'c' });
    expect(sent).toEqual(['to-apns']);
    expect(gateway.pushes.map((p) => p.prid)).toEqual(['to-gateway']);
    const none = new PushSenders(new Map());
    expect(none.serves('apns')).toBe(false);
    expect(await none.send({ provider: 'apns', prid: 'p', kind: 'call', callId: 'c' })).toEqual({ ok: false, error: 'no push sender configured for provider apns' });
  });
});
