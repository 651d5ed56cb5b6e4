import { waitFor } from '@legwork/common/testing';
import { EngineHarness } from '../testing/engine-harness';
import { TestPhone } from '../testing/test-phone';

/** Outbound rules are enforced in the engine, so every dialect (AMQP, REST) gets them, before anything rings. */
describe('OriginateEngine outbound rules', () => {
  let h: EngineHarness;
  let device: TestPhone;
  let carrier: TestPhone;
  const ep = (extra: Record<string, unknown> = {}) => ({ 'Invite-Format': 'username' as const, 'To-Username': 'alice', 'To-Realm': 'example.com', ...extra });
  const transfer = (route: string, extra: Record<string, unknown> = {}) => h.request({ 'Application-Name': 'transfer', 'Application-Data': { Route: route }, Endpoints: [ep()], ...extra });
  const expectBarred = async (req: ReturnType<typeof transfer>, reason: RegExp): Promise<void> => {
    const outcome = await h.engine.originate(req, { accountId: h.accountId });
    expect(outcome).toMatchObject({ ok: false, cause: 'OUTGOING_CALL_BARRED', reason: expect.stringMatching(reason) });
    expect(device.invites).toHaveLength(0);
    await waitFor(() => h.replies.some((r) => r['Msg-ID'] === req['Msg-ID']));
    expect(h.replies.filter((r) => r['Msg-ID'] === req['Msg-ID'])).toEqual([expect.objectContaining({ 'Event-Category': 'error', 'Error-Message': 'OUTGOING_CALL_BARRED' })]);
    await waitFor(() => h.events.some((e) => e['Event-Name'] === 'originate_failed' && (e['Request'] as Record<string, unknown>)['Msg-ID'] === req['Msg-ID']));
    expect(await h.inUse()).toBe(0);
  };

  beforeEach(async () => {
    h = await EngineHarness.start();
    device = await TestPhone.start({ kind: 'answer', delayMs: 20 });
    carrier = await TestPhone.start({ kind: 'answer', delayMs: 20 });
    h.resolver.phones.set('alice', device);
    h.resolver.carrier = carrier;
  });
  afterEach(async () => {
    await Promise.all([device.close(), carrier.close()]);
    await h.close();
  });

  it('refuses a premium-rate destination before the device rings (default rules)', async () => {
    await expectBarred(transfer('+19005550100'), /premium_rate/);
  });

  it('refuses what the account restricts: no international calls for a US account', async () => {
    await h.directory.accounts.patch(h.accountId, { country: 'US', outbound: { allow_international: false } });
    await expectBarred(transfer('+442079460000'), /international/);
  });

  it("narrows by the originating user's rules", async () => {
    const resolve = h.resolver.resolve.bind(h.resolver);
    jest.spyOn(h.resolver, 'resolve').mockImplementation(async (req) => {
      const found = await resolve(req);
      return { ...found, endpoints: found.endpoints.map((e) => ({ ...e, owner: { id: 'u-ann', outbound: { deny_classes: ['toll_free' as const] } } })) };
    });
    await expectBarred(transfer('+18005550100'), /user u-ann/);
  });

  it('refuses a Caller-ID-Number toward the carrier that the account does not own, and presents one it owns', async () => {
    await expectBarred(transfer('+14155550100', { 'Caller-ID-Number': '+19175550100' }), /caller id \+19175550100/);
    await h.directory.accounts.patch(h.accountId, { outbound: { caller_id_numbers: ['^\\+1917555\\d{4}$'] } });
    const outcome = await h.engine.originate(transfer('+14155550100', { 'Caller-ID-Number': '+19175550100' }), { accountId: h.accountId });
    expect(outcome.ok).toBe(true);
    await waitFor(() => carrier.invites.length === 1);
    expect(carrier.invites[0].request.headers.get('From')).toContain('<sip:+19175550100@');
    if (outcome.ok) await h.engine.hangup(outcome.callId);
  });

  it('lets ordinary destinations and the device\'s own caller id through', async () => {
    const outcome = await h.engine.originate(transfer('+18005550100'), { accountId: h.accountId });
    expect(outcome.ok).toBe(true);
    await waitFor(() => carrier.invites.length === 1);
    expect(carrier.invites[0].request.headers.get('From')).toContain('<sip:1alice@');
    if (outcome.ok) await h.engine.hangup(outcome.callId);
  });
});
