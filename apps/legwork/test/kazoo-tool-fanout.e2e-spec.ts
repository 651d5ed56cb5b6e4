import { waitFor } from '@legwork/common/testing';
import { createHash, randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { encodeRoutingKeySegment } from '@legwork/contracts';
import { createDirectory } from '@legwork/directory';
import { REDIS_URL } from '@legwork/platform/testing';
import { SippCarrier, SippPhone, freePort } from '@legwork/originate/testing';
import { HookReceiver } from '@legwork/webhook-delivery/testing';
import { CallEvents, Rest, dataOf, startLegwork, type Json, type RunningPlatform } from './kazoo-platform.fixture';

// Every `it` is bounded well below this (the token-TTL one has its own); the platform start gets its own budget.
jest.setTimeout(40_000);

const tag = randomBytes(3).toString('hex');
const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
const NUMBER = (n: number): string => `%2B1415556${String(n).padStart(4, '0')}`;
/** The shortest token life the platform accepts: the suite outlives it. */
const TOKEN_TTL_SECONDS = 60;

/** Every key Kazoo's webhooks_channel_util may put in a channel hook payload. */
const KAZOO_HOOK_FIELDS = new Set([
  'account_id', 'authorizing_id', 'authorizing_type', 'call_direction', 'call_forwarded', 'call_id', 'callee_id_name', 'callee_id_number',
  'caller_id_name', 'caller_id_number', 'custom_channel_vars', 'custom_application_vars', 'emergency_resource_used', 'from', 'inception',
  'local_resource_id', 'local_resource_used', 'is_internal_leg', 'other_leg_call_id', 'owner_id', 'request', 'reseller_id', 'timestamp', 'to',
  'hook_event', 'original_number', 'other_leg_destination_number', 'hangup_cause', 'hangup_code', 'duration_seconds', 'ringing_seconds', 'billing_seconds',
]);
/** What Legwork adds to Kazoo's curated payload: the call's event number, the call it counts for, epoch ms. */
const LEGWORK_HOOK_FIELDS = ['event_sequence', 'origination_call_id', 'timestamp_ms'];
/** Kazoo's default reserved channel vars, written out here as its kapps_call_command_types.hrl lists them. */
const RESERVED = ['Account-ID', 'Account-Name', 'Account-Realm', 'Authorizing-ID', 'Authorizing-Type', 'Auto-Answer', 'Call-Forward', 'Call-Interaction-ID', 'Ecallmgr-Node', 'Call-Waiting-Disabled', 'Confirm-Cancel-Timeout', 'Confirm-File', 'Confirm-Key', 'Fax-Enabled', 'Fetch-ID', 'Loopback-Bowout', 'Media-Encryption-Enforce-Security', 'Media-Webrtc', 'Owner-ID', 'Presence-ID', 'RTCP-MUX', 'Realm', 'Require-Ignore-Early-Media', 'Retain-CID', 'SIP-Invite-Domain', 'Simplify-Loopback', 'Username'];

/** A blackhole client as a Kazoo tool writes one: plain `ws`, JSON frames, replies by request_id. */
class Socket {
  readonly events: Json[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly replies = new Map<string, (frame: Json) => void>();
  private seq = 0;

  private constructor(private readonly ws: WebSocket) {
    this.closed = new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Json;
      if (frame['action'] === 'event') this.events.push(frame);
      else this.replies.get(String(frame['request_id']))?.(frame);
    });
  }

  static open(url: string): Promise<Socket> {
    const ws = new WebSocket(url);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new Socket(ws)));
      ws.once('error', reject);
    });
  }

  send(frame: Json): Promise<Json> {
    const id = `k${++this.seq}`;
    return new Promise((resolve) => {
      this.replies.set(id, resolve);
      this.ws.send(JSON.stringify({ ...frame, request_id: id }));
    });
  }

  subscribe(data: Json, token?: string): Promise<Json> {
    return this.send({ action: 'subscribe', ...(token !== undefined ? { auth_token: token } : {}), data });
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  close(): void {
    if (this.open) this.ws.close();
  }
}

describe('a Kazoo tool on the fan-out: plain WebSocket and HTTP against the whole platform (RabbitMQ, Redis, sipp)', () => {
  let platform: RunningPlatform;
  let events: CallEvents;
  let anon: Rest;
  let base: string;
  let masterId: string;
  let accountId: string;
  let userId: string;
  let deviceId: string;
  let realm: string;
  let phone: SippPhone;
  let carrierPort: number;
  let carrier: SippCarrier | undefined;
  /** Opened first thing with a user token, checked last: by then its token has expired. */
  let early: { socket: Socket; token: string; openedAt: number };
  const sockets: Socket[] = [];
  const receivers: HookReceiver[] = [];

  /** Tokens live a minute here: every admin step logs in afresh. */
  const admin = async (): Promise<Rest> => anon.withToken(String((await anon.call('PUT', '/v2/api_auth', { api_key: platform.bootstrapKey })).body.auth_token));
  const userLogin = async (username: string, password: string): Promise<string> => {
    const res = await anon.call('PUT', '/v2/user_auth', { credentials: md5(`${username}:${password}`), account_realm: realm });
    expect(res.status).toBe(201);
    return String(res.body.auth_token);
  };
  const socket = async (): Promise<Socket> => {
    const s = await Socket.open(platform.wsUrl);
    sockets.push(s);
    return s;
  };
  /** One quickcall from the user's device to the carrier; resolves with both legs once both were destroyed on the bus. */
  const callThrough = async (n: number): Promise<{ a: string; b: string }> => {
    await carrier?.stop();
    carrier = await SippCarrier.start({ behaviour: 'answer-bye', port: carrierPort });
    const res = await (await admin()).call('GET', `${base}/devices/${deviceId}/quickcall/${NUMBER(n)}?media=bypass`);
    expect(res.status).toBe(202);
    const a = String((dataOf(res)['endpoints'] as Json[])[0]?.['outbound_call_id']);
    const bOf = (): string | undefined => events.events.find((e) => e['Other-Leg-Call-ID'] === a && e['Call-ID'] !== a)?.['Call-ID'] as string | undefined;
    await waitFor(() => events.of(a, 'CHANNEL_DESTROY').length > 0 && bOf() !== undefined, { message: `A-leg ${a} destroyed and its B-leg seen`, timeoutMs: 20_000 });
    const b = bOf() as string;
    await waitFor(() => events.of(b, 'CHANNEL_DESTROY').length > 0, { message: `B-leg ${b} destroyed`, timeoutMs: 20_000 });
    return { a, b };
  };

  beforeAll(async () => {
    platform = await startLegwork('ktf', {
      RTPENGINE_NG: process.env['RTPENGINE_NG'] ?? '127.0.0.1:2223',
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      AUTH_TOKEN_TTL_SECONDS: String(TOKEN_TTL_SECONDS),
      WEBSOCKETS_REVERIFY_SECONDS: '1',
    });
    events = await CallEvents.open(platform.scratch.AMQP_NAMESPACE);
    anon = new Rest(platform.apiUrl);
    const auth = await anon.call('PUT', '/v2/api_auth', { api_key: platform.bootstrapKey });
    masterId = String(dataOf(auth)['account_id']);
    const master = anon.withToken(String(auth.body.auth_token));
    realm = `ktf-${tag}.legwork.test`;
    accountId = String((await master.create(`/v2/accounts/${masterId}`, { name: `ktf-${tag}`, realm }))['id']);
    base = `/v2/accounts/${accountId}`;
    userId = String((await master.create(`${base}/users`, { first_name: 'Kay', last_name: 'Tool', username: `kay-${tag}`, password: 'kay-secret' }))['id']);
    deviceId = String((await master.create(`${base}/devices`, { name: 'desk', owner_id: userId, sip: { username: `kdesk-${tag}`, password: 'kdesk-pw' } }))['id']);
    carrierPort = await freePort();
    await master.create(`${base}/resources`, { name: 'carrier', gateways: [{ server: `127.0.0.1:${carrierPort}` }], rules: ['^\\+1415556\\d{4}$'] });
    const token = await userLogin(`kay-${tag}`, 'kay-secret');
    early = { socket: await socket(), token, openedAt: Date.now() };
    expect(await early.socket.subscribe({ account_id: accountId, binding: 'call.*.*' }, token)).toMatchObject({ status: 'success' });
    phone = await SippPhone.start({ username: `kdesk-${tag}`, password: 'kdesk-pw', realm, registrar: `127.0.0.1:${platform.sipPort}`, behaviour: 'answer', answerDelayMs: 100 });
    await phone.waitRegistered();
  }, 90_000);

  afterAll(async () => {
    for (const s of sockets) s.close();
    await Promise.all(receivers.map((r) => r.close()));
    await carrier?.stop();
    await phone?.stop();
    await events?.close();
    await platform?.close();
  }, 30_000);

  it('GET /v2/webhooks and /v2/webhooks/samples[/{name}] answer without a token', async () => {
    const available = await anon.call('GET', '/v2/webhooks');
    expect(available.status).toBe(200);
    expect((available.body.data as Json[]).map((h) => h['id'])).toEqual(expect.arrayContaining(['channel_create', 'channel_answer', 'channel_bridge', 'channel_destroy']));
    expect((available.body.data as Json[]).every((h) => typeof h['name'] === 'string' && typeof h['description'] === 'string')).toBe(true);
    const names = await anon.call('GET', '/v2/webhooks/samples');
    expect(names.body.data).toEqual(expect.arrayContaining(['webhooks_channel_create', 'webhooks_channel_destroy']));
    const destroy = await anon.call('GET', '/v2/webhooks/samples/webhooks_channel_destroy');
    expect(destroy.body.data).toEqual([expect.objectContaining({ hook_event: 'channel_destroy', hangup_cause: expect.any(String), billing_seconds: expect.any(Number) })]);
    expect((await anon.call('GET', '/v2/webhooks/samples/webhooks_nothing')).status).toBe(404);
  });

  it("a real call: hooks get Kazoo's curated payload, form-data by default, custom_data on top; attempts served account-wide", async () => {
    const receiver = await new HookReceiver().listen();
    receivers.push(receiver);
    const rest = await admin();
    const form = await rest.create(`${base}/webhooks`, { name: 'form', uri: receiver.url('/form'), hook: 'all', custom_data: { team: 'ops', type: 'x', action: 'y' } });
    const json = await rest.create(`${base}/webhooks`, { name: 'json', uri: receiver.url('/json'), hook: 'channel_bridge', format: 'json' });
    expect(form).toMatchObject({ format: 'form-data', retries: 2, include_internal_legs: true });

    const { a, b } = await callThrough(1);
    const channelHooks = ['channel_create', 'channel_answer', 'channel_bridge', 'channel_destroy'];
    const expected = [...events.of(a), ...events.of(b)].filter((e) => channelHooks.includes(String(e['Event-Name']).toLowerCase()));
    const delivered = (): number => receiver.got('/form').filter((r) => channelHooks.includes(String(new URLSearchParams(r.body).get('hook_event')))).length;
    await waitFor(() => delivered() >= expected.length && receiver.got('/json').length >= 2, { timeoutMs: 20_000 });
    expect(delivered()).toBe(expected.length);
    for (const req of receiver.got('/form')) {
      expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
      const params = new URLSearchParams(req.body);
      const hookEvent = String(params.get('hook_event'));
      const wire = events.of(String(params.get('call_id'))).find((e) => String(e['Event-Name']).toLowerCase() === hookEvent) as Json;
      const ccv = wire['Custom-Channel-Vars'] as Json;
      const top = [...new Set([...params.keys()].map((k) => k.replace(/\[.*$/, '')))];
      expect({ hookEvent, extra: top.filter((k) => !KAZOO_HOOK_FIELDS.has(k) && k !== 'team') }).toEqual({ hookEvent, extra: LEGWORK_HOOK_FIELDS });
      expect(LEGWORK_HOOK_FIELDS.map((k) => params.get(k))).toEqual([String(wire['Event-Sequence']), String(wire['Origination-Call-ID']), String(wire['Timestamp-Ms'])]);
      expect({ hookEvent, type: params.get('type'), action: params.get('action'), team: params.get('team') }).toEqual({ hookEvent, type: null, action: null, team: 'ops' });
      expect([params.get('account_id'), params.get('reseller_id'), params.get('is_internal_leg'), params.get('local_resource_used'), params.get('timestamp')]).toEqual([accountId, masterId, 'false', 'true', String(wire['Timestamp'])]);
      expect([params.get('authorizing_id'), params.get('authorizing_type'), params.get('owner_id')]).toEqual([ccv['Authorizing-ID'] ?? null, ccv['Authorizing-Type'] ?? null, ccv['Owner-ID'] ?? null]);
      const customVars = [...params.keys()].filter((k) => k.startsWith('custom_channel_vars[')).map((k) => k.slice('custom_channel_vars['.length, -1));
      expect({ hookEvent, customVars }).toEqual({ hookEvent, customVars: Object.keys(ccv).filter((k) => !RESERVED.includes(k)) });
    }
    const aLeg = receiver.got('/form').map((r) => new URLSearchParams(r.body)).find((p) => p.get('call_id') === a && p.get('hook_event') === 'channel_create');
    expect([aLeg?.get('authorizing_id'), aLeg?.get('authorizing_type'), aLeg?.get('owner_id')]).toEqual([deviceId, 'device', userId]);
    const bridges = receiver.got('/json').map((r) => JSON.parse(r.body) as Json);
    expect(bridges.map((p) => p['hook_event'])).toEqual(['channel_bridge', 'channel_bridge']);
    for (const p of bridges) {
      const wire = events.of(String(p['call_id']), 'CHANNEL_BRIDGE')[0] as Json;
      expect(p).toMatchObject({ other_leg_call_id: wire['Other-Leg-Call-ID'], is_internal_leg: false, local_resource_used: true, emergency_resource_used: false });
      // the media node names the number the other leg was dialled at
      expect(wire['Other-Leg-Destination-Number']).toEqual(expect.any(String));
      // present exactly when the bus event carries them, as Kazoo reads them
      expect([p['original_number'], p['other_leg_destination_number']]).toEqual([(wire['Custom-Channel-Vars'] as Json)['Original-Number'], wire['Other-Leg-Destination-Number']]);
    }

    const attempts = await (await admin()).call('GET', `${base}/webhooks/attempts`);
    expect(attempts.status).toBe(200);
    const log = attempts.body.data as Json[];
    expect(new Set(log.map((t) => t['hook_id']))).toEqual(new Set([form['id'], json['id']]));
    expect(log.every((t) => t['result'] === 'success')).toBe(true);
  });

  it('PATCH /v2/accounts/{A}/webhooks {"data":{"re-enable":true}} turns the auto-disabled hooks back on, Kazoo\'s way', async () => {
    const rest = await admin();
    const hook = await rest.create(`${base}/webhooks`, { name: 'tired', uri: 'http://127.0.0.1:9/tired', hook: 'channel_create' });
    // What the delivery worker does after six failures, done here on the platform's own store.
    const store = createDirectory({ url: REDIS_URL, prefix: platform.scratch.REDIS_PREFIX, secretKeys: platform.scratch.LEGWORK_SECRET_KEYS });
    try {
      await store.webhooks.disable(accountId, String(hook['id']), '6 failed deliveries within 60 s');
    } finally {
      await store.close();
    }
    expect(dataOf(await rest.call('GET', `${base}/webhooks/${String(hook['id'])}`))).toMatchObject({ enabled: false, disabled_reason: expect.any(String) });
    const missing = await rest.call('PATCH', `${base}/webhooks`, {});
    expect([missing.status, missing.body.data]).toEqual([400, { 're-enable': { required: { message: 're-enable is required to patch collections' } } }]);
    const ok = await rest.call('PATCH', `${base}/webhooks`, { 're-enable': true });
    expect([ok.status, ok.body.status, ok.body.data]).toEqual([200, 'success', 'hooks updated']);
    expect(dataOf(await rest.call('GET', `${base}/webhooks/${String(hook['id'])}`))).toMatchObject({ enabled: true });
    expect((await anon.call('PATCH', `${base}/webhooks`, { 're-enable': true })).status).toBe(401);
  });

  it('blackhole: one token per socket, keys with the account, Kazoo’s call.* set, errors as strings', async () => {
    const token = await userLogin(`kay-${tag}`, 'kay-secret');
    const s = await socket();
    expect(await s.subscribe({ account_id: accountId, binding: 'call.CHANNEL_CREATE.*' }, token)).toMatchObject({ status: 'success', data: { subscribed: ['call.CHANNEL_CREATE.*'] } });
    const second = await s.subscribe({ account_id: accountId, binding: 'call.*.*' });
    expect(second).toMatchObject({ status: 'success', data: { subscribed: ['call.CHANNEL_CREATE.*', 'call.*.*'] } });
    const refused = await s.subscribe({ account_id: masterId, binding: 'call.*.*' });
    expect(refused).toMatchObject({ action: 'reply', status: 'error', data: { errors: ['unauthorized account id'] } });
    const bad = await s.subscribe({ account_id: accountId, binding: 'call.CHANNEL_CREATE' });
    expect((bad['data'] as Json)['errors']).toEqual(['invalid format for call subscription : CHANNEL_CREATE']);
    const fresh = await socket();
    expect(((await fresh.send({ action: 'ping' }))['data'] as Json)['errors']).toEqual(['authentication token required']);

    const { a, b } = await callThrough(2);
    const frames = (): Json[] => s.events.filter((f) => [a, b].includes(String((f['data'] as Json)['call_id'])));
    const star = [...events.of(a), ...events.of(b)].filter((e) => ['CHANNEL_CREATE', 'CHANNEL_ANSWER', 'CHANNEL_DESTROY', 'CHANNEL_HOLD', 'CHANNEL_UNHOLD', 'CHANNEL_BRIDGE'].includes(String(e['Event-Name'])));
    const creates = star.filter((e) => e['Event-Name'] === 'CHANNEL_CREATE').length;
    await waitFor(() => frames().length >= star.length + creates, { message: 'every frame of both legs', timeoutMs: 10_000 });
    for (const f of frames()) {
      const data = f['data'] as Json;
      const name = String(f['name']);
      expect(f['routing_key']).toBe(`call.${accountId}.${name}.${encodeRoutingKeySegment(String(data['call_id']))}`);
      const binding = String(f['subscribed_key']);
      expect(f['subscription_key']).toBe(binding === 'call.*.*' ? `call.${accountId}.${name}.*` : `call.${accountId}.CHANNEL_CREATE.*`);
      expect(data).not.toHaveProperty('node');
      expect(data).not.toHaveProperty('server_id');
      expect(Object.keys(data['custom_channel_vars'] as Json).every((k) => k === k.toLowerCase() && !k.includes('-'))).toBe(true);
    }
    expect(frames().map((f) => f['name']).sort()).toEqual([...star.map((e) => e['Event-Name']), ...Array(creates).fill('CHANNEL_CREATE')].sort());
  });

  it('blackhole: a socket is closed 4001 when its token is revoked (DELETE /v2/token_auth) and when its user is disabled', async () => {
    const revoked = await userLogin(`kay-${tag}`, 'kay-secret');
    const byLogout = await socket();
    expect(await byLogout.subscribe({ account_id: accountId, binding: 'call.*.*' }, revoked)).toMatchObject({ status: 'success' });
    expect((await anon.withToken(revoked).call('DELETE', '/v2/token_auth')).status).toBe(200);
    expect(await byLogout.closed).toEqual({ code: 4001, reason: 'credentials revoked' });

    const rest = await admin();
    const otherId = String((await rest.create(`${base}/users`, { first_name: 'Dee', last_name: 'Sabled', username: `dee-${tag}`, password: 'dee-secret' }))['id']);
    const byDisable = await socket();
    expect(await byDisable.subscribe({ account_id: accountId, binding: 'call.*.*' }, await userLogin(`dee-${tag}`, 'dee-secret'))).toMatchObject({ status: 'success' });
    expect((await rest.call('PATCH', `${base}/users/${otherId}`, { enabled: false })).status).toBe(200);
    expect(await byDisable.closed).toEqual({ code: 4001, reason: 'credentials revoked' });
    expect(early.socket.open).toBe(true);
  });

  it('blackhole: a socket outlives its token (AUTH_TOKEN_TTL_SECONDS) and keeps delivering its user’s calls', async () => {
    const expiredAt = early.openedAt + TOKEN_TTL_SECONDS * 1000;
    // Past the expiry and a couple of re-verifications (one a second here).
    await new Promise((r) => setTimeout(r, Math.max(0, expiredAt - Date.now()) + 2_500));
    expect((await anon.withToken(early.token).call('GET', `${base}/users/${userId}`)).status).toBe(401);
    expect(early.socket.open).toBe(true);
    expect(await early.socket.send({ action: 'ping' })).toMatchObject({ status: 'success', data: { response: 'pong' } });
    const seen = early.socket.events.length;
    const { a } = await callThrough(3);
    await waitFor(() => early.socket.events.slice(seen).some((f) => (f['data'] as Json)['call_id'] === a && f['name'] === 'CHANNEL_DESTROY'), { message: 'the call after expiry on the early socket', timeoutMs: 10_000 });
    expect(early.socket.open).toBe(true);
  }, 120_000);
});
