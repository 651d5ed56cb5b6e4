import { waitFor } from '@legwork/common/testing';
import { randomBytes } from 'node:crypto';
import { SippCarrierCall, SippPhone, header, receivedRequests } from '@legwork/originate/testing';
import { CallEvents, Rest, dataOf, startLegwork, type Json, type RunningPlatform } from './kazoo-platform.fixture';

jest.setTimeout(45_000);

const tag = randomBytes(3).toString('hex');
// DIDs are unique platform-wide: this run's own
const DID = `+1555${String(parseInt(tag, 16) % 1000).padStart(3, '0')}0042`;

/** A carrier call to a DID provisioned over REST, through the whole platform: events, CDR, refusal of strangers. */
describe('inbound calls end to end: resources and DIDs over the Kazoo API, a carrier and a phone over SIP', () => {
  let platform: RunningPlatform;
  let events: CallEvents;
  let api: Rest;
  let accountId = '';
  let phone: SippPhone;
  const carriers: SippCarrierCall[] = [];

  beforeAll(async () => {
    platform = await startLegwork('kin');
    events = await CallEvents.open(platform.scratch.AMQP_NAMESPACE);
    const anon = new Rest(platform.apiUrl);
    const auth = await anon.call('PUT', '/v2/api_auth', { api_key: platform.bootstrapKey });
    api = anon.withToken(String(auth.body.auth_token));
    const realm = `in-${tag}.legwork.test`;
    accountId = String((await api.create(`/v2/accounts/${String(dataOf(auth)['account_id'])}`, { name: `in-${tag}`, realm }))['id']);
    const base = `/v2/accounts/${accountId}`;
    const user = String((await api.create(`${base}/users`, { first_name: 'In', last_name: 'Bound', dids: [DID] }))['id']);
    await api.create(`${base}/devices`, { name: 'desk', owner_id: user, sip: { username: `desk-${tag}`, password: 'desk-pw' } });
    const resource = await api.create(`${base}/resources`, { name: 'trunk', gateways: [{ server: '127.0.0.1:5999' }], inbound: { enabled: true, sources: ['127.0.0.1'] } });
    expect(resource['inbound']).toEqual({ enabled: true, sources: ['127.0.0.1'] });
    phone = await SippPhone.start({ username: `desk-${tag}`, password: 'desk-pw', realm, registrar: `127.0.0.1:${platform.sipPort}`, behaviour: 'answer', answerDelayMs: 200, byeAfterMs: 800 });
    await phone.waitRegistered();
  }, 90_000);

  afterAll(async () => {
    for (const c of carriers) await c.stop().catch(() => undefined);
    await phone?.stop();
    await events?.close();
    await platform?.close();
  }, 30_000);

  const call = async (from: string, expect: number): Promise<SippCarrierCall> => {
    const carrier = await SippCarrierCall.start({ target: `127.0.0.1:${platform.sipPort}`, from, did: DID, caller: '+14155550123', expect });
    carriers.push(carrier);
    return carrier;
  };

  it("rings the DID owner's device and bridges it; the caller's leg is inbound on the owner's account, in its events and its CDR", async () => {
    const carrier = await call('127.0.0.1', 200);
    // the phone hangs up after a while: the carrier gets our BYE
    expect(await carrier.exited).toMatchObject({ code: 0 });
    const created = events.events.find((e) => e['Event-Name'] === 'CHANNEL_CREATE' && e['Call-Direction'] === 'inbound' && e['Callee-ID-Number'] === DID);
    expect(created).toMatchObject({ 'Account-ID': accountId, 'Caller-ID-Number': '+14155550123' });
    const callerId = String(created?.['Call-ID']);
    const deviceLeg = String(header(receivedRequests(phone.messages(), 'INVITE')[0], 'Call-ID'));
    expect(events.of(callerId, 'CHANNEL_BRIDGE')[0]).toMatchObject({ 'Other-Leg-Call-ID': deviceLeg });

    let cdr: Json | undefined;
    await waitFor(async () => {
      const res = await api.call('GET', `/v2/accounts/${accountId}/cdrs`);
      cdr = (res.body.data as Json[] | undefined)?.find((c) => c['id'] === callerId);
      return cdr !== undefined;
    }, { message: `CDR of ${callerId}`, timeoutMs: 15_000, intervalMs: 250 });
    expect(cdr).toMatchObject({ call_id: callerId, account_id: accountId, call_direction: 'inbound', hangup_cause: 'NORMAL_CLEARING', other_leg_call_id: deviceLeg });
  });

  it('the same call from an unlisted source is refused 403 and the phone never rings', async () => {
    const before = receivedRequests(phone.messages(), 'INVITE').length;
    const carrier = await call('127.0.0.2', 403);
    expect(await carrier.exited).toMatchObject({ code: 0 });
    expect(receivedRequests(phone.messages(), 'INVITE')).toHaveLength(before);
  });
});
