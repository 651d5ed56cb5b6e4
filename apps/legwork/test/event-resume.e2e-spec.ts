import { waitFor } from '@legwork/common/testing';
import { createHash, randomBytes } from 'node:crypto';
import { BlackholeClient, type Frame } from '@legwork/event-stream/testing';
import { SippCarrier, SippPhone, freePort } from '@legwork/originate/testing';
import { CallEvents, Rest, dataOf, startLegwork, type Json, type RunningPlatform } from './kazoo-platform.fixture';
import { FREE_PORTS, NodeProcess, ensureBuilt } from './node-process';

jest.setTimeout(60_000);

const tag = randomBytes(3).toString('hex');
const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
/** The events a blackhole `call.*.*` subscription carries: Kazoo's bh_call set. */
const BLACKHOLE_STAR = new Set(['CHANNEL_CREATE', 'CHANNEL_ANSWER', 'CHANNEL_DESTROY', 'CHANNEL_HOLD', 'CHANNEL_UNHOLD', 'CHANNEL_BRIDGE']);
const dataOfFrame = (f: Frame): Json => f['data'] as Json;
/** An event by what identifies it across the bus, the socket and the log: its leg and its number in the call. */
const idOf = (callId: unknown, seq: unknown): string => `${String(callId)}#${String(seq)}`;
const frameId = (f: Frame): string => idOf(dataOfFrame(f)['call_id'], dataOfFrame(f)['event_sequence']);
const cursorKey = (c: unknown): [number, number] => String(c).split('-').map(Number) as [number, number];
const ascending = (cursors: unknown[]): boolean => cursors.every((c, i) => i === 0 || cursorKey(cursors[i - 1])[0] < cursorKey(c)[0] || (cursorKey(cursors[i - 1])[0] === cursorKey(c)[0] && cursorKey(cursors[i - 1])[1] < cursorKey(c)[1]));

describe('websocket resume through the whole platform: a blackhole client disconnected mid-call reconnects with its cursor (one legwork process, RabbitMQ, Redis, sipp)', () => {
  let platform: RunningPlatform;
  let events: CallEvents;
  let owner: Rest;
  let token: string;
  let accountId: string;
  let base: string;
  let deviceId: string;
  let phone: SippPhone;
  let carrierPort: number;
  let carrier: SippCarrier | undefined;
  const sockets: BlackholeClient[] = [];
  const open = async (): Promise<BlackholeClient> => {
    const s = await BlackholeClient.connect(platform.wsUrl);
    sockets.push(s);
    return s;
  };

  /** Starts a quickcall to a carrier that answers and waits for our BYE; the phone answers and hangs up after a while. */
  const startCall = async (n: number): Promise<string> => {
    await carrier?.stop();
    carrier = await SippCarrier.start({ behaviour: 'answer', port: carrierPort });
    const res = await owner.call('GET', `${base}/devices/${deviceId}/quickcall/%2B1415555${String(n).padStart(4, '0')}?media=bypass`);
    expect(res.status).toBe(202);
    return String((dataOf(res)['endpoints'] as Json[])[0]?.['outbound_call_id']);
  };
  const bLegOf = (a: string): string | undefined => events.events.find((e) => e['Origination-Call-ID'] === a && e['Call-ID'] !== a)?.['Call-ID'] as string | undefined;
  const bothEnded = async (a: string): Promise<string> => {
    await waitFor(() => bLegOf(a) !== undefined && events.of(a, 'CHANNEL_DESTROY').length > 0 && events.of(bLegOf(a) as string, 'CHANNEL_DESTROY').length > 0, {
      message: () => `both legs of ${a} destroyed: ${events.events.map((e) => `${String(e['Event-Name'])} ${String(e['Call-ID'])}`).join('; ')}\ncarrier:\n${carrier?.log ?? ''}`,
      timeoutMs: 25_000,
    });
    return bLegOf(a) as string;
  };
  const starOnBus = (legs: string[]): Json[] => events.events.filter((e) => legs.includes(String(e['Call-ID'])) && BLACKHOLE_STAR.has(String(e['Event-Name'])));

  beforeAll(async () => {
    platform = await startLegwork('resume', { LOG_LEVEL: 'warn' });
    events = await CallEvents.open(platform.scratch.AMQP_NAMESPACE);
    const anon = new Rest(platform.apiUrl);
    const auth = await anon.call('PUT', '/v2/api_auth', { api_key: platform.bootstrapKey });
    const master = anon.withToken(String(auth.body.auth_token));
    const realm = `resume-${tag}.legwork.test`;
    accountId = String((await master.create(`/v2/accounts/${String(dataOf(auth)['account_id'])}`, { name: `resume-${tag}`, realm }))['id']);
    base = `/v2/accounts/${accountId}`;
    const user = String((await master.create(`${base}/users`, { first_name: 'Rhea', last_name: 'Sume', username: `rhea-${tag}`, password: 'rhea-secret' }))['id']);
    deviceId = String((await master.create(`${base}/devices`, { name: 'desk', owner_id: user, sip: { username: `rdesk-${tag}`, password: 'rdesk-pw' } }))['id']);
    carrierPort = await freePort();
    await master.create(`${base}/resources`, { name: 'carrier', gateways: [{ server: `127.0.0.1:${carrierPort}` }], rules: ['^\\+1415555\\d{4}$'] });
    const login = await anon.call('PUT', '/v2/user_auth', { credentials: md5(`rhea-${tag}:rhea-secret`), account_realm: realm });
    token = String(login.body.auth_token);
    owner = anon.withToken(token);
    phone = await SippPhone.start({ username: `rdesk-${tag}`, password: 'rdesk-pw', realm, registrar: `127.0.0.1:${platform.sipPort}`, behaviour: 'answer', answerDelayMs: 300, byeAfterMs: 1500 });
    await phone.waitRegistered();
  }, 90_000);

  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    await carrier?.stop();
    await phone?.stop();
    await events?.close();
    await platform?.close();
  }, 30_000);

  it('gets every event it missed exactly once, in log order, then the live events of the next call', async () => {
    const first = await open();
    const reply = await first.subscribe(token, accountId, 'call.*.*');
    expect(reply).toMatchObject({ status: 'success', data: { subscribed: ['call.*.*'], cursor: expect.stringMatching(/^\d+-\d+$/) } });

    const a = await startCall(201);
    const [seen] = await first.waitForEvents(1, 15_000);
    expect(seen).toMatchObject({ name: 'CHANNEL_CREATE', data: { call_id: a, event_sequence: 1, origination_call_id: a } });
    // gone while the call rings, answers, bridges and ends
    await first.close();
    const b = await bothEnded(a);

    const again = await open();
    const resumed = await again.request({ action: 'subscribe', auth_token: token, data: { account_id: accountId, binding: 'call.*.*', since: seen['cursor'] } });
    expect(resumed).toMatchObject({ status: 'success', data: { resumed: { since: seen['cursor'], complete: true } } });
    const missed = starOnBus([a, b]).filter((e) => idOf(e['Call-ID'], e['Event-Sequence']) !== frameId(seen));
    expect(missed.map((e) => e['Event-Name'])).toEqual(expect.arrayContaining(['CHANNEL_ANSWER', 'CHANNEL_BRIDGE', 'CHANNEL_DESTROY']));
    await again.waitForEvents(missed.length, 15_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const replayed = [...again.events];
    expect(replayed.map(frameId).sort()).toEqual(missed.map((e) => idOf(e['Call-ID'], e['Event-Sequence'])).sort());
    expect(ascending(replayed.map((f) => f['cursor']))).toBe(true);
    expect(compareSeq(replayed)).toBe(true);
    expect(replayed.filter((f) => f['name'] === 'CHANNEL_DESTROY').map((f) => dataOfFrame(f)['call_id']).sort()).toEqual([a, b].sort());

    // then live: the next call's events arrive on the same socket, once each, after the replayed ones
    const next = await startCall(202);
    const nextB = await bothEnded(next);
    const live = starOnBus([next, nextB]);
    await again.waitForEvents(replayed.length + live.length, 15_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const after = again.events.slice(replayed.length);
    expect(after.map(frameId).sort()).toEqual(live.map((e) => idOf(e['Call-ID'], e['Event-Sequence'])).sort());
    expect(ascending(again.events.map((f) => f['cursor']))).toBe(true);
  });

  it('numbers each call 1…N over both of its legs on the bus, with one CHANNEL_DESTROY per leg', async () => {
    const a = await startCall(203);
    const b = await bothEnded(a);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const ofCall = events.events.filter((e) => e['Call-ID'] === a || e['Call-ID'] === b);
    expect(ofCall.map((e) => Number(e['Event-Sequence'])).sort((x, y) => x - y)).toEqual(ofCall.map((_, i) => i + 1));
    expect(new Set(ofCall.map((e) => e['Origination-Call-ID']))).toEqual(new Set([a]));
    expect(ofCall.filter((e) => e['Event-Name'] === 'CHANNEL_DESTROY').map((e) => e['Call-ID']).sort()).toEqual([a, b].sort());
    expect(ofCall.every((e) => typeof e['Timestamp-Ms'] === 'number')).toBe(true);
  });
});

describe('websocket resume in embedded mode (npm start: in-process bus and store)', () => {
  let platform: NodeProcess | undefined;
  let phone: SippPhone | undefined;
  let carrier: SippCarrier | undefined;
  const sockets: BlackholeClient[] = [];

  beforeAll(() => ensureBuilt(), 120_000);
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    await carrier?.stop();
    await phone?.stop();
    platform?.kill();
  });

  it('replays from the in-process event log what a client missed during a call', async () => {
    const apiKey = randomBytes(32).toString('hex');
    platform = new NodeProcess('apps/legwork/dist/main.js', { ...FREE_PORTS, LEGWORK_BOOTSTRAP_API_KEY: apiKey, LOG_LEVEL: 'warn' });
    await platform.waitFor(/Press Ctrl\+C to stop\./, 30_000);
    expect(platform.stdout).toContain('mode: embedded');
    const api = /^ {2}api-gateway +(http:\/\/\S+) /m.exec(platform.stdout)?.[1] ?? '';
    const ws = /^ {2}websockets +http:\/\/(\S+) /m.exec(platform.stdout)?.[1] ?? '';
    const sipPort = Number(/sip: udp:127\.0\.0\.1:(\d+)/.exec(platform.stdout)?.[1]);
    const anon = new Rest(api);
    const auth = await anon.call('PUT', '/v2/api_auth', { api_key: apiKey });
    const authToken = String(auth.body.auth_token);
    const admin = anon.withToken(authToken);
    const accountId = String(dataOf(auth)['account_id']);
    const realm = String(dataOf(await admin.call('GET', `/v2/accounts/${accountId}`))['realm']);
    const base = `/v2/accounts/${accountId}`;
    const deviceId = String((await admin.create(`${base}/devices`, { name: `edesk-${tag}`, sip: { username: `edesk-${tag}`, password: 'edesk-pw' } }))['id']);
    const carrierPort = await freePort();
    await admin.create(`${base}/resources`, { name: 'carrier', gateways: [{ server: `127.0.0.1:${carrierPort}` }], rules: ['^\\+1415555\\d{4}$'] });
    phone = await SippPhone.start({ username: `edesk-${tag}`, password: 'edesk-pw', realm, registrar: `127.0.0.1:${sipPort}`, behaviour: 'answer', answerDelayMs: 300, byeAfterMs: 1000 });
    await phone.waitRegistered();
    carrier = await SippCarrier.start({ behaviour: 'answer', port: carrierPort });

    const first = await BlackholeClient.connect(`ws://${ws}/websocket`);
    sockets.push(first);
    await first.subscribe(authToken, accountId, 'call.*.*');
    const res = await admin.call('GET', `${base}/devices/${deviceId}/quickcall/%2B14155550188`);
    expect(res.status).toBe(202);
    const a = String((dataOf(res)['endpoints'] as Json[])[0]?.['outbound_call_id']);
    const [seen] = await first.waitForEvents(1, 15_000);
    expect(seen).toMatchObject({ name: 'CHANNEL_CREATE', data: { call_id: a, event_sequence: 1 } });
    await first.close();
    // both legs' CDRs exist once both CHANNEL_DESTROYs were published
    await waitFor(async () => ((dataOf(await admin.call('GET', `${base}/cdrs`)) as unknown as Json[]) ?? []).length >= 2, { message: 'two CDRs', timeoutMs: 20_000, intervalMs: 250 });

    const again = await BlackholeClient.connect(`ws://${ws}/websocket`);
    sockets.push(again);
    const resumed = await again.request({ action: 'subscribe', auth_token: authToken, data: { account_id: accountId, binding: 'call.*.*', since: seen['cursor'] } });
    expect(resumed).toMatchObject({ status: 'success', data: { resumed: { complete: true } } });
    await waitFor(() => again.events.filter((f) => f['name'] === 'CHANNEL_DESTROY').length === 2, { message: 'both CHANNEL_DESTROYs replayed', timeoutMs: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const replayed = again.events;
    expect(replayed.map((f) => f['name'])).toEqual(expect.arrayContaining(['CHANNEL_ANSWER', 'CHANNEL_BRIDGE', 'CHANNEL_DESTROY']));
    expect(new Set(replayed.map(frameId)).size).toBe(replayed.length);
    expect(replayed.some((f) => frameId(f) === frameId(seen))).toBe(false);
    expect(ascending(replayed.map((f) => f['cursor']))).toBe(true);
    expect(compareSeq(replayed)).toBe(true);
    expect(new Set(replayed.map((f) => dataOfFrame(f)['origination_call_id']))).toEqual(new Set([a]));
  });
});

/** Within each call, the frames' event_sequence only grows. */
function compareSeq(frames: Frame[]): boolean {
  const last = new Map<unknown, number>();
  return frames.every((f) => {
    const d = dataOfFrame(f);
    const seq = Number(d['event_sequence']);
    const ok = seq > (last.get(d['origination_call_id']) ?? 0);
    last.set(d['origination_call_id'], seq);
    return ok;
  });
}
