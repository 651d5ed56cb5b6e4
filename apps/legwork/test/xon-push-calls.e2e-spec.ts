import { waitFor } from '@legwork/common/testing';
import { randomBytes } from 'node:crypto';
import { LocalPushGateway, SippPhone, receivedRequests, type GatewayPush } from '@legwork/originate/testing';
import { CallEvents, Rest, dataOf, startLegwork, type Json, type RunningPlatform } from './kazoo-platform.fixture';

jest.setTimeout(40_000);

const tag = randomBytes(3).toString('hex');
const SECRET = `xon-push-secret-${tag}-0123456789`;
const NUMBER = '+447700900123';
const prid = (name: string): string => `${name}-${tag}-0422-456f-9e15-f269b8a25811`;

interface XonReply {
  status: number;
  /** The raw body: the seed's 202s and 404s are empty. */
  text: string;
  json: unknown;
  headers: Headers;
}

/** The X-on patient API as its consumer (a SIP proxy) calls it: `Authorization: Bearer <client_secret>`, JSON bodies. */
class XonClient {
  constructor(
    private readonly baseUrl: string,
    private readonly secret?: string,
  ) {}

  as(secret: string): XonClient {
    return new XonClient(this.baseUrl, secret);
  }

  get(path: string): Promise<XonReply> {
    return this.send('GET', path);
  }

  /** A string body goes out as written. */
  post(path: string, body: unknown): Promise<XonReply> {
    return this.send('POST', path, typeof body === 'string' ? body : JSON.stringify(body));
  }

  private async send(method: string, path: string, body?: string): Promise<XonReply> {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(this.secret !== undefined ? { authorization: `Bearer ${this.secret}` } : {}) };
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    return { status: res.status, text, json: text === '' ? undefined : (JSON.parse(text) as unknown), headers: res.headers };
  }
}

/**
 * The X-on push-call dialect (seed 002) on the whole platform: directory users with mobile numbers and push devices,
 * an xon API client's bearer secret, pushes asserted where the generic push gateway receives them, and the legs the
 * media node parks for a push device woken or cancelled through the API.
 */
describe('X-on push calls end to end (one legwork process, RabbitMQ, Redis, a local push gateway, sipp)', () => {
  let platform: RunningPlatform;
  let gateway: LocalPushGateway;
  let events: CallEvents;
  let master: Rest;
  let anon: XonClient;
  let xon: XonClient;
  let other: XonClient;
  let basixSecret = '';
  let patientApp: XonClient;
  let clerkApp: XonClient;
  let base = '';
  let realm = '';
  const devices: Record<string, string> = {};
  const phones: SippPhone[] = [];

  let rootId = '';
  const account = async (label: string, extra: Json = {}): Promise<{ id: string; realm: string; secret: string }> => {
    const r = `${label}-${tag}.xon.test`;
    const id = String((await master.create(`/v2/accounts/${rootId}`, { name: `${label}-${tag}`, realm: r, country: 'GB', ...extra }))['id']);
    const client = await master.create(`/v2/accounts/${id}/api_clients`, { name: 'patient-api', dialect: 'xon' });
    return { id, realm: r, secret: String(client['client_secret']) };
  };
  const user = async (accountId: string, fields: Json): Promise<string> => String((await master.create(`/v2/accounts/${accountId}/users`, { first_name: 'Pat', last_name: 'Ient', ...fields }))['id']);
  const device = async (accountId: string, name: string, fields: Json): Promise<string> =>
    String((await master.create(`/v2/accounts/${accountId}/devices`, { name, device_type: 'mobile', sip: { username: `${name}-${tag}`, password: 'mobile-pw' }, ...fields }))['id']);
  const push = (id: string, extra: Json = {}): Json => ({ push: { provider: 'xon', prid: id, ...extra } });
  /** The ids a callable-devices answer lists, in a fixed order (the seed gives none). */
  const idsOf = (r: XonReply): string[] => (r.json as Array<{ id: string }>).map((d) => d.id).sort();
  const pushesTo = (id: string): GatewayPush[] => gateway.pushes.filter((p) => p.prid === id);
  /** The refusals answer before any push goes out; a short look at the gateway confirms none did. */
  const noPushTo = async (ids: string[]): Promise<void> => {
    await new Promise((r) => setTimeout(r, 200));
    expect(gateway.pushes.filter((p) => ids.includes(p.prid))).toEqual([]);
  };
  const quickcall = async (deviceId: string): Promise<string> => {
    const res = await master.call('GET', `${base}/devices/${deviceId}/quickcall/%2B14155550188?media=bypass`);
    expect(res.status).toBe(202);
    const callId = String((dataOf(res)['endpoints'] as Json[])[0]?.['outbound_call_id']);
    await waitFor(() => events.of(callId, 'PUSH_SENT').length > 0, { message: `PUSH_SENT of ${callId}`, timeoutMs: 10_000 });
    return callId;
  };

  beforeAll(async () => {
    gateway = await LocalPushGateway.start(SECRET);
    platform = await startLegwork('xon', { PUSH_GATEWAY_URL: gateway.url, PUSH_GATEWAY_SECRET: SECRET, PUSH_GATEWAY_ATTEMPTS: '1', PUSH_WAKE_TIMEOUT_SECONDS: '25' });
    events = await CallEvents.open(platform.scratch.AMQP_NAMESPACE);
    const restAnon = new Rest(platform.apiUrl);
    const auth = await restAnon.call('PUT', '/v2/api_auth', { api_key: platform.bootstrapKey });
    master = restAnon.withToken(String(auth.body.auth_token));
    rootId = String(dataOf(auth)['account_id']);
    anon = new XonClient(platform.apiUrl);
    const a = await account('xona');
    const b = await account('xonb');
    base = `/v2/accounts/${a.id}`;
    realm = a.realm;
    xon = anon.as(a.secret);
    other = anon.as(b.secret);
    basixSecret = String((await master.create(`${base}/api_clients`, { name: 'pbx', dialect: 'basix' }))['client_secret']);
    const patient = await user(a.id, { mobile_number: NUMBER });
    const gone = await user(a.id, { mobile_number: '+447700900124', enabled: false });
    devices.phone = await device(a.id, 'phone', { owner_id: patient, ...push(prid('phone')), caller_id: { external: { name: 'Pat', number: '+447700900123' } } });
    devices.tablet = await device(a.id, 'tablet', { owner_id: patient, device_type: 'smartphone', ...push(prid('tablet'), { param: 'TEAM.com.x-on.patient' }) });
    devices.refuser = await device(a.id, 'refuser', { owner_id: patient, ...push(prid('refuser'), { accept_calls: false }) });
    devices.nopush = await device(a.id, 'nopush', { owner_id: patient });
    devices.disabled = await device(a.id, 'disabled', { owner_id: patient, enabled: false, ...push(prid('disabled')) });
    devices.desk = await device(a.id, 'desk', { owner_id: patient, device_type: 'sip_device', ...push(prid('desk')) });
    devices.orphan = await device(a.id, 'orphan', push(prid('orphan')));
    devices.inactive = await device(a.id, 'inactive', { owner_id: gone, ...push(prid('inactive')) });
    const clerk = await user(a.id, { first_name: 'Clerk', priv_level: 'user' });
    const appOf = async (owner: string): Promise<XonClient> => anon.as(String((await master.create(`${base}/api_clients`, { name: 'app', dialect: 'xon', owner_id: owner }))['client_secret']));
    patientApp = await appOf(patient);
    clerkApp = await appOf(clerk);
    const bPatient = await user(b.id, { mobile_number: NUMBER });
    devices.bphone = await device(b.id, 'bphone', { owner_id: bPatient, ...push(prid('bphone')) });
  }, 90_000);

  afterAll(async () => {
    await Promise.all(phones.map((p) => p.stop()));
    await events?.close();
    await platform?.close();
    await gateway?.close();
  }, 30_000);

  describe('GET /v1/callable-devices', () => {
    it("lists the ids (push ids) of the active user's mobile devices that have a push token and accept calls", async () => {
      const res = await xon.get(`/v1/callable-devices?mobileNumber=${encodeURIComponent(NUMBER)}`);
      expect(res.status).toBe(200);
      expect((res.json as Json[]).every((d) => Object.keys(d).join() === 'id')).toBe(true);
      expect(idsOf(res)).toEqual([prid('phone'), prid('tablet')]);
      // a + left unencoded in the query reads as a space: it is the plus the caller meant
      expect(idsOf(await xon.get(`/v1/callable-devices?mobileNumber=${NUMBER}`))).toEqual([prid('phone'), prid('tablet')]);
    });

    it("answers [] for a number nobody has and for an inactive user's; another account sees only its own user's devices", async () => {
      expect((await xon.get('/v1/callable-devices?mobileNumber=%2B447700900999')).json).toEqual([]);
      expect((await xon.get('/v1/callable-devices?mobileNumber=%2B447700900124')).json).toEqual([]);
      expect((await other.get(`/v1/callable-devices?mobileNumber=${encodeURIComponent(NUMBER)}`)).json).toEqual([{ id: prid('bphone') }]);
    });

    it("a client registered to a plain user sees that user's devices only (the access policy of every dialect)", async () => {
      const query = `/v1/callable-devices?mobileNumber=${encodeURIComponent(NUMBER)}`;
      expect(idsOf(await patientApp.get(query))).toEqual([prid('phone'), prid('tablet')]);
      expect((await clerkApp.get(query)).json).toEqual([]);
      const res = await clerkApp.post('/v1/call', { deviceId: prid('phone'), callId: `clerk-${tag}`, callerName: 'x' });
      expect([res.status, res.text]).toEqual([404, '']);
      expect(gateway.pushesOf(`clerk-${tag}`)).toEqual([]);
    });

    it.each([
      ['', 'is required'],
      ['?mobileNumber=07700900123', 'E.164'],
      ['?mobileNumber=%2B44abc', 'E.164'],
      ['?mobileNumber=%2B4477009001231234', 'E.164'],
      [`?mobileNumber=${encodeURIComponent(NUMBER)}&mobileNumber=${encodeURIComponent(NUMBER)}`, 'once'],
    ])('answers 400 naming mobileNumber for %p', async (query, why) => {
      const res = await xon.get(`/v1/callable-devices${query}`);
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ error: expect.stringContaining(why), field: 'mobileNumber' });
    });
  });

  describe('authentication', () => {
    it.each([
      ['no Authorization header', (): XonClient => anon],
      ['a wrong bearer secret', (): XonClient => anon.as('A'.repeat(43))],
      ['a malformed bearer', (): XonClient => anon.as('not a secret')],
      ["a basix client's secret", (): XonClient => anon.as(basixSecret)],
    ])('answers 401 {"error"} with a Bearer challenge for %s, and pushes nothing', async (_what, client) => {
      const res = await client().post('/v1/call', { deviceId: prid('phone'), callId: `auth-${tag}`, callerName: 'Dr Smith' });
      expect(res.status).toBe(401);
      expect(res.json).toEqual({ error: expect.any(String) });
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
      expect((await client().get(`/v1/callable-devices?mobileNumber=${encodeURIComponent(NUMBER)}`)).status).toBe(401);
      expect(gateway.pushesOf(`auth-${tag}`)).toEqual([]);
    });

    it("draws every request from the account's api_bucket: past it, 429 {error} with Retry-After", async () => {
      // registering the client over the Kazoo API below the account draws one of the three tokens
      const slow = anon.as((await account('xonslow', { limits: { api_bucket: { burst: 3, refill_per_second: 0.01 } } })).secret);
      const ask = (): Promise<XonReply> => slow.get(`/v1/callable-devices?mobileNumber=${encodeURIComponent(NUMBER)}`);
      expect([(await ask()).status, (await ask()).status]).toEqual([200, 200]);
      const refused = await ask();
      expect([refused.status, refused.json, refused.headers.get('retry-after')]).toEqual([429, { error: expect.stringContaining('api_bucket') }, '1']);
    });

    it('documents the four routes in the OpenAPI document', async () => {
      const doc = (await (await fetch(`${platform.apiUrl}/docs-json`)).json()) as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
      expect(Object.keys(doc.paths['/v1/call']?.['post']?.responses ?? {})).toEqual(expect.arrayContaining(['202', '403', '404']));
      expect(['/v1/callable-devices', '/v1/update-call', '/v1/cancel-call'].filter((p) => doc.paths[p] === undefined)).toEqual([]);
    });
  });

  describe('POST /v1/call, /v1/update-call, /v1/cancel-call for a call Legwork does not hold (push API for another SIP proxy)', () => {
    it('call: 202 with an empty body, and a call push with the device, call id and caller name reaches the push gateway', async () => {
      const callId = `843817637684230@998sdasdh09-${tag}`;
      const res = await xon.post('/v1/call', { deviceId: prid('tablet'), callId, callerName: 'John Smith' });
      expect([res.status, res.text]).toEqual([202, '']);
      expect(gateway.pushesOf(callId)).toEqual([{ provider: 'xon', prid: prid('tablet'), param: 'TEAM.com.x-on.patient', kind: 'call', call_id: callId, caller_name: 'John Smith', reason: null }]);
    });

    it('update-call: 202 and an update push; cancel-call: 202 and a cancel push with the reason', async () => {
      const callId = `upd-${tag}@proxy`;
      expect((await xon.post('/v1/update-call', { deviceId: prid('phone'), callId, callerName: 'John Smith (hold)' })).status).toBe(202);
      expect((await xon.post('/v1/cancel-call', { deviceId: prid('phone'), callId, reason: 'answered_elsewhere' })).status).toBe(202);
      expect((await xon.post('/v1/cancel-call', { deviceId: prid('phone'), callId, reason: 'cancelled' })).status).toBe(202);
      expect(gateway.pushesOf(callId).map((p) => [p.kind, p.prid, p.caller_name, p.reason])).toEqual([
        ['update', prid('phone'), 'John Smith (hold)', null], ['cancel', prid('phone'), null, 'answered_elsewhere'], ['cancel', prid('phone'), null, 'cancelled'],
      ]);
    });

    it('call: 403 {"error":"device rejected inbound call"} for a device set to refuse calls, and no push', async () => {
      const res = await xon.post('/v1/call', { deviceId: prid('refuser'), callId: `refused-${tag}`, callerName: 'John Smith' });
      expect([res.status, res.json]).toEqual([403, { error: 'device rejected inbound call' }]);
      await noPushTo([prid('refuser')]);
    });

    it.each([
      ['an unknown device', () => prid('nobody'), () => xon],
      ['a device without a push token (it has no push id)', () => devices.nopush ?? '', () => xon],
      ['a disabled device', () => prid('disabled'), () => xon],
      ['a device that is not a mobile', () => prid('desk'), () => xon],
      ['a device without a user', () => prid('orphan'), () => xon],
      ["an inactive user's device", () => prid('inactive'), () => xon],
      ["another account's device", () => prid('bphone'), () => xon],
      ["this account's device asked by another account's client", () => prid('phone'), () => other],
    ])('answers 404 with an empty body on all three routes for %s, and pushes nothing', async (_what, id, client) => {
      const deviceId = id();
      const callId = `nf-${tag}-${deviceId.slice(0, 6)}`;
      for (const [path, body] of [['/v1/call', { callerName: 'x' }], ['/v1/update-call', { callerName: 'x' }], ['/v1/cancel-call', { reason: 'cancelled' }]] as const) {
        const res = await client().post(path, { deviceId, callId, ...body });
        expect([path, res.status, res.text]).toEqual([path, 404, '']);
      }
      await new Promise((r) => setTimeout(r, 200));
      expect(gateway.pushesOf(callId)).toEqual([]);
    });

    it.each([
      ['/v1/call', { callId: 'c1', callerName: 'x' }, 'deviceId', 'is required'],
      ['/v1/call', { deviceId: 'has space', callId: 'c1', callerName: 'x' }, 'deviceId', 'device id'],
      ['/v1/call', { deviceId: prid('phone'), callerName: 'x' }, 'callId', 'is required'],
      ['/v1/call', { deviceId: prid('phone'), callId: 'a b\r\nX-Evil: 1', callerName: 'x' }, 'callId', 'Call-ID'],
      ['/v1/call', { deviceId: prid('phone'), callId: 'c1' }, 'callerName', 'is required'],
      ['/v1/call', { deviceId: prid('phone'), callId: 'c1', callerName: 'Eve\r\nX-Evil: 1' }, 'callerName', ''],
      ['/v1/call', { deviceId: prid('phone'), callId: 'c1', callerName: 42 }, 'callerName', 'must be a string'],
      ['/v1/update-call', { deviceId: prid('phone'), callId: 12, callerName: 'x' }, 'callId', 'must be a string'],
      ['/v1/cancel-call', { deviceId: prid('phone'), callId: 'c1' }, 'reason', 'is required'],
      ['/v1/cancel-call', { deviceId: prid('phone'), callId: 'c1', reason: 'bored' }, 'reason', 'cancelled, answered_elsewhere'],
      ['/v1/cancel-call', [1, 2], 'body', 'JSON object'],
    ])('POST %s %j: 400 naming %s', async (path, body, field, why) => {
      const res = await xon.post(path, body);
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ error: expect.stringContaining(why), field });
    });

    it('answers a body that is not JSON, and an unknown route below /v1, in its own shape', async () => {
      const bad = await xon.post('/v1/call', '{"deviceId": ');
      expect([bad.status, bad.json]).toEqual([400, { error: 'the request body is not valid JSON' }]);
      const unknown = await xon.post('/v1/hangup', {});
      expect([unknown.status, unknown.json]).toEqual([404, { error: 'no such X-on route' }]);
    });

    it('answers 502 {"error"} when the push service refuses the push', async () => {
      const callId = `refused-by-gw-${tag}`;
      gateway.status = (p) => (p.call_id === callId ? 400 : 202);
      try {
        const res = await xon.post('/v1/call', { deviceId: prid('phone'), callId, callerName: 'x' });
        expect([res.status, res.json]).toEqual([502, { error: expect.stringContaining('HTTP 400') }]);
      } finally {
        gateway.status = () => 202;
      }
    });
  });

  describe('a leg Legwork holds for the device (a Kazoo quickcall to an unregistered push device)', () => {
    it("call: the push for the parked leg's call id goes out on the leg's events, and the device's REGISTER gets that leg's INVITE", async () => {
      gateway.onPush = (p: GatewayPush) => {
        if (p.kind !== 'call' || p.caller_name !== 'Wake Me') return;
        const contactParams = `;pn-provider=${p.provider};pn-prid=${p.prid};pn-param=${p.param ?? ''}`;
        void SippPhone.start({ username: `tablet-${tag}`, password: 'mobile-pw', realm, registrar: `127.0.0.1:${platform.sipPort}`, behaviour: 'busy', contactParams }).then((phone) => phones.push(phone));
      };
      try {
        const callId = await quickcall(devices.tablet ?? '');
        const res = await xon.post('/v1/call', { deviceId: prid('tablet'), callId, callerName: 'Wake Me' });
        expect([res.status, res.text]).toEqual([202, '']);
        expect(gateway.pushesOf(callId, 'call').map((p) => p.caller_name).slice(1)).toEqual(['Wake Me']);
        await waitFor(() => events.of(callId, 'CHANNEL_DESTROY').length > 0, { message: `CHANNEL_DESTROY of ${callId}`, timeoutMs: 20_000 });
        expect(events.of(callId, 'PUSH_SENT').map((e) => e['Push-Kind'])).toEqual(['call', 'call']);
        expect(events.of(callId, 'DEVICE_REGISTERED')).toHaveLength(1);
        expect([...new Set(receivedRequests(phones[0]?.messages() ?? '', 'INVITE').map((m) => m.headers['call-id']?.[0]))]).toEqual([callId]);
        expect(events.of(callId, 'CHANNEL_DESTROY')[0]?.['Hangup-Cause']).toBe('USER_BUSY');
      } finally {
        gateway.onPush = () => undefined;
      }
    });

    it("update-call pushes on the parked leg; cancel-call cancels it with the reason (LOSE_RACE, a cancel push saying answered_elsewhere); another account's client cannot touch it", async () => {
      const callId = await quickcall(devices.phone ?? '');
      // another account's client naming this call id only pushes its own device; the leg stays parked
      expect((await other.post('/v1/cancel-call', { deviceId: prid('bphone'), callId, reason: 'cancelled' })).status).toBe(202);
      expect(gateway.pushesOf(callId).map((p) => [p.kind, p.prid])).toEqual([['call', prid('phone')], ['cancel', prid('bphone')]]);
      expect(events.of(callId, 'CHANNEL_DESTROY')).toEqual([]);
      // an update for the held leg is pushed on its events too
      expect((await xon.post('/v1/update-call', { deviceId: prid('phone'), callId, callerName: 'John Smith' })).status).toBe(202);
      await waitFor(() => events.of(callId, 'PUSH_SENT').length === 2, { message: 'the update push on the leg', timeoutMs: 10_000 });
      const res = await xon.post('/v1/cancel-call', { deviceId: prid('phone'), callId, reason: 'answered_elsewhere' });
      expect([res.status, res.text]).toEqual([202, '']);
      await waitFor(() => events.of(callId, 'CHANNEL_DESTROY').length > 0, { message: `CHANNEL_DESTROY of ${callId}`, timeoutMs: 10_000 });
      expect(events.of(callId, 'CHANNEL_DESTROY')[0]).toMatchObject({ 'Hangup-Cause': 'LOSE_RACE' });
      await waitFor(() => events.of(callId, 'PUSH_SENT').length === 3, { message: 'the cancel push on the leg', timeoutMs: 10_000 });
      expect(events.of(callId, 'PUSH_SENT').map((e) => [e['Push-Kind'], e['Push-Reason']])).toEqual([['call', undefined], ['update', undefined], ['cancel', 'answered_elsewhere']]);
      expect(pushesTo(prid('phone')).filter((p) => p.call_id === callId).map((p) => [p.kind, p.reason])).toEqual([['call', null], ['update', null], ['cancel', 'answered_elsewhere']]);
    });

    it('cancel-call with reason cancelled ends the parked leg ORIGINATOR_CANCEL, the cancel push saying cancelled', async () => {
      const callId = await quickcall(devices.phone ?? '');
      expect((await xon.post('/v1/cancel-call', { deviceId: prid('phone'), callId, reason: 'cancelled' })).status).toBe(202);
      await waitFor(() => events.of(callId, 'CHANNEL_DESTROY').length > 0, { message: `CHANNEL_DESTROY of ${callId}`, timeoutMs: 10_000 });
      expect(events.of(callId, 'CHANNEL_DESTROY')[0]).toMatchObject({ 'Hangup-Cause': 'ORIGINATOR_CANCEL' });
      await waitFor(() => gateway.pushesOf(callId, 'cancel').length > 0, { message: 'the cancel push', timeoutMs: 10_000 });
      expect(gateway.pushesOf(callId).map((p) => [p.kind, p.reason])).toEqual([['call', null], ['cancel', 'cancelled']]);
    });
  });
});
