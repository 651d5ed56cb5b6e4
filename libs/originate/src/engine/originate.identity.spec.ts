import { waitFor } from '@legwork/common/testing';
import { EngineHarness } from '../testing/engine-harness';
import { TestPhone } from '../testing/test-phone';

/** Anonymous callers are presented the RFC 3323/3325 way: anonymous From, Privacy: id, the real identity only to carriers. */
describe('OriginateEngine caller identity', () => {
  let h: EngineHarness;
  let device: TestPhone;
  let carrier: TestPhone;
  const ep = { 'Invite-Format': 'username' as const, 'To-Username': 'alice', 'To-Realm': 'example.com' };

  beforeEach(async () => {
    h = await EngineHarness.start();
    device = await TestPhone.start({ kind: 'answer' });
    carrier = await TestPhone.start({ kind: 'answer' });
    h.resolver.phones.set('alice', device);
    h.resolver.carrier = carrier;
  });
  afterEach(async () => {
    await Promise.all([device.close(), carrier.close()]);
    await h.close();
  });

  async function transfer(extra: Record<string, unknown>): Promise<void> {
    const outcome = await h.engine.originate(h.request({ 'Application-Name': 'transfer', 'Application-Data': { Route: '+15551234567' }, Endpoints: [ep], ...extra }), { accountId: h.accountId });
    if (!outcome.ok) throw new Error(outcome.reason);
    await waitFor(() => carrier.invites.length > 0);
  }

  it('rings a device as "Anonymous" <sip:anonymous@anonymous.invalid> with Privacy: id when no caller id is known, and asserts nothing to it', async () => {
    await transfer({ 'Caller-ID-Number': 'anonymous' });
    const invite = device.invites[0]?.request;
    expect(invite?.headers.get('from')).toMatch(/^"Anonymous" <sip:anonymous@anonymous\.invalid>;tag=/);
    expect(invite?.headers.get('privacy')).toBe('id');
    expect(invite?.headers.get('p-asserted-identity')).toBeUndefined();
  });

  it('presents an anonymous B-leg to the carrier with Privacy: id and keeps the device identity in P-Asserted-Identity', async () => {
    await transfer({ 'Caller-ID-Number': 'anonymous', 'Caller-ID-Name': 'Boss' });
    const invite = carrier.invites[0]?.request;
    expect(invite?.headers.get('from')).toMatch(/^"Anonymous" <sip:anonymous@anonymous\.invalid>;tag=/);
    expect(invite?.headers.get('privacy')).toBe('id');
    expect(invite?.headers.get('p-asserted-identity')).toBe('<sip:1alice@127.0.0.1>');
    const bCreate = h.events.find((e) => e['Event-Name'] === 'CHANNEL_CREATE' && e['Call-ID'] === invite?.callId);
    expect(bCreate?.['Caller-ID-Number']).toBe('anonymous');
  });

  it('leaves a presented number alone: its own From, no Privacy', async () => {
    // a number presented to a carrier must be the account's own (outbound rules)
    await h.directory.accounts.patch(h.accountId, { outbound: { caller_id_numbers: ['+15557654321'] } });
    await transfer({ 'Outbound-Caller-ID-Number': '5550000', 'Caller-ID-Number': '+15557654321' });
    expect(device.invites[0]?.request.headers.get('from')).toMatch(/^<sip:5550000@127\.0\.0\.1>;tag=/);
    const invite = carrier.invites[0]?.request;
    expect(invite?.headers.get('from')).toMatch(/^"Device alice" <sip:\+15557654321@127\.0\.0\.1>;tag=/);
    expect(invite?.headers.get('privacy')).toBeUndefined();
    expect(invite?.headers.get('p-asserted-identity')).toBeUndefined();
  });
});
