import { waitFor } from '@legwork/common/testing';
import { EngineHarness } from '../testing/engine-harness';
import { TestPhone } from '../testing/test-phone';

describe('OriginateEngine', () => {
  let h: EngineHarness;
  const phones: TestPhone[] = [];
  const phone = async (name: string, behaviour: TestPhone['behaviour']): Promise<TestPhone> => {
    const p = await TestPhone.start(behaviour);
    phones.push(p);
    h.resolver.phones.set(name, p);
    return p;
  };
  const ep = (user: string, extra: Record<string, unknown> = {}) => ({ 'Invite-Format': 'username' as const, 'To-Username': user, 'To-Realm': 'example.com', ...extra });

  beforeEach(async () => {
    h = await EngineHarness.start();
  });
  afterEach(async () => {
    await Promise.all(phones.splice(0).map((p) => p.close()));
    await h.close();
  });

  it('transfers: device answers, carrier is INVITEd with the device caller id, SDP crosses both ways, BYE ends both legs', async () => {
    const device = await phone('alice', { kind: 'answer', delayMs: 50 });
    const carrier = await TestPhone.start({ kind: 'answer', delayMs: 50 });
    phones.push(carrier);
    h.resolver.carrier = carrier;
    const req = h.request({
      'Application-Name': 'transfer', 'Application-Data': { Route: '+15551234567' }, Endpoints: [ep('alice')],
      'Outbound-Caller-ID-Name': 'Click To Call', 'Outbound-Caller-ID-Number': '5550000',
      'Custom-Channel-Vars': { 'Account-ID': h.accountId, Tag: 'x' }, 'Export-Custom-Channel-Vars': ['Tag'], 'Custom-Application-Vars': { Campaign: 'c1' },
    });
    const outcome = await h.engine.originate(req, { accountId: h.accountId });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    await waitFor(() => h.events.some((e) => e['Event-Name'] === 'CHANNEL_BRIDGE' && e['Call-ID'] !== outcome.callId));
    const aInvite = device.invites[0].request;
    expect(aInvite.headers.get('From')).toContain('"Click To Call" <sip:5550000@');
    expect(aInvite.body.length).toBe(0);
    const bInvite = carrier.invites[0].request;
    expect(bInvite.uri).toContain('+15551234567@');
    expect(bInvite.headers.get('From')).toContain('"Device alice" <sip:1alice@');
    expect(bInvite.headers.get('To')).toContain('+15551234567@');
    // A's offer reached B, B's answer reached A (in the ACK of the re-INVITE)
    expect(carrier.receivedSdp[0]).toBe(device.sdp);
    await waitFor(() => device.receivedSdp.length === 2);
    expect(device.receivedSdp[1]).toContain(`m=audio ${20_000 + (carrier.port % 10_000) * 2}`);
    expect(device.receivedSdp[0]).toContain('a=inactive');
    const bCallId = String(h.events.find((e) => e['Event-Name'] === 'CHANNEL_CREATE' && e['Call-ID'] !== outcome.callId)?.['Call-ID']);
    await carrier.hangup();
    await waitFor(() => h.eventsOf(outcome.callId).includes('CHANNEL_DESTROY') && h.eventsOf(bCallId).includes('CHANNEL_DESTROY'));
    expect(h.eventsOf(outcome.callId)).toEqual(['CHANNEL_CREATE', 'CHANNEL_PROGRESS', 'CHANNEL_ANSWER', 'CHANNEL_BRIDGE', 'CHANNEL_UNBRIDGE', 'CHANNEL_DESTROY']);
    expect(h.eventsOf(bCallId)).toEqual(['CHANNEL_CREATE', 'CHANNEL_PROGRESS', 'CHANNEL_ANSWER', 'CHANNEL_BRIDGE', 'CHANNEL_UNBRIDGE', 'CHANNEL_DESTROY']);
    const destroy = h.event(outcome.callId, 'CHANNEL_DESTROY');
    expect(destroy).toMatchObject({ 'Hangup-Cause': 'NORMAL_CLEARING', 'Custom-Application-Vars': { Campaign: 'c1' }, 'Custom-Channel-Vars': { 'Account-ID': h.accountId, Tag: 'x' } });
    expect(typeof destroy?.['Duration-Seconds']).toBe('number');
    expect(h.event(bCallId, 'CHANNEL_BRIDGE')?.['Other-Leg-Call-ID']).toBe(outcome.callId);
    expect(h.event(bCallId, 'CHANNEL_DESTROY')?.['Custom-Channel-Vars']).toEqual({ 'Account-ID': h.accountId, Tag: 'x' });
    await waitFor(() => device.byesReceived.length === 1);
    expect(await h.inUse()).toBe(0);
    expect(h.replies.map((r) => r['Event-Name'])).toEqual(['originate_uuid', 'originate_started', 'originate_resp']);
    expect(h.replies[1]).toMatchObject({ 'Call-ID': outcome.callId, 'Msg-ID': req['Msg-ID'], 'Media-Server': h.nodeId });
    expect(h.replies[2]).toMatchObject({ 'Application-Response': 'SUCCESS', 'Call-ID': outcome.callId, 'Msg-ID': req['Msg-ID'] });
    expect(await h.store.calls.listByNode(h.nodeId)).toEqual([]);
  });

  it('rings three devices, the second answers, the others are CANCELled with the Reason (LOSE_RACE)', async () => {
    await phone('d1', { kind: 'ring' });
    await phone('d2', { kind: 'answer', delayMs: 80 });
    await phone('d3', { kind: 'ring' });
    const ids = ['leg-one', 'leg-two', 'leg-three'];
    const req = h.request({ Endpoints: [ep('d1', { 'Outbound-Call-ID': ids[0] }), ep('d2', { 'Outbound-Call-ID': ids[1] }), ep('d3', { 'Outbound-Call-ID': ids[2] })] });
    const outcome = await h.engine.originate(req, { accountId: h.accountId });
    expect(outcome).toEqual({ ok: true, callId: 'leg-two' });
    for (const loser of [phones[0], phones[2]]) {
      await waitFor(() => loser.requestsOf('CANCEL').length > 0);
      expect(loser.requestsOf('CANCEL')[0].headers.get('Reason')).toBe('SIP;cause=200;text="Call completed elsewhere"');
    }
    await waitFor(() => h.eventsOf('leg-one').includes('CHANNEL_DESTROY') && h.eventsOf('leg-three').includes('CHANNEL_DESTROY'));
    expect(h.event('leg-one', 'CHANNEL_DESTROY')?.['Hangup-Cause']).toBe('LOSE_RACE');
    expect(h.event('leg-three', 'CHANNEL_DESTROY')?.['Hangup-Cause']).toBe('LOSE_RACE');
    expect(await h.inUse()).toBe(1);
    expect(await h.engine.hangup('leg-two')).toBe(true);
    await waitFor(() => h.eventsOf('leg-two').includes('CHANNEL_DESTROY'));
    expect(await h.inUse()).toBe(0);
    expect(await h.engine.hangup('leg-two')).toBe(false);
  });

  it('gives up with NO_ANSWER after Timeout', async () => {
    const p = await phone('slow', { kind: 'ring' });
    const outcome = await h.engine.originate(h.request({ Endpoints: [ep('slow')], Timeout: 1 }), { accountId: h.accountId });
    expect(outcome).toMatchObject({ ok: false, cause: 'NO_ANSWER' });
    expect(p.transactionsOf('CANCEL')).toHaveLength(1);
    await waitFor(() => h.replies.length === 3);
    expect(h.replies.map((r) => r['Event-Name'])).toEqual(['originate_uuid', 'originate_started', 'originate_resp']);
    expect(h.replies[2]).toMatchObject({ 'Event-Category': 'error', 'Error-Message': 'NO_ANSWER' });
    expect(await h.inUse()).toBe(0);
  });

  it('maps 486 to USER_BUSY with Hangup-Code sip:486', async () => {
    await phone('busy', { kind: 'reject', status: 486 });
    const outcome = await h.engine.originate(h.request({ Endpoints: [ep('busy', { 'Outbound-Call-ID': 'busy-leg' })] }), { accountId: h.accountId });
    expect(outcome).toMatchObject({ ok: false, cause: 'USER_BUSY' });
    await waitFor(() => h.eventsOf('busy-leg').includes('CHANNEL_DESTROY'));
    expect(h.event('busy-leg', 'CHANNEL_DESTROY')).toMatchObject({ 'Hangup-Cause': 'USER_BUSY', 'Hangup-Code': 'sip:486' });
    expect(await h.inUse()).toBe(0);
  });

  it('hangs up the A-leg with the mapped cause when the carrier answers 503', async () => {
    const device = await phone('bob', { kind: 'answer' });
    const carrier = await TestPhone.start({ kind: 'reject', status: 503 });
    phones.push(carrier);
    h.resolver.carrier = carrier;
    const outcome = await h.engine.originate(h.request({ 'Application-Name': 'transfer', 'Application-Data': { Route: '2000' }, Endpoints: [ep('bob', { 'Outbound-Call-ID': 'bob-leg' })] }), { accountId: h.accountId });
    expect(outcome.ok).toBe(true);
    await waitFor(() => h.eventsOf('bob-leg').includes('CHANNEL_DESTROY'));
    expect(h.event('bob-leg', 'CHANNEL_DESTROY')).toMatchObject({ 'Hangup-Cause': 'NORMAL_TEMPORARY_FAILURE', 'Hangup-Code': 'sip:503' });
    await waitFor(() => device.byesReceived.length === 1);
    expect(await h.inUse()).toBe(0);
  });

  it('replies DESTINATION_OUT_OF_ORDER and publishes originate_failed for an unresolvable endpoint', async () => {
    const outcome = await h.engine.originate(h.request({ Endpoints: [ep('nobody')] }), { accountId: h.accountId });
    expect(outcome).toMatchObject({ ok: false, cause: 'DESTINATION_OUT_OF_ORDER' });
    await waitFor(() => h.replies.length === 1 && h.events.length === 1);
    expect(h.replies[0]).toMatchObject({ 'Error-Message': 'DESTINATION_OUT_OF_ORDER' });
    expect(h.events[0]).toMatchObject({ 'Event-Name': 'originate_failed', 'Error-Message': 'DESTINATION_OUT_OF_ORDER' });
  });

  it('refuses Media: process without rtpengine, with a clear error', async () => {
    await phone('m', { kind: 'answer' });
    const outcome = await h.engine.originate(h.request({ Endpoints: [ep('m')], Media: 'process' }), { accountId: h.accountId });
    expect(outcome).toMatchObject({ ok: false, cause: 'MEDIA_SERVER_UNAVAILABLE' });
    expect(phones[0].invites).toHaveLength(0);
  });

  it('ends the call with ALLOTTED_TIMEOUT after Max-Call-Duration', async () => {
    const p = await phone('max', { kind: 'answer' });
    const outcome = await h.engine.originate(h.request({ Endpoints: [ep('max', { 'Outbound-Call-ID': 'max-leg' })], 'Max-Call-Duration': 1 }), { accountId: h.accountId });
    expect(outcome.ok).toBe(true);
    await waitFor(() => h.eventsOf('max-leg').includes('CHANNEL_DESTROY'));
    expect(h.event('max-leg', 'CHANNEL_DESTROY')?.['Hangup-Cause']).toBe('ALLOTTED_TIMEOUT');
    await waitFor(() => p.byesReceived.length === 1);
  });

  it("caps every call at the node's maximum duration, even one whose Max-Call-Duration asks for longer", async () => {
    await h.close();
    h = await EngineHarness.start({}, { maxCallDurationSeconds: 1 });
    const p = await phone('cap', { kind: 'answer' });
    const outcome = await h.engine.originate(h.request({ Endpoints: [ep('cap', { 'Outbound-Call-ID': 'cap-leg' })], 'Max-Call-Duration': 3600 }), { accountId: h.accountId });
    expect(outcome.ok).toBe(true);
    await waitFor(() => h.eventsOf('cap-leg').includes('CHANNEL_DESTROY'), { timeoutMs: 4000 });
    expect(h.event('cap-leg', 'CHANNEL_DESTROY')?.['Hangup-Cause']).toBe('ALLOTTED_TIMEOUT');
    await waitFor(() => p.byesReceived.length === 1);
    expect(await h.inUse()).toBe(0);
  });

  it('drain refuses new work and hangs up what is left with SYSTEM_SHUTDOWN', async () => {
    await phone('park', { kind: 'answer' });
    await h.engine.originate(h.request({ Endpoints: [ep('park', { 'Outbound-Call-ID': 'parked' })] }), { accountId: h.accountId });
    expect(h.engine.liveCallIds()).toEqual(['parked']);
    await h.engine.drain(100);
    await waitFor(() => h.eventsOf('parked').includes('CHANNEL_DESTROY'));
    expect(h.event('parked', 'CHANNEL_DESTROY')?.['Hangup-Cause']).toBe('SYSTEM_SHUTDOWN');
    expect(h.engine.liveCallIds()).toEqual([]);
    const refused = await h.engine.originate(h.request({ Endpoints: [ep('park')] }), { accountId: h.accountId });
    expect(refused).toMatchObject({ ok: false, cause: 'SYSTEM_SHUTDOWN' });
    expect(await h.inUse()).toBe(0);
  });
});

describe('OriginateEngine channel limits', () => {
  it('refuses with channel_limit_reached and rings nothing', async () => {
    const h = await EngineHarness.start({ max_concurrent_channels: 1 });
    const a = await TestPhone.start({ kind: 'ring' });
    const b = await TestPhone.start({ kind: 'ring' });
    h.resolver.phones.set('a', a);
    h.resolver.phones.set('b', b);
    try {
      const req = h.request({ Endpoints: [{ 'Invite-Format': 'username', 'To-Username': 'a', 'To-Realm': 'x' }, { 'Invite-Format': 'username', 'To-Username': 'b', 'To-Realm': 'x' }] });
      const outcome = await h.engine.originate(req, { accountId: h.accountId });
      expect(outcome).toMatchObject({ ok: false, cause: 'channel_limit_reached' });
      expect(a.invites).toHaveLength(0);
      expect(b.invites).toHaveLength(0);
      await waitFor(() => h.replies.length === 1 && h.events.length === 1);
      expect(h.replies[0]).toMatchObject({ 'Error-Message': 'channel_limit_reached' });
      expect(h.events[0]['Event-Name']).toBe('originate_failed');
      expect(await h.inUse()).toBe(0);
    } finally {
      await a.close();
      await b.close();
      await h.close();
    }
  });
});

describe('OriginateEngine channel limits along the account tree', () => {
  it("counts a sub-account's calls against its parent's limit and frees the parent's channel when the call ends", async () => {
    const h = await EngineHarness.start();
    const phone = await TestPhone.start({ kind: 'answer', delayMs: 10 });
    h.resolver.phones.set('p', phone);
    try {
      const parent = await h.directory.accounts.create({ name: `cap-${h.nodeId}`, realm: `cap-${h.nodeId}.example.com`, limits: { max_concurrent_channels: 1 } });
      const childA = await h.directory.accounts.create({ name: `ca-${h.nodeId}`, realm: `ca-${h.nodeId}.example.com` }, parent.id);
      const childB = await h.directory.accounts.create({ name: `cb-${h.nodeId}`, realm: `cb-${h.nodeId}.example.com` }, parent.id);
      const park = (accountId: string) => {
        h.accountId = accountId;
        return h.engine.originate(h.request({ Endpoints: [{ 'Invite-Format': 'username', 'To-Username': 'p', 'To-Realm': 'x' }] }), { accountId });
      };
      const first = await park(childA.id);
      expect(first.ok).toBe(true);
      expect(await h.store.limits.inUse(parent.id)).toBe(1);
      const second = await park(childB.id);
      expect(second).toMatchObject({ ok: false, cause: 'channel_limit_reached' });
      expect(second.ok ? '' : second.reason).not.toContain(parent.id);
      expect(await h.store.limits.inUse(childB.id)).toBe(0);
      if (first.ok) await h.engine.hangup(first.callId);
      await waitFor(() => h.eventsOf(first.ok ? first.callId : '').includes('CHANNEL_DESTROY'));
      expect([await h.store.limits.inUse(parent.id), await h.store.limits.inUse(childA.id)]).toEqual([0, 0]);
      expect((await park(childB.id)).ok).toBe(true);
    } finally {
      await phone.close();
      await h.close();
    }
  });
});
