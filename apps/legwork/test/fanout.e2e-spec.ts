import { waitFor } from '@legwork/common/testing';
import { createHash, randomBytes } from 'node:crypto';
import { connect } from 'amqplib';
import { normalize } from '@legwork/contracts';
import { BlackholeClient, type Frame } from '@legwork/event-stream/testing';
import { SippCarrier, SippPhone, freePort } from '@legwork/originate/testing';
import { RESERVED_CCV_KEYS, SIGNATURE_HEADER, WEBHOOK_TOPOLOGY, verifySignature } from '@legwork/webhook-delivery';
import { HookReceiver, type ReceivedRequest } from '@legwork/webhook-delivery/testing';
import { CallEvents, Rest, dataOf, startLegwork, type Json, type RunningPlatform } from './kazoo-platform.fixture';

// Every `it` is bounded well below this; the platform start in beforeAll gets its own budget.
jest.setTimeout(40_000);

const tag = randomBytes(3).toString('hex');
const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
const NUMBER = (n: number): string => `%2B1415555${String(n).padStart(4, '0')}`;
/** What a call leg must show at least, in this order. */
const LIFECYCLE = ['CHANNEL_CREATE', 'CHANNEL_ANSWER', 'CHANNEL_BRIDGE', 'CHANNEL_DESTROY'];
const CUSTOM_DATA = { team: 'sales', run: tag };

/** The events a blackhole `call.*.*` subscription carries: Kazoo's bh_call set. */
const BLACKHOLE_STAR = new Set(['CHANNEL_CREATE', 'CHANNEL_ANSWER', 'CHANNEL_DESTROY', 'CHANNEL_HOLD', 'CHANNEL_UNHOLD', 'CHANNEL_BRIDGE']);
/** Kazoo's optional default headers, which blackhole leaves out of `data`. */
const OPTIONAL_DEFAULTS = ['Node', 'Server-ID', 'Server-Queue-ID', 'Log-ID', 'Access-Group', 'Defer-Response', 'Destination-Server', 'Geo-Location', 'Raw-Headers'];
/** A bus event as blackhole shows it (bh_events:event/3), written out independently of the code under test. */
const blackholeView = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(blackholeView);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k.toLowerCase().replace(/-/g, '_'), blackholeView(v)]));
};
const blackholeData = (wire: Json): unknown => blackholeView(Object.fromEntries(Object.entries(wire).filter(([k]) => !OPTIONAL_DEFAULTS.includes(k))));

const bodyOf = (r: ReceivedRequest): Json => JSON.parse(r.body) as Json;
const header = (r: ReceivedRequest, name: string): string => String(r.headers[name.toLowerCase()] ?? '');

/** Jobs parked in the webhooks dead-letter queue of a namespace (what an operator could replay). */
async function parkedJobs(ns: string): Promise<number> {
  const conn = await connect(process.env['AMQP_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672');
  try {
    const ch = await conn.createChannel();
    return (await ch.checkQueue(`${ns}.${WEBHOOK_TOPOLOGY.deadQueue}`)).messageCount;
  } finally {
    await conn.close();
  }
}

describe('event fan-out of a sipp-driven call: signed webhooks and blackhole websockets (one legwork process, RabbitMQ, Redis)', () => {
  let platform: RunningPlatform;
  let events: CallEvents;
  let owner: Rest;
  let ownerToken: string;
  /** Webhooks are the account admin's: a plain user's token may not read or write them. */
  let admin: Rest;
  let base: string;
  let accountId: string;
  let deviceId: string;
  let phone: SippPhone;
  let carrierPort: number;
  let carrier: SippCarrier | undefined;
  const receivers: HookReceiver[] = [];
  const sockets: BlackholeClient[] = [];

  /** The A-leg (the phone) and the B-leg (the carrier) of one quickcall, once both were destroyed on the bus. */
  const callThrough = async (n: number): Promise<{ a: string; b: string }> => {
    await carrier?.stop();
    carrier = await SippCarrier.start({ behaviour: 'answer-bye', port: carrierPort });
    const res = await owner.call('GET', `${base}/devices/${deviceId}/quickcall/${NUMBER(n)}?media=bypass`);
    expect(res.status).toBe(202);
    const a = String((dataOf(res)['endpoints'] as Json[])[0]?.['outbound_call_id']);
    const bOf = (): string | undefined => events.events.find((e) => e['Other-Leg-Call-ID'] === a && e['Call-ID'] !== a)?.['Call-ID'] as string | undefined;
    const dump = (): string => events.events.map((e) => `${String(e['Event-Name'])} ${String(e['Call-ID'])} other=${String(e['Other-Leg-Call-ID'] ?? '')}`).join('\n');
    await waitFor(() => events.of(a, 'CHANNEL_DESTROY').length > 0 && bOf() !== undefined, { message: `A-leg ${a} destroyed and its B-leg seen`, timeoutMs: 20_000 }).catch((err: unknown) => {
      throw new Error(`${String(err)}\n${dump()}\ncarrier:\n${carrier?.log ?? ''}`);
    });
    const b = bOf() as string;
    await waitFor(() => events.of(b, 'CHANNEL_DESTROY').length > 0, { message: `B-leg ${b} destroyed`, timeoutMs: 20_000 }).catch((err: unknown) => {
      throw new Error(`${String(err)}\n${dump()}`);
    });
    return { a, b };
  };
  const names = (list: Json[]): string[] => list.map((e) => String(e['Event-Name']));
  /** True when each lifecycle event is present and they come in lifecycle order. */
  const inLifecycleOrder = (seq: string[]): boolean => {
    const at = LIFECYCLE.map((n) => seq.indexOf(n));
    return at.every((i) => i >= 0) && at.every((i, k) => k === 0 || i > (at[k - 1] ?? -1));
  };
  const createHook = async (uri: string, extra: Json = {}): Promise<Json> =>
    admin.create(`${base}/webhooks`, { name: `all-${randomBytes(3).toString('hex')}`, uri, http_verb: 'post', hook: 'all', format: 'json', custom_data: CUSTOM_DATA, ...extra });

  /** Every request of one call id, in arrival order, with its parsed body. */
  const deliveriesOf = (receiver: HookReceiver, path: string, callId: string): Array<{ req: ReceivedRequest; body: Json }> =>
    receiver.got(path).map((req) => ({ req, body: bodyOf(req) })).filter((d) => d.body['call_id'] === callId);

  /** Checks headers, signature and payload of every delivery of the legs against what the bus carried. */
  const expectDelivered = (receiver: HookReceiver, path: string, hook: Json, legs: string[], ordered: boolean): void => {
    for (const callId of legs) {
      const onBus = events.of(callId);
      const got = deliveriesOf(receiver, path, callId);
      const gotNames = got.map((d) => String(d.body['hook_event']).toUpperCase());
      expect({ callId, order: inLifecycleOrder(names(onBus)) }).toEqual({ callId, order: true });
      // each event exactly once; in publish order unless retries let later events pass
      if (ordered) expect({ callId, events: gotNames }).toEqual({ callId, events: names(onBus) });
      else expect({ callId, events: [...gotNames].sort() }).toEqual({ callId, events: names(onBus).sort() });
      // each delivery is one of the leg's bus events, by its sequence number, each number once
      expect({ callId, sequences: got.map((d) => d.body['event_sequence']).sort() }).toEqual({ callId, sequences: onBus.map((e) => e['Event-Sequence']).sort() });
      got.forEach(({ req, body }, i) => {
        const sameName = onBus.filter((e) => String(e['Event-Name']).toLowerCase() === body['hook_event']);
        const wire = (sameName.find((e) => normalize(e)['timestamp'] === body['timestamp']) ?? sameName[0] ?? {}) as Json;
        const nowSeconds = Math.floor(Date.now() / 1000);
        expect({ i, signed: verifySignature(String(hook['secret']), req.body, header(req, SIGNATURE_HEADER), nowSeconds) }).toEqual({ i, signed: true });
        expect(req.method).toBe('POST');
        expect(header(req, 'content-type')).toMatch(/^application\/json/);
        expect(header(req, 'X-Hook-ID')).toBe(hook['id']);
        expect(header(req, 'X-Account-ID')).toBe(accountId);
        const normalized = normalize(wire);
        expect(body).toMatchObject({
          ...CUSTOM_DATA,
          account_id: accountId,
          call_id: callId,
          hook_event: String(wire['Event-Name']).toLowerCase(),
          timestamp: normalized['timestamp'],
          call_direction: normalized['call_direction'],
          // Legwork: the same sequence number the bus event carries, and the call it counts for
          event_sequence: expect.any(Number),
          origination_call_id: wire['Origination-Call-ID'],
          // Kazoo's curated payload: the caller's channel vars minus the reserved ones, in their own spelling
          custom_channel_vars: Object.fromEntries(Object.entries((wire['Custom-Channel-Vars'] ?? {}) as Json).filter(([k]) => !RESERVED_CCV_KEYS.has(k))),
        });
        if (wire['Event-Name'] === 'CHANNEL_DESTROY') {
          expect(body).toMatchObject({ hangup_cause: expect.stringMatching(/^[A-Z_]+$/), duration_seconds: expect.any(Number), billing_seconds: expect.any(Number), ringing_seconds: expect.any(Number) });
        }
      });
    }
  };

  beforeAll(async () => {
    platform = await startLegwork('fan', {
      RTPENGINE_NG: process.env['RTPENGINE_NG'] ?? '127.0.0.1:2223',
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      WEBHOOK_RETRY_TIERS_MS: '500,1000,2000',
    });
    events = await CallEvents.open(platform.scratch.AMQP_NAMESPACE);
    const anon = new Rest(platform.apiUrl);
    const auth = await anon.call('PUT', '/v2/api_auth', { api_key: platform.bootstrapKey });
    expect(auth.status).toBe(201);
    const master = anon.withToken(String(auth.body.auth_token));
    admin = master;
    const masterId = String(dataOf(auth)['account_id']);
    const realm = `fan-${tag}.legwork.test`;
    accountId = String((await master.create(`/v2/accounts/${masterId}`, { name: `fan-${tag}`, realm }))['id']);
    base = `/v2/accounts/${accountId}`;
    const user = String((await master.create(`${base}/users`, { first_name: 'Fay', last_name: 'Nout', username: `fay-${tag}`, password: 'fay-secret' }))['id']);
    deviceId = String((await master.create(`${base}/devices`, { name: 'desk', owner_id: user, sip: { username: `fdesk-${tag}`, password: 'fdesk-pw' } }))['id']);
    carrierPort = await freePort();
    await master.create(`${base}/resources`, { name: 'carrier', gateways: [{ server: `127.0.0.1:${carrierPort}` }], rules: ['^\\+1415555\\d{4}$'] });
    const login = await anon.call('PUT', '/v2/user_auth', { credentials: md5(`fay-${tag}:fay-secret`), account_realm: realm });
    expect(login.status).toBe(201);
    ownerToken = String(login.body.auth_token);
    owner = anon.withToken(ownerToken);
    phone = await SippPhone.start({ username: `fdesk-${tag}`, password: 'fdesk-pw', realm, registrar: `127.0.0.1:${platform.sipPort}`, behaviour: 'answer', answerDelayMs: 100 });
    await phone.waitRegistered();
  }, 90_000);

  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    await Promise.all(receivers.map((r) => r.close()));
    await carrier?.stop();
    await phone?.stop();
    await events?.close();
    await platform?.close();
  }, 30_000);

  it('a hook on `all` gets every event of both legs and a `call.*.*` socket every one of Kazoo’s set, in order; deliveries signed, custom_data merged', async () => {
    const receiver = await new HookReceiver().listen();
    receivers.push(receiver);
    const hook = await createHook(receiver.url('/all'));
    expect(hook).toMatchObject({ hook: 'all', enabled: true, secret: expect.any(String) });

    const socket = await BlackholeClient.connect(platform.wsUrl);
    sockets.push(socket);
    const reply = await socket.subscribe(ownerToken, accountId, 'call.*.*');
    expect(reply).toMatchObject({ action: 'reply', status: 'success', data: { subscribed: ['call.*.*'] } });

    const { a, b } = await callThrough(101);
    const legs = [a, b];
    const expected = legs.reduce((n, id) => n + events.of(id).length, 0);
    const ofLegs = (): number => receiver.got('/all').filter((r) => legs.includes(String(bodyOf(r)['call_id']))).length;
    await waitFor(() => ofLegs() >= expected, { timeoutMs: 20_000 }).catch(() => {
      throw new Error(`receiver got ${ofLegs()} of ${expected}: ${receiver.got('/all').map((r) => `${String(bodyOf(r)['hook_event'])} ${String(bodyOf(r)['call_id'])}`).join(', ')}`);
    });
    expectDelivered(receiver, '/all', hook, legs, true);

    const framesOf = (callId: string): Frame[] => socket.events.filter((f) => (f['data'] as Json)['call_id'] === callId);
    const starOf = (callId: string): Json[] => events.of(callId).filter((e) => BLACKHOLE_STAR.has(String(e['Event-Name'])));
    await waitFor(() => legs.every((id) => framesOf(id).length >= starOf(id).length), { message: 'every event on the socket', timeoutMs: 10_000 });
    for (const callId of legs) {
      const onBus = starOf(callId);
      const frames = framesOf(callId);
      expect(frames.map((f) => f['name'])).toEqual(names(onBus));
      frames.forEach((f, i) => {
        const wire = onBus[i] as Json;
        expect(f).toEqual({
          action: 'event',
          subscribed_key: 'call.*.*',
          subscription_key: `call.${accountId}.${String(wire['Event-Name'])}.*`,
          name: wire['Event-Name'],
          routing_key: expect.stringMatching(new RegExp(`^call\\.${accountId}\\.${String(wire['Event-Name'])}\\.[^.]+$`)),
          cursor: expect.stringMatching(/^\d+-\d+$/),
          data: blackholeData(wire),
        });
      });
    }
  });

  it('the receiver is down during the call and comes back on the same port after it: every event is still delivered, through the retries', async () => {
    const first = await new HookReceiver().listen();
    const port = first.port;
    // retries counts attempts in all (Kazoo): 4, the most a document may ask for
    const hook = await createHook(first.url('/later'), { retries: 4 });
    await first.close();

    const { a, b } = await callThrough(102);
    const legs = [a, b];
    expect(first.got('/later')).toHaveLength(0);
    const back = await new HookReceiver().listen(port);
    receivers.push(back);
    const expected = legs.reduce((n, id) => n + events.of(id).length, 0);
    const ofLegs = (): number => back.got('/later').filter((r) => legs.includes(String(bodyOf(r)['call_id']))).length;
    await waitFor(() => ofLegs() >= expected, { timeoutMs: 20_000 }).catch(async () => {
      const state = dataOf(await admin.call('GET', `${base}/webhooks/${String(hook['id'])}`));
      const attempts = (dataOf(await admin.call('GET', `${base}/webhooks/${String(hook['id'])}/attempts`)) as unknown as Json[]) ?? [];
      throw new Error(
        `receiver got ${ofLegs()} of ${expected} events after coming back; hook enabled=${String(state['enabled'])} disabled_reason=${String(state['disabled_reason'] ?? '')}; ` +
          `${await parkedJobs(platform.scratch.AMQP_NAMESPACE)} jobs parked in the dead queue; ` +
          `${attempts.length} attempts: ${attempts.map((t) => `${String(t['hook_event'])}#${String(t['attempt'])}:${String(t['result'])}`).join(', ')}`,
      );
    });
    // one success per event, signed, with the payload it would have had if the receiver had been up all along
    expectDelivered(back, '/later', hook, legs, false);
  });
});
