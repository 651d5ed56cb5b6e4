import { waitFor } from '@legwork/common/testing';
import { EngineHarness } from '../testing/engine-harness';
import { TestPhone } from '../testing/test-phone';
import { EXECUTE_TIMEOUT_MESSAGE, type ExecuteHandshake, type ExecuteReceived } from './execute-handshake';

const ep = (user: string, extra: Record<string, unknown> = {}) => ({ 'Invite-Format': 'username' as const, 'To-Username': user, 'To-Realm': 'example.com', ...extra });

/** A handshake the test answers itself: what intake's originate_execute queue does on the bus. */
class ManualHandshake implements ExecuteHandshake {
  readonly serverId = 'execute-queue';
  readonly waiting = new Map<string, (execute: ExecuteReceived | undefined) => void>();
  constructor(readonly timeoutMs = 200) {}
  expect(callId: string): Promise<ExecuteReceived | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(undefined), this.timeoutMs);
      this.waiting.set(callId, (execute) => {
        clearTimeout(timer);
        resolve(execute);
      });
    });
  }
}

describe('OriginateEngine, as ecallmgr does it', () => {
  let h: EngineHarness;
  const phones: TestPhone[] = [];
  const phone = async (name: string): Promise<TestPhone> => {
    const p = await TestPhone.start({ kind: 'answer' });
    phones.push(p);
    h.resolver.phones.set(name, p);
    return p;
  };

  beforeEach(async () => {
    h = await EngineHarness.start();
  });
  afterEach(async () => {
    await Promise.all(phones.splice(0).map((p) => p.close()));
    await h.close();
  });

  it('park with the handshake: originate_uuid, originate_ready (Call-ID, Control-Queue, Server-ID), then rings on originate_execute and replies where it says', async () => {
    const device = await phone('parked');
    const handshake = new ManualHandshake(5000);
    const req = h.request({ Endpoints: [ep('parked', { 'Outbound-Call-ID': 'hs-1' })] });
    const outcome = h.engine.originate(req, { accountId: h.accountId, handshake });
    await waitFor(() => h.replies.length === 2);
    expect(h.replies.map((r) => r['Event-Name'])).toEqual(['originate_uuid', 'originate_ready']);
    expect(h.replies[1]).toMatchObject({ 'Event-Category': 'dialplan', 'Call-ID': 'hs-1', 'Control-Queue': h.engine.controlQueue, 'Server-ID': 'execute-queue', 'Msg-ID': req['Msg-ID'] });
    expect(device.invites).toHaveLength(0);
    handshake.waiting.get('hs-1')?.({});
    expect(await outcome).toEqual({ ok: true, callId: 'hs-1' });
    expect(device.invites).toHaveLength(1);
    await waitFor(() => h.replies.length === 4);
    expect(h.replies.map((r) => r['Event-Name'])).toEqual(['originate_uuid', 'originate_ready', 'originate_started', 'originate_resp']);
    expect(h.replies[2]).toMatchObject({ 'Call-ID': 'hs-1', 'Control-Queue': h.engine.controlQueue });
    await h.engine.hangup('hs-1');
    await waitFor(() => h.eventsOf('hs-1').includes('CHANNEL_DESTROY'));
  });

  it('without originate_execute in time: the error names the Call-ID and the request Msg-ID, and nothing rang', async () => {
    const device = await phone('never');
    const req = h.request({ Endpoints: [ep('never', { 'Outbound-Call-ID': 'hs-2' })] });
    const outcome = await h.engine.originate(req, { accountId: h.accountId, handshake: new ManualHandshake(100) });
    expect(outcome).toMatchObject({ ok: false, cause: EXECUTE_TIMEOUT_MESSAGE });
    await waitFor(() => h.replies.length === 3);
    expect(h.replies[2]).toMatchObject({ 'Event-Category': 'error', 'Error-Message': 'Failed to receive valid originate_execute in time', 'Call-ID': 'hs-2', 'Msg-ID': req['Msg-ID'] });
    expect(device.invites).toHaveLength(0);
    expect(h.eventsOf('hs-2')).toEqual([]);
    expect(await h.inUse()).toBe(0);
    expect(h.engine.stats()).toEqual({ legs: 0, sessions: 0 });
  });

  it('bridge without Existing-Call-ID: once the endpoint answers, the one in Application-Data is dialled with its offer and bridged', async () => {
    const first = await phone('first');
    const target = await phone('target');
    const req = h.request({ 'Application-Name': 'bridge', 'Application-Data': ep('target'), Endpoints: [ep('first', { 'Outbound-Call-ID': 'br-a' })] });
    expect(await h.engine.originate(req, { accountId: h.accountId })).toEqual({ ok: true, callId: 'br-a' });
    await waitFor(() => h.events.some((e) => e['Event-Name'] === 'CHANNEL_BRIDGE' && e['Other-Leg-Call-ID'] === 'br-a'));
    expect(target.receivedSdp[0]).toBe(first.sdp);
    await waitFor(() => first.receivedSdp.at(-1)?.includes(`m=audio ${target.media.port} `) === true);
    await target.hangup();
    await waitFor(() => h.eventsOf('br-a').includes('CHANNEL_DESTROY'));
    expect(await h.inUse()).toBe(0);
  });

  it('bridge to an Application-Data endpoint that cannot be reached: an error reply before anything rings (not a silent failure)', async () => {
    const first = await phone('lonely');
    const req = h.request({ 'Application-Name': 'bridge', 'Application-Data': ep('nobody'), Endpoints: [ep('lonely', { 'Outbound-Call-ID': 'br-x' })] });
    const outcome = await h.engine.originate(req, { accountId: h.accountId });
    expect(outcome).toMatchObject({ ok: false, cause: 'DESTINATION_OUT_OF_ORDER' });
    await waitFor(() => h.replies.length === 1);
    expect(h.replies[0]).toMatchObject({ 'Event-Category': 'error', 'Error-Message': 'DESTINATION_OUT_OF_ORDER', 'Call-ID': 'br-x', 'Msg-ID': req['Msg-ID'] });
    expect(h.replies[0]?.['Error-Code']).toBe('destination_out_of_order');
    expect(String(h.replies[0]?.['Error-Detail'])).toContain('Application-Data endpoint');
    expect(first.invites).toHaveLength(0);
  });

  it('an error after the legs exist carries the leg id as Call-ID (NO_ANSWER)', async () => {
    const slow = await TestPhone.start({ kind: 'ring' });
    phones.push(slow);
    h.resolver.phones.set('slow', slow);
    const req = h.request({ Endpoints: [ep('slow')], Timeout: 1, 'Originate-Immediate': true });
    const outcome = await h.engine.originate(req, { accountId: h.accountId });
    expect(outcome).toMatchObject({ ok: false, cause: 'NO_ANSWER' });
    await waitFor(() => h.replies.length === 3);
    expect(h.replies[2]).toMatchObject({ 'Error-Message': 'NO_ANSWER', 'Call-ID': h.replies[0]['Outbound-Call-ID'], 'Msg-ID': req['Msg-ID'] });
  });
});
