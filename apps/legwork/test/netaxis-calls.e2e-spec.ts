import { randomBytes } from 'node:crypto';
import { waitFor } from '@legwork/common/testing';
import { SippCarrier, SippCarrierCall, SippPhone, freePort, header, receivedRequests, type LoggedSipMessage } from '@legwork/originate/testing';
import { CallEvents, Rest, dataOf, startLegwork, type Json, type RunningPlatform } from './kazoo-platform.fixture';
import { NetaxisClient, type NetaxisReply } from './netaxis-client.fixture';

jest.setTimeout(45_000);

const tag = randomBytes(3).toString('hex');
const until = async (check: () => boolean | Promise<boolean>, what: string | (() => string), timeoutMs = 15_000): Promise<void> => {
  await waitFor(check, { message: what, timeoutMs });
};
const invitesAt = (peer: { messages(): string }): LoggedSipMessage[] => {
  const seen = new Set<string>();
  return receivedRequests(peer.messages(), 'INVITE').filter((m) => {
    const id = header(m, 'Call-ID') ?? '';
    return !seen.has(id) && seen.add(id) !== undefined;
  });
};
const reinvitesAt = (peer: { messages(): string }): LoggedSipMessage[] => receivedRequests(peer.messages(), 'INVITE').filter((m) => /;tag=/.test(header(m, 'To') ?? ''));
const count = (peer: { messages(): string }, method: string): number => receivedRequests(peer.messages(), method).length;
const userOf = (value: string | undefined): string | undefined => /<sip:([^@>;]+)[@>;]/.exec(value ?? '')?.[1];

/** A sub-error 59 answer with the seed's text. */
const expectNetaxis = (reply: NetaxisReply, status: number, message: string): void => {
  expect(reply).toMatchObject({ status, body: { error: { status, subErrorCode: 59, message } } });
};

// Seed 004 end to end: click-to-dial as the seed writes it, a real sipp phone and carrier, RabbitMQ, Redis, the media node.
describe('Netaxis call service end to end (one legwork process, real SIP peers)', () => {
  let platform: RunningPlatform;
  let events: CallEvents;
  let master: Rest;
  let desk: SippPhone;
  let ann: NetaxisClient;
  let bob: NetaxisClient;
  let gus: NetaxisClient;
  let org: NetaxisClient;
  let carrierPort: number;
  let consultedPort: number;
  let tenantId: string;
  let annId: string;
  let calls: (rest?: string) => string;
  let realm: string;

  beforeAll(async () => {
    platform = await startLegwork('nxs', { RTPENGINE_NG: process.env['RTPENGINE_NG'] ?? '127.0.0.1:2223', IMRN_TTL_SECONDS: '2' });
    events = await CallEvents.open(platform.scratch.AMQP_NAMESPACE);
    const anon = new Rest(platform.apiUrl);
    const auth = await anon.call('PUT', '/v2/api_auth', { api_key: platform.bootstrapKey });
    master = anon.withToken(String(auth.body.auth_token));
    const masterId = String(dataOf(auth)['account_id']);
    carrierPort = await freePort();
    consultedPort = await freePort();
    realm = `nx-${tag}.legwork.test`;
    const tenant = String((await master.create(`/v2/accounts/${masterId}`, { name: `nx-${tag}`, realm, country: 'BE', limits: { api_bucket: { burst: 1000, refill_per_second: 100 } }, imrn_ranges: [{ first: '+3236548200', last: '+3236548201' }] }))['id']);
    const t = `/v2/accounts/${tenant}`;
    tenantId = tenant;
    annId = String((await master.create(`${t}/users`, { first_name: 'Ann', last_name: 'Lee', username: `ann-${tag}`, password: 'ann-pw', caller_id: { external: { number: '+3225126780' } } }))['id']);
    const bobId = String((await master.create(`${t}/users`, { first_name: 'Bob', last_name: 'Roe', username: `bob-${tag}`, password: 'bob-pw' }))['id']);
    const gusId = String((await master.create(`${t}/users`, { first_name: 'Gus', last_name: 'Head', username: `gus-${tag}`, password: 'gus-pw' }))['id']);
    await master.create(`${t}/devices`, { name: 'desk', owner_id: annId, sip: { username: `desk-${tag}`, password: 'desk-pw' } });
    const group = String((await master.create(`${t}/groups`, { name: 'sales', endpoints: { [annId]: { type: 'user' }, [bobId]: { type: 'user' } }, admins: [gusId] }))['id']);
    await master.create(`${t}/resources`, { name: 'carrier', gateways: [{ server: `127.0.0.1:${carrierPort}` }], rules: ['^\\+3212345678$'] });
    await master.create(`${t}/resources`, { name: 'trunk-in', gateways: [{ server: '127.0.0.1:5999' }], rules: ['^\\+99$'], inbound: { enabled: true, sources: ['127.0.0.1'] } });
    await master.create(`${t}/resources`, { name: 'consulted', gateways: [{ server: `127.0.0.1:${consultedPort}` }], rules: ['^\\+3212345679$'] });
    const app = await master.create(`${t}/api_clients`, { name: `crm-${tag}`, dialect: 'netaxis' });
    calls = (rest = '') => `/api/v1/tenants/${tenant}/groups/${group}/users/${annId}/services/calls/${rest}`;

    desk = await SippPhone.start({ username: `desk-${tag}`, password: 'desk-pw', realm, registrar: `127.0.0.1:${platform.sipPort}`, behaviour: 'answer', answerDelayMs: 300 });
    await desk.waitRegistered();
    ann = await NetaxisClient.login(platform.apiUrl, `ann-${tag}@${realm}`, 'ann-pw');
    bob = await NetaxisClient.login(platform.apiUrl, `bob-${tag}@${realm}`, 'bob-pw');
    gus = await NetaxisClient.login(platform.apiUrl, `gus-${tag}@${realm}`, 'gus-pw');
    org = await NetaxisClient.login(platform.apiUrl, String(app['client_id']), String(app['client_secret']));
  }, 90_000);

  afterAll(async () => {
    await desk?.stop();
    await events?.close();
    await platform?.close();
  }, 30_000);

  it("click-to-dial: the user's phone rings and answers, the number is called and bridged; list, details, release", async () => {
    const carrier = await SippCarrier.start({ behaviour: 'answer-mirror', port: carrierPort });
    try {
      const before = invitesAt(desk).length;
      const res = await ann.call('POST', calls(), { phoneNumber: '+3212345678' });
      expect(res).toEqual({ status: 201, body: { callId: expect.any(String), externalTrackingId: expect.stringMatching(/^[0-9a-f-]{36}$/) } });
      const callId = String(res.body['callId']);
      await until(() => invitesAt(desk).length === before + 1, () => `INVITE at the phone\n${desk.log}`);
      // the phone shows whom it is about to call
      expect(userOf(header(invitesAt(desk).at(-1), 'From'))).toBe('+3212345678');
      await until(() => invitesAt(carrier).length === 1, () => `INVITE at the carrier\n${carrier.log}`);
      expect(userOf(header(invitesAt(carrier)[0], 'To'))).toBe('+3212345678');
      await until(() => events.of(callId, 'CHANNEL_BRIDGE').length === 1, 'the phone bridged to the carrier (CHANNEL_BRIDGE)');

      let details: Json = {};
      await until(async () => (details = (await ann.call('GET', calls(`${callId}/`))).body)['state'] === 'Active', () => `Active: ${JSON.stringify(details)}`);
      expect(details).toEqual({
        callId, externalTrackingId: res.body['externalTrackingId'], personality: 'Click-to-Dial', state: 'Active',
        remoteParty: { address: '+3212345678', callType: 'Unknown' }, endpoint: { addressOfRecord: `desk-${tag}@${realm}` }, appearance: 1,
        startTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/), answerTime: expect.stringMatching(/\.\d{6}$/),
        recorded: false, allowedRecordingControls: 'record',
      });
      expect((await ann.call('GET', calls())).body).toEqual({ calls: [{ callId, inConference: false }] });
      const listed = (await org.call('GET', `${calls()}?includeDetails=true`)).body['calls'] as Json[];
      expect(listed).toEqual([{ ...details, inConference: false, uri: calls(`${callId}/`) }]);

      // another EndUser of the same group reaches neither the user's list nor its call
      expect((await bob.call('GET', calls(`${callId}/`))).status).toBe(403);
      expect((await bob.call('DELETE', calls(`${callId}/`))).status).toBe(403);
      // the group's admin (set through the Kazoo groups API) reads it
      expect((await gus.call('GET', calls(`${callId}/`))).body).toMatchObject({ callId, state: 'Active' });
      // hold acts on the remote party: the carrier is re-INVITEd sendonly; again is sub-error 59; reconnect restores sendrecv
      expect(await ann.call('PUT', calls(`${callId}/`), { action: 'hold' })).toEqual({ status: 200, body: {} });
      await until(() => reinvitesAt(carrier).length === 1, () => `hold re-INVITE at the carrier\n${carrier.log}`);
      expect(reinvitesAt(carrier)[0]?.body).toContain('a=sendonly');
      await until(async () => (details = (await ann.call('GET', calls(`${callId}/`))).body)['state'] === 'Held', () => `Held: ${JSON.stringify(details)}`);
      expect((await ann.call('PUT', calls(`${callId}/`), { action: 'hold' })).body).toMatchObject({ error: { subErrorCode: 59 } });
      expect(await ann.call('PUT', calls(`${callId}/`), { action: 'reconnect' })).toEqual({ status: 200, body: {} });
      await until(() => reinvitesAt(carrier).length === 2, () => `reconnect re-INVITE at the carrier\n${carrier.log}`);
      expect(reinvitesAt(carrier)[1]?.body).toContain('a=sendrecv');
      await until(async () => (details = (await ann.call('GET', calls(`${callId}/`))).body)['state'] === 'Active', () => `Active again: ${JSON.stringify(details)}`);
      expect((await ann.call('PUT', calls(`${callId}/`), { action: 'startRecording' })).body).toMatchObject({ error: { subErrorCode: 59, message: 'Recording is disabled for this call.' } });
      // the media node offers no multiple-appearance service: it refuses retrieve, the user hears nothing of it
      expect(await ann.call('POST', calls('retrieve/'))).toMatchObject({ status: 400, body: { error: { code: 'INVALID_CALL_STATE', detail: expect.any(String) } } });
      expect(count(desk, 'BYE') + count(carrier, 'BYE')).toBe(0);

      const release = await ann.call('DELETE', calls(`${callId}/`));
      expect(release).toEqual({ status: 200, body: {} });
      await until(() => count(desk, 'BYE') >= 1 && count(carrier, 'BYE') === 1, () => `BYE at the phone and the carrier\n${desk.log}\n${carrier.log}`);
      await until(async () => (details = (await ann.call('GET', calls(`${callId}/`))).body)['state'] === 'Released', () => `Released: ${JSON.stringify(details)}`);
      expect(details).toMatchObject({ callId, personality: 'Click-to-Dial', remoteParty: { address: '+3212345678' }, answerTime: expect.any(String) });
      expect((await ann.call('GET', calls())).body).toEqual({ calls: [] });
      expect((await ann.call('DELETE', calls(`${callId}/`))).status).toBe(404);
    } finally {
      await carrier.stop();
    }
  });

  it('consultativeTransfer: the held party and the consulted one are joined, both of the user\'s legs get BYE; transferring the released call again is sub-error 59', async () => {
    const held = await SippCarrier.start({ behaviour: 'answer-mirror', port: carrierPort, sdp: { ip: '127.0.0.1', port: 40_032 } });
    const consulted = await SippCarrier.start({ behaviour: 'answer-mirror', port: consultedPort, sdp: { ip: '127.0.0.1', port: 40_034 } });
    try {
      const dial = async (phoneNumber: string, carrier: SippCarrier): Promise<string> => {
        const res = await ann.call('POST', calls(), { phoneNumber });
        expect(res.status).toBe(201);
        const callId = String(res.body['callId']);
        await until(() => invitesAt(carrier).length === 1 && events.of(callId, 'CHANNEL_BRIDGE').length === 1, () => `${phoneNumber} bridged\n${carrier.log}`);
        return callId;
      };
      const first = await dial('+3212345678', held);
      expect(await ann.call('PUT', calls(`${first}/`), { action: 'hold' })).toEqual({ status: 200, body: {} });
      const second = await dial('+3212345679', consulted);
      const byes = count(desk, 'BYE');

      expect(await ann.call('PUT', calls(`${first}/`), { action: 'consultativeTransfer', transferCallId: second })).toEqual({ status: 200, body: {} });
      // the held party gets the consulted one's session (off hold), the consulted one the held one's
      await until(() => reinvitesAt(held).length === 2 && reinvitesAt(consulted).length === 1, () => `re-INVITEs\n${held.log}\n${consulted.log}`);
      expect(reinvitesAt(held)[1]?.body).toContain('m=audio 40034 ');
      expect(reinvitesAt(consulted)[0]?.body).toContain('m=audio 40032 ');
      await until(() => count(desk, 'BYE') === byes + 2, () => `two BYEs at the phone\n${desk.log}`);
      expect(count(held, 'BYE') + count(consulted, 'BYE')).toBe(0);
      await until(async () => (await ann.call('GET', calls())).body['calls'] !== undefined && ((await ann.call('GET', calls())).body['calls'] as Json[]).length === 0, 'the user has no call left');
      expectNetaxis(await ann.call('PUT', calls(`${first}/`), { action: 'consultativeTransfer', transferCallId: second }), 400, 'The state of the call is not valid.');
      // the joined parties are one call now: hanging up one (over Kazoo's channels) releases the other
      const remote = String(events.of(first, 'CHANNEL_BRIDGE')[0]?.['Other-Leg-Call-ID']);
      expect(await master.call('PUT', `/v2/accounts/${tenantId}/channels/${remote}`, { action: 'hangup' })).toMatchObject({ status: 202 });
      await until(() => count(held, 'BYE') === 1 && count(consulted, 'BYE') === 1, () => `BYE at both carriers\n${held.log}\n${consulted.log}`);
    } finally {
      await Promise.all([held.stop(), consulted.stop()]);
    }
  });

  it('IMRN: a call to the reserved number within its TTL reaches phoneNumber as callingPhoneNumber; used, expired or with the pool exhausted it is refused', async () => {
    const remote = await SippCarrier.start({ behaviour: 'answer-bye', port: carrierPort });
    const inbound = (imrn: string, expect: number): Promise<SippCarrierCall> => SippCarrierCall.start({ target: `127.0.0.1:${platform.sipPort}`, from: '127.0.0.1', did: imrn, caller: '+3247000001', expect });
    try {
      const reserved = await ann.call('POST', calls('imrn/'), { phoneNumber: '+3212345678', callingPhoneNumber: '+3225126780' });
      expect(reserved).toEqual({ status: 201, body: { imrn: '+3236548200' } });
      const call = await inbound('+3236548200', 200);
      expect(await call.exited).toMatchObject({ code: 0 });
      expect(invitesAt(remote)).toHaveLength(1);
      expect(userOf(header(invitesAt(remote)[0], 'To'))).toBe('+3212345678');
      expect(userOf(header(invitesAt(remote)[0], 'From'))).toBe('+3225126780');
      // used once: the number is free again and a second call to it finds no reservation
      expect((await (await inbound('+3236548200', 404)).exited).code).toBe(0);

      const first = await ann.call('POST', calls('imrn/'), { phoneNumber: '+3212345678', callingPhoneNumber: '+3225126780' });
      const second = await ann.call('POST', calls('imrn/'), { phoneNumber: '+3212345678', callingPhoneNumber: '+3225126780' });
      expect([first.body['imrn'], second.body['imrn']].sort()).toEqual(['+3236548200', '+3236548201']);
      expectNetaxis(await ann.call('POST', calls('imrn/'), { phoneNumber: '+3212345678', callingPhoneNumber: '+3225126780' }), 400, 'IMRN allocation failed.');
      // past the TTL (2 s here) the reservation is gone: the call is refused and the carrier is never called again
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect((await (await inbound(String(first.body['imrn']), 404)).exited).code).toBe(0);
      expect(invitesAt(remote)).toHaveLength(1);
      expect(await ann.call('POST', calls('imrn/'), { phoneNumber: '+3212345678', callingPhoneNumber: '+3225126780' })).toMatchObject({ status: 201 });
    } finally {
      await remote.stop();
    }
  });

  it('retrieve: the user\'s other phone rings, answers and takes the call from the desk (BYE); 201 {callId, externalTrackingId}', async () => {
    const carrier = await SippCarrier.start({ behaviour: 'answer-mirror', port: carrierPort, sdp: { ip: '127.0.0.1', port: 40_052 } });
    await master.create(`/v2/accounts/${tenantId}/devices`, { name: 'mobile', owner_id: annId, sip: { username: `mobile-${tag}`, password: 'mobile-pw' } });
    let mobile: SippPhone | undefined;
    try {
      const dialled = await ann.call('POST', calls(), { phoneNumber: '+3212345678' });
      const callId = String(dialled.body['callId']);
      await until(() => events.of(callId, 'CHANNEL_BRIDGE').length === 1, 'the desk bridged to the carrier');
      // the mobile registers only now, so the click-to-dial rang the desk alone
      mobile = await SippPhone.start({ username: `mobile-${tag}`, password: 'mobile-pw', realm, registrar: `127.0.0.1:${platform.sipPort}`, behaviour: 'answer', answerDelayMs: 200, sdp: { ip: '127.0.0.1', port: 40_054 } });
      await mobile.waitRegistered();
      const byes = count(desk, 'BYE');
      const retrieved = await ann.call('POST', calls('retrieve/'));
      expect(retrieved).toEqual({ status: 201, body: { callId, externalTrackingId: dialled.body['externalTrackingId'] } });
      const phone = mobile;
      await until(() => invitesAt(phone).length === 1, () => `INVITE at the mobile\n${phone.log}`);
      expect(invitesAt(phone)[0]?.body).toContain('m=audio 40052 ');
      await until(() => count(desk, 'BYE') === byes + 1, () => `BYE at the desk\n${desk.log}`);
      await until(() => receivedRequests(carrier.messages(), 'ACK').some((m) => m.body.includes('m=audio 40054 ')), () => `the carrier gets the mobile's session\n${carrier.log}`);
      // the user's call is now the mobile's: released from the API, both ends get BYE
      let live: Json[] = [];
      await until(async () => (live = ((await ann.call('GET', calls())).body['calls'] as Json[] | undefined) ?? []).length === 1 && live[0]?.['callId'] !== callId, () => `the mobile's call listed: ${JSON.stringify(live)}`);
      expect(await ann.call('DELETE', calls(`${String(live[0]?.['callId'])}/`))).toEqual({ status: 200, body: {} });
      await until(() => count(phone, 'BYE') === 1 && count(carrier, 'BYE') === 1, 'BYE at the mobile and the carrier');
    } finally {
      await Promise.all([carrier.stop(), mobile?.stop()]);
    }
  });

  it('an invalid number is 400 and rings nothing', async () => {
    const before = invitesAt(desk).length;
    const res = await ann.call('POST', calls(), { phoneNumber: '12' });
    expect(res.body).toMatchObject({ error: { status: 400, code: 'INVALID_PHONE_NUMBER', field: 'phoneNumber' } });
    expect(invitesAt(desk)).toHaveLength(before);
  });
});
