import { waitFor } from '@legwork/common/testing';
import { createHash, randomBytes } from 'node:crypto';
import { type LoggedSipMessage, SippCarrier, SippPhone, freePort, header, receivedRequests, sdpAudio, sentResponses } from '@legwork/originate/testing';
import { CallEvents, Rest, dataOf, startLegwork, type Json, type RunningPlatform } from './kazoo-platform.fixture';

// Every `it` is bounded well below this; the platform start in beforeAll gets its own budget.
jest.setTimeout(30_000);

const tag = randomBytes(3).toString('hex');
const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
/** The dialled numbers all match the carrier's rule. */
const NUMBER = (n: number): string => `%2B1415555${String(n).padStart(4, '0')}`;

/** `"Name" <sip:user@host>` → display name and user part. */
function party(value: string | undefined): { name: string | undefined; user: string | undefined } {
  const m = /^\s*(?:"([^"]*)"\s*)?<sip:([^@>;]+)[@>;]/.exec(value ?? '');
  return { name: m?.[1], user: m?.[2] };
}

const callIdsOf = (msgs: LoggedSipMessage[]): string[] => [...new Set(msgs.map((m) => header(m, 'Call-ID') ?? ''))];
const invites = (peer: { messages(): string }): string[] => callIdsOf(receivedRequests(peer.messages(), 'INVITE'));
const inviteOf = (peer: { messages(): string }, callId: string): LoggedSipMessage | undefined =>
  receivedRequests(peer.messages(), 'INVITE').find((m) => header(m, 'Call-ID') === callId);

describe('Kazoo quickcall end to end: REST in, real SIP peers out (one legwork process, RabbitMQ, Redis)', () => {
  let platform: RunningPlatform;
  let events: CallEvents;
  let master: Rest;
  let owner: Rest;
  let base: string;
  const ids: Record<string, string> = {};
  const phones: SippPhone[] = [];
  let desk1: SippPhone;
  let desk2: SippPhone;
  let carrierPort: number;
  let carrier: SippCarrier | undefined;
  const phoneSdp = { ip: '127.0.0.1', port: 0 };
  let firstCall = '';

  const startCarrier = async (): Promise<SippCarrier> => {
    await carrier?.stop();
    carrier = await SippCarrier.start({ behaviour: 'answer', port: carrierPort });
    return carrier;
  };
  const destroyed = (callId: string): Promise<unknown> =>
    waitFor(() => events.of(callId, 'CHANNEL_DESTROY').length > 0, { message: `CHANNEL_DESTROY of ${callId}`, timeoutMs: 20_000 }).catch((err: unknown) => {
      const seen = events.events.filter((e) => String(e['Call-ID']).startsWith(callId.slice(0, 8)) || e['Other-Leg-Call-ID'] === callId).map((e) => `${String(e['Event-Name'])} ${String(e['Call-ID'])} ${String(e['Hangup-Cause'] ?? '')}`);
      throw new Error(`${String(err)}\nevents: ${seen.join('\n')}\nphone:\n${desk1.messages().slice(-6000)}\ncarrier:\n${carrier?.messages().slice(-3000) ?? ''}`);
    });
  const endpointCallIds = (data: Json): string[] => (data['endpoints'] as Json[]).map((e) => String(e['outbound_call_id']));

  beforeAll(async () => {
    platform = await startLegwork('kqc', { RTPENGINE_NG: process.env['RTPENGINE_NG'] ?? '127.0.0.1:2223' });
    events = await CallEvents.open(platform.scratch.AMQP_NAMESPACE);
    const anon = new Rest(platform.apiUrl);
    const auth = await anon.call('PUT', '/v2/api_auth', { api_key: platform.bootstrapKey });
    expect(auth.status).toBe(201);
    master = anon.withToken(String(auth.body.auth_token));
    const masterId = String(dataOf(auth)['account_id']);

    const realm = `qc-${tag}.legwork.test`;
    ids.a = String((await master.create(`/v2/accounts/${masterId}`, { name: `qc-${tag}`, realm }))['id']);
    base = `/v2/accounts/${ids.a}`;
    ids.ann = String((await master.create(`${base}/users`, {
      first_name: 'Ann', last_name: 'Lee', username: `ann-${tag}`, password: 'ann-secret', caller_id: { external: { name: 'Ann Lee', number: '+14155550100' } },
    }))['id']);
    const device = async (name: string, extra: Json = {}): Promise<string> =>
      String((await master.create(`${base}/devices`, { name, sip: { username: `${name}-${tag}`, password: `${name}-pw` }, ...extra }))['id']);
    ids.desk1 = await device('desk1', { owner_id: ids.ann, caller_id: { external: { name: 'Desk One', number: '+14155550111' } } });
    ids.desk2 = await device('desk2', { owner_id: ids.ann });
    ids.offline = await device('offline');
    carrierPort = await freePort();
    await master.create(`${base}/resources`, { name: 'carrier', gateways: [{ server: `127.0.0.1:${carrierPort}` }], rules: ['^\\+1415555\\d{4}$'] });

    const userAuth = await anon.call('PUT', '/v2/user_auth', { credentials: md5(`ann-${tag}:ann-secret`), account_realm: realm });
    expect(userAuth.status).toBe(201);
    owner = anon.withToken(String(userAuth.body.auth_token));

    phoneSdp.port = await freePort();
    const registrar = `127.0.0.1:${platform.sipPort}`;
    desk1 = await SippPhone.start({ username: `desk1-${tag}`, password: 'desk1-pw', realm, registrar, behaviour: 'answer', answerDelayMs: 200, byeAfterMs: 1500, sdp: phoneSdp });
    desk2 = await SippPhone.start({ username: `desk2-${tag}`, password: 'desk2-pw', realm, registrar, behaviour: 'noanswer' });
    phones.push(desk1, desk2);
    await Promise.all(phones.map((p) => p.waitRegistered()));
  }, 90_000);

  afterAll(async () => {
    await carrier?.stop();
    await Promise.all(phones.map((p) => p.stop()));
    await events?.close();
    await platform?.close();
  }, 30_000);

  it('GET quickcall: 202 with the call ids at once; the device rings and answers, the carrier gets the call, events carry the CAVs', async () => {
    const gw = await startCarrier();
    const res = await owner.call('GET', `${base}/devices/${ids.desk1}/quickcall/${NUMBER(199)}?crm_id=42&campaign=spring`);
    expect(res.status).toBe(202);
    const data = dataOf(res);
    expect(data).toMatchObject({ application_name: 'transfer', application_data: { route: '+14155550199' }, custom_application_vars: { crm_id: '42', campaign: 'spring' } });
    const [callId] = endpointCallIds(data);
    expect(callId).toMatch(/-quickcall$/);
    firstCall = callId;

    await waitFor(() => inviteOf(desk1, callId) !== undefined, { message: `INVITE ${callId} at the phone\n${desk1.log}`, timeoutMs: 15_000 });
    await waitFor(() => invites(gw).length === 1, { message: `INVITE at the carrier\n${gw.log}`, timeoutMs: 15_000 });
    const atCarrier = receivedRequests(gw.messages(), 'INVITE')[0];
    expect(party(header(atCarrier, 'From'))).toEqual({ name: 'Desk One', user: '+14155550111' });
    expect(party(header(atCarrier, 'To')).user).toBe('+14155550199');

    await waitFor(() => events.of(callId, 'CHANNEL_ANSWER').length > 0, { message: `CHANNEL_ANSWER of ${callId}`, timeoutMs: 15_000 });
    await waitFor(() => sentResponses(desk1.messages(), 200).some((m) => header(m, 'Call-ID') === callId), { message: `the phone's 200 for ${callId}`, timeoutMs: 15_000 });
    await destroyed(callId);
    const mine = events.of(callId);
    expect(mine.map((e) => e['Event-Name'])).toEqual(expect.arrayContaining(['CHANNEL_CREATE', 'CHANNEL_ANSWER', 'CHANNEL_DESTROY']));
    for (const e of mine) expect({ event: e['Event-Name'], cavs: e['Custom-Application-Vars'] }).toEqual({ event: e['Event-Name'], cavs: { crm_id: '42', campaign: 'spring' } });
  });

  it('the CAVs of the query string are on the CDR once the call ended', async () => {
    let cdr: Json | undefined;
    await waitFor(async () => {
      const res = await owner.call('GET', `${base}/cdrs`);
      cdr = (res.body.data as Json[] | undefined)?.find((c) => c['id'] === firstCall);
      return cdr !== undefined;
    }, { message: `CDR of ${firstCall}`, timeoutMs: 15_000, intervalMs: 250 });
    expect(cdr).toMatchObject({ call_id: firstCall, account_id: ids.a, custom_application_vars: { crm_id: '42', campaign: 'spring' } });
  });

  it('POST quickcall answers 202 once the channel started, request and originate_resp merged', async () => {
    await startCarrier();
    const res = await owner.call('POST', `${base}/devices/${ids.desk1}/quickcall/${NUMBER(198)}?auto_answer=false`, {});
    expect(res.status).toBe(202);
    const data = dataOf(res);
    const [callId] = endpointCallIds(data);
    expect(data).toMatchObject({ application_response: 'SUCCESS', call_id: callId, application_name: 'transfer', application_data: { route: '+14155550198' } });
    await waitFor(() => events.of(callId, 'CHANNEL_CREATE').length > 0, { message: `CHANNEL_CREATE of ${callId}`, timeoutMs: 15_000 });
    await waitFor(() => inviteOf(desk1, callId) !== undefined, { message: `INVITE ${callId} at the phone`, timeoutMs: 15_000 });
    // auto_answer=false: the phone is asked to ring, not to pick up
    expect(header(inviteOf(desk1, callId), 'Call-Info') ?? '').not.toMatch(/answer-after/);
    await destroyed(callId);
  });

  it("POST to a device that is not registered: 500 'quickcall initiation failed', DESTINATION_OUT_OF_ORDER", async () => {
    // `offline` belongs to no user: only an account admin may originate from it
    const res = await master.call('POST', `${base}/devices/${ids.offline}/quickcall/${NUMBER(197)}`, {});
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ status: 'error', error: '500', message: 'quickcall initiation failed' });
    expect(dataOf(res)).toMatchObject({ error_message: 'DESTINATION_OUT_OF_ORDER' });
  });

  it("a user's quickcall rings both devices; one answers, the other gets CANCEL", async () => {
    const gw = await startCarrier();
    const [before1, before2] = [invites(desk1).length, invites(desk2).length];
    const cancels = receivedRequests(desk2.messages(), 'CANCEL').length;
    const res = await owner.call('GET', `${base}/users/${ids.ann}/quickcall/${NUMBER(196)}`);
    expect(res.status).toBe(202);
    expect(endpointCallIds(dataOf(res))).toHaveLength(2);
    await waitFor(() => invites(desk1).length === before1 + 1 && invites(desk2).length === before2 + 1, { message: 'INVITE at both phones', timeoutMs: 15_000 });
    await waitFor(() => receivedRequests(desk2.messages(), 'CANCEL').length === cancels + 1, { message: `CANCEL at the second phone\n${desk2.log}`, timeoutMs: 15_000 });
    await waitFor(() => invites(gw).length === 1, { message: 'INVITE at the carrier', timeoutMs: 15_000 });
    const answered = invites(desk1).at(-1) ?? '';
    await destroyed(answered);
  });

  it('cid-name/cid-number and auto_answer=true change what the phone sees on the wire', async () => {
    await startCarrier();
    const res = await owner.call('GET', `${base}/devices/${ids.desk1}/quickcall/${NUMBER(195)}?cid-name=Sales%20Line&cid-number=%2B14155550142&auto_answer=true`);
    expect(res.status).toBe(202);
    const [callId] = endpointCallIds(dataOf(res));
    await waitFor(() => inviteOf(desk1, callId) !== undefined, { message: `INVITE ${callId} at the phone`, timeoutMs: 15_000 });
    const invite = inviteOf(desk1, callId);
    expect(party(header(invite, 'From'))).toEqual({ name: 'Sales Line', user: '+14155550142' });
    expect(header(invite, 'Call-Info')).toMatch(/answer-after=0/);
    expect(header(invite, 'Alert-Info')).toBeDefined();
    await destroyed(callId);
  });

  it('timeout=5 with a phone that never answers: NO_ANSWER after the ring timeout, and the phone gets CANCEL', async () => {
    const cancels = receivedRequests(desk2.messages(), 'CANCEL').length;
    const started = Date.now();
    const res = await owner.call('POST', `${base}/devices/${ids.desk2}/quickcall/${NUMBER(194)}?timeout=5`, {});
    const elapsed = Date.now() - started;
    expect(res.status).toBe(500);
    expect(res.body.message).toBe('quickcall initiation failed');
    expect(dataOf(res)['error_message']).toBe('NO_ANSWER');
    // a lower bound only: the phone rang for the whole timeout
    expect(elapsed).toBeGreaterThanOrEqual(4900);
    await waitFor(() => receivedRequests(desk2.messages(), 'CANCEL').length === cancels + 1, { message: 'CANCEL at the phone', timeoutMs: 15_000 });
  });

  it("media=bypass hands the phone's SDP to the carrier unchanged; media=process gives it rtpengine's", async () => {
    const sdpAtCarrier = async (media: string): Promise<{ address: string; port: number } | undefined> => {
      const gw = await startCarrier();
      const res = await owner.call('GET', `${base}/devices/${ids.desk1}/quickcall/${NUMBER(193)}?media=${media}`);
      expect(res.status).toBe(202);
      const [callId] = endpointCallIds(dataOf(res));
      await waitFor(() => invites(gw).length === 1, { message: `INVITE at the carrier (${media})\n${gw.log}`, timeoutMs: 15_000 });
      await destroyed(callId);
      return sdpAudio(receivedRequests(gw.messages(), 'INVITE')[0]?.body ?? '');
    };
    expect(await sdpAtCarrier('bypass')).toEqual({ address: phoneSdp.ip, port: phoneSdp.port });
    const processed = await sdpAtCarrier('process');
    expect(processed).toBeDefined();
    expect(processed?.port).not.toBe(phoneSdp.port);
  });

  it('a retry with the same Idempotency-Key starts one call: the phone gets one INVITE transaction', async () => {
    const gw = await startCarrier();
    const before = invites(desk1).length;
    const key = randomBytes(8).toString('hex');
    const first = await owner.call('POST', `${base}/devices/${ids.desk1}/quickcall/${NUMBER(192)}`, {}, { 'idempotency-key': key });
    const second = await owner.call('POST', `${base}/devices/${ids.desk1}/quickcall/${NUMBER(192)}`, {}, { 'idempotency-key': key });
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(dataOf(second)).toEqual(dataOf(first));
    const callId = String(dataOf(first)['call_id']);
    await destroyed(callId);
    expect(invites(desk1).slice(before)).toEqual([callId]);
    expect(invites(gw)).toHaveLength(1);
  });

  it('PUT channels/{id} hangup ends a live call through the owning node: 202 once it did, 404 for the ended call', async () => {
    await startCarrier();
    const deskId = String((await master.create(`${base}/devices`, { name: 'desk3', owner_id: ids.ann, sip: { username: `desk3-${tag}`, password: 'desk3-pw' } }))['id']);
    // answers and stays up until the far end hangs up
    const desk3 = await SippPhone.start({ username: `desk3-${tag}`, password: 'desk3-pw', realm: `qc-${tag}.legwork.test`, registrar: `127.0.0.1:${platform.sipPort}`, behaviour: 'answer' });
    phones.push(desk3);
    await desk3.waitRegistered();
    const res = await owner.call('POST', `${base}/devices/${deskId}/quickcall/${NUMBER(189)}?media=bypass`, {});
    expect(res.status).toBe(202);
    const callId = String(dataOf(res)['call_id']);
    expect((await owner.call('GET', `${base}/channels/${callId}`)).status).toBe(200);
    const hangup = await owner.call('PUT', `${base}/channels/${callId}`, { action: 'hangup' });
    expect(hangup.status).toBe(202);
    expect(dataOf(hangup)).toMatchObject({ action: 'hangup', call_id: callId, media_node: expect.any(String) });
    await destroyed(callId);
    expect(events.of(callId, 'CHANNEL_DESTROY')[0]?.['Hangup-Cause']).toBe('NORMAL_CLEARING');
    await waitFor(() => receivedRequests(desk3.messages(), 'BYE').some((m) => header(m, 'Call-ID') === callId), { timeoutMs: 15_000, message: `BYE at the phone for ${callId}` });
    // an admin learns the call is gone (a plain user gets 403 for ids it cannot see, unknown ones included)
    expect((await master.call('PUT', `${base}/channels/${callId}`, { action: 'hangup' })).status).toBe(404);
  });

  it("a token of account A gets 401/403 on every path of account B", async () => {
    const b = String((await master.create(`/v2/accounts/${String(dataOf(await master.call('GET', `${base}`))['parent_id'])}`, { name: `qcb-${tag}`, realm: `qcb-${tag}.legwork.test` }))['id']);
    const bBase = `/v2/accounts/${b}`;
    const bUser = String((await master.create(`${bBase}/users`, { first_name: 'Bo', last_name: 'B' }))['id']);
    const bDevice = String((await master.create(`${bBase}/devices`, { name: 'bdesk', owner_id: bUser, sip: { username: `bdesk-${tag}`, password: 'pw' } }))['id']);
    const bResource = String((await master.create(`${bBase}/resources`, { name: 'bgw', gateways: [{ server: '127.0.0.1:5999' }] }))['id']);
    const probes: Array<[string, string]> = [
      ['GET', `${bBase}/devices/${bDevice}/quickcall/${NUMBER(191)}`], ['POST', `${bBase}/devices/${bDevice}/quickcall/${NUMBER(191)}`],
      ['GET', `${bBase}/users/${bUser}/quickcall/${NUMBER(191)}`], ['POST', `${bBase}/users/${bUser}/quickcall/${NUMBER(191)}`],
      ['GET', bBase], ['GET', `${bBase}/devices`], ['GET', `${bBase}/devices/${bDevice}`], ['GET', `${bBase}/users`], ['GET', `${bBase}/users/${bUser}`],
      ['GET', `${bBase}/resources`], ['GET', `${bBase}/resources/${bResource}`], ['GET', `${bBase}/channels`], ['GET', `${bBase}/cdrs`],
      ['PUT', `${bBase}/devices`], ['PATCH', `${bBase}/users/${bUser}`], ['DELETE', `${bBase}/resources/${bResource}`],
    ];
    const createsBefore = events.events.filter((e) => e['Event-Name'] === 'CHANNEL_CREATE').length;
    for (const [method, path] of probes) {
      const res = await owner.call(method, path, method === 'GET' || method === 'DELETE' ? undefined : { name: 'x' });
      expect({ method, path, status: [401, 403].includes(res.status), envelope: res.body.status }).toEqual({ method, path, status: true, envelope: 'error' });
    }
    expect((await master.call('GET', `${bBase}/resources/${bResource}`)).status).toBe(200);
    expect(events.events.filter((e) => e['Event-Name'] === 'CHANNEL_CREATE')).toHaveLength(createsBefore);
  });

  it('answers 429 past the account quickcall bucket set by the master account', async () => {
    const masterId = String(dataOf(await master.call('GET', base))['parent_id']);
    const realm = `qcc-${tag}.legwork.test`;
    const c = String((await master.create(`/v2/accounts/${masterId}`, { name: `qcc-${tag}`, realm }))['id']);
    const cyId = String((await master.create(`/v2/accounts/${c}/users`, { first_name: 'Cy', last_name: 'C', username: `cy-${tag}`, password: 'cy-secret' }))['id']);
    // Cy's own device: a plain user originates only from its own devices
    const device = String((await master.create(`/v2/accounts/${c}/devices`, { name: 'cdesk', owner_id: cyId, sip: { username: `cdesk-${tag}`, password: 'pw' } }))['id']);
    // Every request addressing the account draws from its bucket, so the bucket is shrunk last.
    const patched = await master.call('PATCH', `/v2/accounts/${c}`, { limits: { quickcall_bucket: { burst: 2, refill_per_second: 0.01 } } });
    expect(patched.status).toBe(200);
    const login = await new Rest(platform.apiUrl).call('PUT', '/v2/user_auth', { credentials: md5(`cy-${tag}:cy-secret`), account_realm: realm });
    const cy = new Rest(platform.apiUrl, String(login.body.auth_token));
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await cy.call('GET', `/v2/accounts/${c}/devices/${device}/quickcall/${NUMBER(190)}?media=bypass`)).status);
    expect(statuses).toEqual([202, 202, 429]);
  });
});
