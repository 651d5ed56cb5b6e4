import { waitFor } from '@legwork/common/testing';
import { Controlled, bridged } from '../testing/controlled-engine';
import { EngineHarness } from '../testing/engine-harness';
import { TestPhone } from '../testing/test-phone';

describe('REFER from a phone in a call: the same blind transfer, told back in NOTIFYs', () => {
  let h: EngineHarness;
  let c: Controlled;
  const closers: Array<{ close(): Promise<void> }> = [];
  const phone = async (): Promise<TestPhone> => {
    const p = await TestPhone.start({ kind: 'answer' });
    closers.push(p);
    return p;
  };

  beforeEach(async () => {
    h = await EngineHarness.start();
    c = await new Controlled(h).start();
  });
  afterEach(async () => {
    await c.stop();
    await Promise.all(closers.splice(0).map((p) => p.close()));
    await h.close();
  });

  it('a phone that sends REFER gets 202 and NOTIFYs (100 Trying, then 200 OK) before its leg is released; its peer is bridged to the Refer-To target', async () => {
    const [device, first, second] = [await phone(), await phone(), await phone()];
    const call = await bridged(h, device, first, 'refer-a');
    h.resolver.carrier = second;
    const notifies: Array<{ body: string; state: string | undefined; type: string | undefined }> = [];
    device.dialogs[0].onRequest('NOTIFY', (incoming) => {
      notifies.push({ body: incoming.request.body.toString(), state: incoming.request.headers.get('subscription-state'), type: incoming.request.headers.get('content-type') });
      void incoming.reply(200);
    });
    const refer = await device.dialogs[0].request('REFER', { headers: [['Refer-To', '<sip:%2B15550002222@127.0.0.1>'], ['Referred-By', '<sip:refer-a@127.0.0.1>']] });
    expect(refer.status).toBe(202);
    await waitFor(() => device.byesReceived.length === 1);
    expect(notifies.map((n) => [n.body.trim(), n.state?.split(';')[0]])).toEqual([['SIP/2.0 100 Trying', 'active'], ['SIP/2.0 200 OK', 'terminated']]);
    expect(notifies[0].type).toBe('message/sipfrag;version=2.0');
    await waitFor(() => h.events.some((e) => e['Event-Name'] === 'CHANNEL_BRIDGE' && e['Call-ID'] === call.b && e['Other-Leg-Call-ID'] !== call.a), { timeoutMs: 10_000 });
    expect(h.event(call.a, 'CHANNEL_DESTROY')).toMatchObject({ Disposition: 'BLIND_TRANSFER', 'Transfer-To': '+15550002222' });
    expect(second.invites).toHaveLength(1);
  });

  it('a REFER that cannot be carried out: a Refer-To with other URI headers than Replaces is 501, a target that routes nowhere is 202 then NOTIFY 404, and the call stays', async () => {
    const [device, first] = [await phone(), await phone()];
    const call = await bridged(h, device, first, 'norefer-a');
    h.resolver.carrier = undefined;
    const notifies: string[] = [];
    device.dialogs[0].onRequest('NOTIFY', (incoming) => {
      notifies.push(incoming.request.body.toString().trim());
      void incoming.reply(200);
    });
    const withHeaders = await device.dialogs[0].request('REFER', { headers: [['Refer-To', '<sip:bob@127.0.0.1?Subject=hello>']] });
    expect(withHeaders.status).toBe(501);
    const nowhere = await device.dialogs[0].request('REFER', { headers: [['Refer-To', '<sip:+15550002222@127.0.0.1>']] });
    expect(nowhere.status).toBe(202);
    await waitFor(() => notifies.length === 2);
    expect(notifies).toEqual(['SIP/2.0 100 Trying', 'SIP/2.0 404 Not Found']);
    expect(h.eventsOf(call.a)).not.toContain('CHANNEL_DESTROY');
  });
});
