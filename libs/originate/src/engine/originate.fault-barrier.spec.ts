import { waitFor } from '@legwork/common/testing';
import { EngineHarness } from '../testing/engine-harness';
import { TestPhone } from '../testing/test-phone';

/** One call's fault ends that call (events, channel, reply) and the engine goes on serving the next one. */
describe('OriginateEngine fault barrier', () => {
  let h: EngineHarness;
  const phones: TestPhone[] = [];
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
  const ep = (user: string, extra: Record<string, unknown> = {}) => ({ 'Invite-Format': 'username' as const, 'To-Username': user, 'To-Realm': 'example.com', ...extra });
  const phone = async (name: string, behaviour: TestPhone['behaviour']): Promise<TestPhone> => {
    const p = await TestPhone.start(behaviour);
    phones.push(p);
    h.resolver.phones.set(name, p);
    return p;
  };
  /** A park call that must work after the fault: the phone answers, the engine says SUCCESS. */
  const nextCallWorks = async (): Promise<void> => {
    const device = await phone('next', { kind: 'answer', delayMs: 20 });
    const outcome = await h.engine.originate(h.request({ Endpoints: [ep('next', { 'Outbound-Call-ID': 'after-the-fault' })] }), { accountId: h.accountId });
    expect(outcome).toEqual({ ok: true, callId: 'after-the-fault' });
    expect(device.invites).toHaveLength(1);
    await h.engine.hangup('after-the-fault');
    await waitFor(() => h.eventsOf('after-the-fault').includes('CHANNEL_DESTROY'));
  };

  beforeEach(async () => {
    h = await EngineHarness.start({ max_concurrent_channels: 2 });
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(async () => {
    process.off('unhandledRejection', onUnhandled);
    await Promise.all(phones.splice(0).map((p) => p.close()));
    await h.close();
    expect(unhandled.splice(0)).toEqual([]);
  });

  it('an INVITE the SIP layer refuses to build (the quickcall crash) fails that leg with its events, not the process', async () => {
    await phone('alice', { kind: 'answer' });
    const invite = h.sip.invite.bind(h.sip);
    let thrown = 0;
    jest.spyOn(h.sip, 'invite').mockImplementation((opts) => {
      if (opts.callId === 'poisoned') {
        thrown += 1;
        throw new Error('expected \';\' at 29 in "<sip:1000>@host>"');
      }
      return invite(opts);
    });
    const req = h.request({ Endpoints: [ep('alice', { 'Outbound-Call-ID': 'poisoned' })] });
    const outcome = await h.engine.originate(req, { accountId: h.accountId });
    expect(thrown).toBe(1);
    expect(outcome).toMatchObject({ ok: false, cause: 'NORMAL_TEMPORARY_FAILURE' });
    await waitFor(() => h.eventsOf('poisoned').includes('CHANNEL_DESTROY'));
    expect(h.event('poisoned', 'CHANNEL_DESTROY')).toMatchObject({ 'Hangup-Cause': 'NORMAL_TEMPORARY_FAILURE' });
    expect(h.replies.filter((r) => r['Msg-ID'] === req['Msg-ID']).map((r) => [r['Event-Category'], r['Error-Message']])).toEqual([['resource', undefined], ['error', 'NORMAL_TEMPORARY_FAILURE']]);
    expect(await h.inUse()).toBe(0);
    await nextCallWorks();
    await waitFor(() => h.engine.stats().sessions === 0 && h.engine.stats().legs === 0);
  });

  it('an async error after answer (the transfer route lookup rejects) ends the answered call: BYE, CHANNEL_DESTROY, channel back', async () => {
    const device = await phone('bob', { kind: 'answer', delayMs: 20 });
    jest.spyOn(h.resolver, 'resolveRoute').mockRejectedValueOnce(new Error('directory exploded'));
    const req = h.request({ 'Application-Name': 'transfer', 'Application-Data': { Route: '+15551230000' }, Endpoints: [ep('bob', { 'Outbound-Call-ID': 'answered-then-fault' })] });
    expect(await h.engine.originate(req, { accountId: h.accountId })).toEqual({ ok: true, callId: 'answered-then-fault' });
    await waitFor(() => h.eventsOf('answered-then-fault').includes('CHANNEL_DESTROY'));
    await waitFor(() => device.byesReceived.length === 1);
    expect(await h.inUse()).toBe(0);
    await nextCallWorks();
  });

  it('a throwing callback of a leg (remote hangup) is contained and logged with the call id', async () => {
    const logged: Array<Record<string, unknown>> = [];
    const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (obj: object | string) => void logged.push(obj as Record<string, unknown>) };
    await h.close();
    h = await EngineHarness.start({}, { logger });
    const device = await phone('carol', { kind: 'answer', delayMs: 20 });
    const outcome = await h.engine.originate(h.request({ Endpoints: [ep('carol', { 'Outbound-Call-ID': 'callback-fault' })] }), { accountId: h.accountId });
    expect(outcome.ok).toBe(true);
    const leg = (h.engine as unknown as { findLeg(id: string): { onRemoteEnd(cb: () => void): void } }).findLeg('callback-fault');
    leg.onRemoteEnd(() => {
      throw new Error('listener bug');
    });
    await waitFor(() => device.dialogs.length === 1);
    await device.hangup();
    await waitFor(() => h.eventsOf('callback-fault').includes('CHANNEL_DESTROY'));
    expect(logged).toEqual(expect.arrayContaining([expect.objectContaining({ callId: 'callback-fault' })]));
    await nextCallWorks();
  });
});
