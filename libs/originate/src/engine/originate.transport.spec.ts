import { waitFor } from '@legwork/common/testing';
import { EngineHarness } from '../testing/engine-harness';
import { TestPhone } from '../testing/test-phone';

/** The Contact we send names the transport of the flow, so in-dialog requests come back on it. */
describe('OriginateEngine over TCP legs', () => {
  let h: EngineHarness;
  let phone: TestPhone;
  const ep = { 'Invite-Format': 'username' as const, 'To-Username': 'alice', 'To-Realm': 'example.com' };

  beforeEach(async () => {
    h = await EngineHarness.start({}, { tcp: true });
    phone = await TestPhone.start({ kind: 'answer' }, { protocol: 'tcp' });
    h.resolver.phones.set('alice', phone);
  });
  afterEach(async () => {
    await phone.close();
    await h.close();
  });

  async function answered(): Promise<string> {
    const outcome = await h.engine.originate(h.request({ Endpoints: [ep] }), { accountId: h.accountId });
    if (!outcome.ok) throw new Error(`originate failed: ${outcome.reason}`);
    await waitFor(() => h.eventsOf(outcome.callId).includes('CHANNEL_ANSWER'));
    return outcome.callId;
  }

  it("puts ;transport=tcp in the INVITE's Contact, so the phone's BYE comes back over TCP", async () => {
    const callId = await answered();
    const [invite] = phone.requestsOf('INVITE');
    expect(phone.arrivedOver.get(invite)).toBe('tcp');
    expect(invite.headers.get('contact')).toMatch(/^<sip:legwork@127\.0\.0\.1:\d+;transport=tcp>$/);
    await phone.hangup();
    await waitFor(() => h.eventsOf(callId).includes('CHANNEL_DESTROY'));
    const byes = h.requests.filter((r) => r.method === 'BYE');
    expect(byes.map((r) => h.arrivedOver.get(r))).toEqual(['tcp']);
    expect(h.event(callId, 'CHANNEL_DESTROY')?.['Hangup-Cause']).toBe('NORMAL_CLEARING');
  });

  it('sends its own BYE toward a TCP phone over TCP', async () => {
    const callId = await answered();
    expect(await h.engine.hangup(callId)).toBe(true);
    await waitFor(() => phone.byesReceived.length === 1);
    expect(phone.requestsOf('BYE').map((r) => phone.arrivedOver.get(r))).toEqual(['tcp']);
    await waitFor(() => h.eventsOf(callId).includes('CHANNEL_DESTROY'));
    expect(await h.inUse()).toBe(0);
  });
});

describe('OriginateEngine and bindings of another node', () => {
  let h: EngineHarness;
  let phone: TestPhone;

  beforeEach(async () => {
    h = await EngineHarness.start();
    phone = await TestPhone.start({ kind: 'answer' });
  });
  afterEach(async () => {
    await phone.close();
    await h.close();
  });

  it("never rings an endpoint whose connection another node holds (its Contact could name any host)", async () => {
    const endpoint = { 'Invite-Format': 'username' as const, 'To-Username': 'dave', 'To-Realm': 'example.com' };
    const req = h.request({ Endpoints: [endpoint] });
    const resolved = {
      endpoints: [{ index: 0, endpoint, callId: 'foreign-leg', requestUri: phone.uri('dave'), target: phone.target, ownerNode: 'node-elsewhere', headers: [], autoAnswer: false }],
      failures: [],
    };
    const outcome = await h.engine.originate(req, { accountId: h.accountId, resolved });
    expect(outcome).toEqual({ ok: false, cause: 'DESTINATION_OUT_OF_ORDER', reason: 'reachable only through the connection node node-elsewhere holds' });
    expect(phone.requestsOf('INVITE')).toEqual([]);
    expect(await h.inUse()).toBe(0);
  });
});
