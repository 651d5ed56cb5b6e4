import { waitFor } from '@legwork/common/testing';
import { EngineHarness } from '../testing/engine-harness';
import { TestPhone } from '../testing/test-phone';

const ep = (user: string, extra: Record<string, unknown> = {}) => ({ 'Invite-Format': 'username' as const, 'To-Username': user, 'To-Realm': 'example.com', ...extra });
const audioPort = (port: number): string => `m=audio ${port} `;

describe('OriginateEngine applications and dialling', () => {
  let h: EngineHarness;
  const phones: TestPhone[] = [];
  const phone = async (name: string, behaviour: TestPhone['behaviour']): Promise<TestPhone> => {
    const p = await TestPhone.start(behaviour);
    phones.push(p);
    h.resolver.phones.set(name, p);
    return p;
  };
  const carrier = async (): Promise<TestPhone> => {
    const c = await TestPhone.start({ kind: 'answer' });
    phones.push(c);
    h.resolver.carrier = c;
    return c;
  };
  const otherLeg = (aCallId: string): string => String(h.events.find((e) => e['Event-Name'] === 'CHANNEL_CREATE' && e['Call-ID'] !== aCallId)?.['Call-ID']);

  afterEach(async () => {
    await Promise.all(phones.splice(0).map((p) => p.close()));
    await h.close();
  });

  describe('transfer to a carrier that challenges', () => {
    beforeEach(async () => {
      h = await EngineHarness.start();
    });

    it.each([401, 407] as const)('answers the %i with the route credentials and bridges', async (status) => {
      await phone('alice', { kind: 'answer' });
      const trunk = await carrier();
      trunk.requireAuth({ realm: 'carrier.test', username: 'acct77', password: 'trunk-secret', algorithm: 'SHA-256', status });
      h.resolver.carrierCredentials = { username: 'acct77', password: 'trunk-secret' };
      const outcome = await h.engine.originate(h.request({ 'Application-Name': 'transfer', 'Application-Data': { Route: '+15550001111' }, Endpoints: [ep('alice')] }), { accountId: h.accountId });
      expect(outcome.ok).toBe(true);
      if (!outcome.ok) return;
      await waitFor(() => h.eventsOf(otherLeg(outcome.callId)).includes('CHANNEL_BRIDGE'));
      const [challenged, retried] = trunk.transactionsOf('INVITE');
      expect(trunk.transactionsOf('INVITE')).toHaveLength(2);
      expect(retried.headers.get(status === 401 ? 'Authorization' : 'Proxy-Authorization')).toContain('username="acct77"');
      expect(retried.callId).toBe(challenged.callId);
      expect(retried.cseq?.seq).toBe((challenged.cseq?.seq ?? 0) + 1);
      expect(h.eventsOf(otherLeg(outcome.callId))).toEqual(['CHANNEL_CREATE', 'CHANNEL_PROGRESS', 'CHANNEL_ANSWER', 'CHANNEL_BRIDGE']);
      await trunk.hangup();
      await waitFor(() => h.eventsOf(outcome.callId).includes('CHANNEL_DESTROY'));
      expect(await h.inUse()).toBe(0);
    });

    it('ends both legs with CALL_REJECTED (sip:401) when the credentials are wrong', async () => {
      const device = await phone('alice', { kind: 'answer' });
      const trunk = await carrier();
      trunk.requireAuth({ realm: 'carrier.test', username: 'acct77', password: 'trunk-secret' });
      h.resolver.carrierCredentials = { username: 'acct77', password: 'not-it' };
      const outcome = await h.engine.originate(h.request({ 'Application-Name': 'transfer', 'Application-Data': { Route: '2000' }, Endpoints: [ep('alice')] }), { accountId: h.accountId });
      if (!outcome.ok) throw new Error(outcome.cause);
      await waitFor(() => h.eventsOf(outcome.callId).includes('CHANNEL_DESTROY'));
      expect(trunk.transactionsOf('INVITE')).toHaveLength(2);
      expect(h.event(outcome.callId, 'CHANNEL_DESTROY')).toMatchObject({ 'Hangup-Cause': 'CALL_REJECTED', 'Hangup-Code': 'sip:401' });
      await waitFor(() => device.byesReceived.length === 1);
      expect(await h.inUse()).toBe(0);
    });
  });

  describe('bypass early media', () => {
    it('gives A no early media: A is re-INVITEd once, only after B answers', async () => {
      h = await EngineHarness.start();
      const device = await phone('alice', { kind: 'answer' });
      const trunk = await TestPhone.start({ kind: 'early' });
      phones.push(trunk);
      h.resolver.carrier = trunk;
      const outcome = await h.engine.originate(h.request({ 'Application-Name': 'transfer', 'Application-Data': { Route: '400' }, 'Ignore-Early-Media': false, Endpoints: [ep('alice')] }), { accountId: h.accountId });
      if (!outcome.ok) throw new Error(outcome.cause);
      await waitFor(() => h.eventsOf(otherLeg(outcome.callId)).includes('CHANNEL_PROGRESS'));
      expect(device.transactionsOf('INVITE')).toHaveLength(1);
      await trunk.answerEarly();
      await waitFor(() => h.eventsOf(otherLeg(outcome.callId)).includes('CHANNEL_BRIDGE') && device.receivedSdp.length === 2);
      expect(device.transactionsOf('INVITE')).toHaveLength(2);
      expect(device.receivedSdp[1]).toContain(audioPort(trunk.media.port));
      await device.hangup();
      await waitFor(() => h.eventsOf(otherLeg(outcome.callId)).includes('CHANNEL_DESTROY'));
    });
  });

  describe('Dial-Endpoint-Method: single', () => {
    it('rings one endpoint after another: busy, then no answer within its Endpoint-Timeout, then answered', async () => {
      // one channel is enough: a leg takes it only when it starts ringing and gives it back when it fails
      h = await EngineHarness.start({ max_concurrent_channels: 1 });
      const busy = await phone('s1', { kind: 'reject', status: 486 });
      const silent = await phone('s2', { kind: 'ring' });
      const answers = await phone('s3', { kind: 'answer' });
      const req = h.request({
        'Dial-Endpoint-Method': 'single', Timeout: 20,
        Endpoints: [ep('s1', { 'Outbound-Call-ID': 'one' }), ep('s2', { 'Outbound-Call-ID': 'two', 'Endpoint-Timeout': 1 }), ep('s3', { 'Outbound-Call-ID': 'three' })],
      });
      const outcome = await h.engine.originate(req, { accountId: h.accountId });
      expect(outcome).toEqual({ ok: true, callId: 'three' });
      expect([busy.invites.length, silent.invites.length, answers.invites.length]).toEqual([1, 1, 1]);
      expect(silent.transactionsOf('CANCEL')).toHaveLength(1);
      await waitFor(() => h.eventsOf('two').includes('CHANNEL_DESTROY') && h.eventsOf('three').includes('CHANNEL_ANSWER'));
      const order = h.events.filter((e) => ['CHANNEL_CREATE', 'CHANNEL_DESTROY'].includes(String(e['Event-Name']))).map((e) => `${String(e['Call-ID'])}:${String(e['Event-Name'])}`);
      expect(order).toEqual(['one:CHANNEL_CREATE', 'one:CHANNEL_DESTROY', 'two:CHANNEL_CREATE', 'two:CHANNEL_DESTROY', 'three:CHANNEL_CREATE']);
      expect(h.event('one', 'CHANNEL_DESTROY')).toMatchObject({ 'Hangup-Cause': 'USER_BUSY', 'Hangup-Code': 'sip:486' });
      expect(h.event('two', 'CHANNEL_DESTROY')?.['Hangup-Cause']).toBe('NO_ANSWER');
      // started once, when the first endpoint's INVITE went out
      expect(h.replies.map((r) => r['Event-Name'])).toEqual(['originate_uuid', 'originate_started', 'originate_resp']);
      expect(h.replies[1]?.['Call-ID']).toBe('one');
      expect(await h.inUse()).toBe(1);
      await answers.hangup();
      await waitFor(() => h.eventsOf('three').includes('CHANNEL_DESTROY'));
      expect(await h.inUse()).toBe(0);
    });

    it('creates no leg for endpoints never reached: the overall Timeout ends the hunt', async () => {
      h = await EngineHarness.start();
      await phone('r1', { kind: 'ring' });
      const never = await phone('r2', { kind: 'answer' });
      const req = h.request({ 'Dial-Endpoint-Method': 'single', Timeout: 1, Endpoints: [ep('r1', { 'Outbound-Call-ID': 'r-one' }), ep('r2', { 'Outbound-Call-ID': 'r-two' })] });
      const outcome = await h.engine.originate(req, { accountId: h.accountId });
      expect(outcome).toMatchObject({ ok: false, cause: 'NO_ANSWER' });
      expect(never.invites).toHaveLength(0);
      await waitFor(() => h.eventsOf('r-one').includes('CHANNEL_DESTROY') && h.replies.length === 3);
      expect(h.eventsOf('r-two')).toEqual([]);
      expect(h.replies[2]).toMatchObject({ 'Error-Message': 'NO_ANSWER' });
      expect(await h.inUse()).toBe(0);
    });
  });

  describe('bridge to Existing-Call-ID', () => {
    beforeEach(async () => {
      h = await EngineHarness.start();
    });

    it('joins a parked call to a new leg: SDP crosses, CHANNEL_BRIDGE on both, a BYE on one ends both', async () => {
      const parked = await phone('parked', { kind: 'answer' });
      const joiner = await phone('joiner', { kind: 'answer' });
      const park = await h.engine.originate(h.request({ 'Application-Name': 'park', Endpoints: [ep('parked', { 'Outbound-Call-ID': 'p-leg' })] }), { accountId: h.accountId });
      expect(park).toEqual({ ok: true, callId: 'p-leg' });
      const req = h.request({ 'Application-Name': 'bridge', 'Existing-Call-ID': 'p-leg', Endpoints: [ep('joiner', { 'Outbound-Call-ID': 'j-leg' })] });
      const bridged = await h.engine.originate(req, { accountId: h.accountId });
      expect(bridged).toEqual({ ok: true, callId: 'j-leg', otherLegCallId: 'p-leg' });
      await waitFor(() => h.eventsOf('p-leg').includes('CHANNEL_BRIDGE') && h.eventsOf('j-leg').includes('CHANNEL_BRIDGE'));
      expect(h.event('p-leg', 'CHANNEL_BRIDGE')?.['Other-Leg-Call-ID']).toBe('j-leg');
      expect(h.event('j-leg', 'CHANNEL_BRIDGE')?.['Other-Leg-Call-ID']).toBe('p-leg');
      // the parked phone got the joiner's offer, the joiner got the parked phone's answer
      expect(parked.receivedSdp.at(-1)).toContain(audioPort(joiner.media.port));
      // the joiner's answer comes in the ACK, which may land after the bridge events
      await waitFor(() => joiner.receivedSdp.at(-1)?.includes(audioPort(parked.media.port)) === true);
      expect(h.replies.filter((r) => r['Event-Name'] === 'originate_resp').at(-1)).toMatchObject({ 'Call-ID': 'j-leg', 'Other-Leg-Call-ID': 'p-leg' });
      await joiner.hangup();
      await waitFor(() => h.eventsOf('p-leg').includes('CHANNEL_DESTROY') && h.eventsOf('j-leg').includes('CHANNEL_DESTROY'));
      await waitFor(() => parked.byesReceived.length === 1);
      expect(h.eventsOf('p-leg')).toEqual(['CHANNEL_CREATE', 'CHANNEL_PROGRESS', 'CHANNEL_ANSWER', 'CHANNEL_BRIDGE', 'CHANNEL_UNBRIDGE', 'CHANNEL_DESTROY']);
      expect(h.engine.liveCallIds()).toEqual([]);
      expect(await h.inUse()).toBe(0);
    });

    it('refuses a bridge to a call that is not live here, before ringing anything', async () => {
      const joiner = await phone('joiner', { kind: 'answer' });
      const outcome = await h.engine.originate(h.request({ 'Application-Name': 'bridge', 'Existing-Call-ID': 'nope', Endpoints: [ep('joiner')] }), { accountId: h.accountId });
      expect(outcome.ok).toBe(false);
      expect(joiner.invites).toHaveLength(0);
      await waitFor(() => h.events.some((e) => e['Event-Name'] === 'originate_failed'));
    });
  });
});
