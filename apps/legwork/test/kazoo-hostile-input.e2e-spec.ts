import { waitFor } from '@legwork/common/testing';
import { createHash, randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { REDIS_URL } from '@legwork/platform/testing';
import { SippCarrier, SippPhone, freePort, header, parseSippLog, receivedRequests, type LoggedSipMessage } from '@legwork/originate/testing';
import { CallEvents, Rest, dataOf, startLegwork, type Json, type Reply, type RunningPlatform } from './kazoo-platform.fixture';

// Every `it` is bounded well below this; the ReDoS probe would block the event loop far longer before the fix.
jest.setTimeout(30_000);

const tag = randomBytes(3).toString('hex');
const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

/** Every INVITE a peer received, with every header line as sipp logged it. */
const invitesAt = (peer: { messages(): string }): LoggedSipMessage[] => receivedRequests(peer.messages(), 'INVITE');
const injected = (peer: { messages(): string }): LoggedSipMessage[] => parseSippLog(peer.messages()).filter((m) => m.headers['x-injected'] !== undefined);

/** Kazoo's 400 'invalid data' naming `field`. */
function expectInvalid(res: Reply, field: string): void {
  expect({ status: res.status, envelope: res.body.status, message: res.body.message }).toEqual({ status: 400, envelope: 'error', message: 'invalid data' });
  expect(Object.keys(dataOf(res))).toContain(field);
}

describe('hostile input through the Kazoo API reaches neither SIP nor the process (one legwork process, RabbitMQ, Redis, sipp)', () => {
  let platform: RunningPlatform;
  let events: CallEvents;
  let admin: Rest;
  let master: Rest;
  let base: string;
  const ids: Record<string, string> = {};
  let desk: SippPhone;
  let carrierPort = 0;
  let carrier: SippCarrier | undefined;

  const startCarrier = async (): Promise<SippCarrier> => {
    await carrier?.stop();
    carrier = await SippCarrier.start({ behaviour: 'answer', port: carrierPort });
    return carrier;
  };
  const alive = (): boolean => platform.proc.child.exitCode === null && platform.proc.child.signalCode === null;
  const quickcall = (verb: 'GET' | 'POST', device: string, path: string): Promise<Reply> => admin.call(verb, `${base}/devices/${device}/quickcall/${path}`, verb === 'POST' ? {} : undefined);
  const destroyed = (callId: string): Promise<unknown> => waitFor(() => events.of(callId, 'CHANNEL_DESTROY').length > 0, { message: `CHANNEL_DESTROY of ${callId}`, timeoutMs: 20_000 });
  const firstCallId = (res: Reply): string => String(((dataOf(res)['endpoints'] as Json[])[0] ?? {})['outbound_call_id']);

  beforeAll(async () => {
    platform = await startLegwork('hostile', { RTPENGINE_NG: process.env['RTPENGINE_NG'] ?? '127.0.0.1:2223' });
    events = await CallEvents.open(platform.scratch.AMQP_NAMESPACE);
    const anon = new Rest(platform.apiUrl);
    const auth = await anon.call('PUT', '/v2/api_auth', { api_key: platform.bootstrapKey });
    master = anon.withToken(String(auth.body.auth_token));
    const realm = `hostile-${tag}.legwork.test`;
    ids.a = String((await master.create(`/v2/accounts/${String(dataOf(auth)['account_id'])}`, { name: `hostile-${tag}`, realm }))['id']);
    base = `/v2/accounts/${ids.a}`;
    ids.ann = String((await master.create(`${base}/users`, { first_name: 'Ann', last_name: 'Lee', username: `ann-${tag}`, password: 'ann-secret', priv_level: 'admin' }))['id']);
    ids.desk = String((await master.create(`${base}/devices`, {
      name: 'desk', owner_id: ids.ann, sip: { username: `desk-${tag}`, password: 'desk-pw' }, caller_id: { external: { name: 'Desk One', number: '+14155550111' } },
    }))['id']);
    ids.offline = String((await master.create(`${base}/devices`, { name: 'offline', sip: { username: `offline-${tag}`, password: 'offline-pw' } }))['id']);
    carrierPort = await freePort();
    await master.create(`${base}/resources`, { name: 'carrier', gateways: [{ server: `127.0.0.1:${carrierPort}` }], rules: ['^\\+1(415555|900|800)\\d{4,7}$'] });
    const login = await anon.call('PUT', '/v2/user_auth', { credentials: md5(`ann-${tag}:ann-secret`), account_realm: realm });
    admin = anon.withToken(String(login.body.auth_token));
    desk = await SippPhone.start({ username: `desk-${tag}`, password: 'desk-pw', realm, registrar: `127.0.0.1:${platform.sipPort}`, behaviour: 'answer', answerDelayMs: 100, byeAfterMs: 800 });
    await desk.waitRegistered();
  }, 90_000);

  afterAll(async () => {
    await carrier?.stop();
    await desk?.stop();
    await events?.close();
    await platform?.close();
  }, 30_000);

  it('item 1: a quickcall number or cid-number with ">" is a 400 naming the field, and the process keeps serving calls', async () => {
    const before = invitesAt(desk).length;
    expectInvalid(await quickcall('GET', ids.desk, '1000%3E?media=bypass'), 'number');
    expectInvalid(await quickcall('GET', ids.desk, '%2B14155550180?cid-number=2000%3E'), 'cid-number');
    expectInvalid(await quickcall('POST', ids.desk, '1000%3E'), 'number');
    // the crash came a moment after the 202: give it that moment, then prove the node still rings phones
    await new Promise((r) => setTimeout(r, 500));
    expect(alive()).toBe(true);
    expect(invitesAt(desk)).toHaveLength(before);
    await startCarrier();
    const next = await quickcall('GET', ids.desk, '%2B14155550181');
    expect(next.status).toBe(202);
    const callId = firstCallId(next);
    await waitFor(() => invitesAt(desk).some((m) => header(m, 'Call-ID') === callId), { message: `INVITE ${callId} at the phone`, timeoutMs: 15_000 });
    await destroyed(callId);
    expect(alive()).toBe(true);
  });

  it('item 2: cid-name with CR/LF is a 400 naming cid-name; no INVITE carries an injected header line', async () => {
    const res = await quickcall('GET', ids.desk, '%2B14155550182?cid-name=Boss%0D%0AX-Injected:%20yes');
    expectInvalid(res, 'cid-name');
    const stored = await admin.call('PATCH', `${base}/devices/${ids.desk}`, { caller_id: { external: { name: 'Boss\r\nX-Injected: yes' } } });
    expectInvalid(stored, 'caller_id.external.name');
    await new Promise((r) => setTimeout(r, 300));
    expect(injected(desk)).toEqual([]);
  });

  it('item 2: quotes and backslashes in cid-name reach the phone as an escaped quoted-string', async () => {
    await startCarrier();
    const res = await quickcall('GET', ids.desk, `%2B14155550183?cid-name=${encodeURIComponent('Bo"ss\\ <x>')}`);
    expect(res.status).toBe(202);
    const callId = firstCallId(res);
    await waitFor(() => invitesAt(desk).some((m) => header(m, 'Call-ID') === callId), { message: `INVITE ${callId} at the phone`, timeoutMs: 15_000 });
    const invite = invitesAt(desk).find((m) => header(m, 'Call-ID') === callId);
    expect(header(invite, 'From')).toMatch(/^"Bo\\"ss\\\\ <x>" <sip:\+14155550183@[^>]+>;tag=/);
    await destroyed(callId);
  });

  it('item 2: a caller_id name with CR/LF stored before validation reaches the carrier as one display name, no extra header line', async () => {
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
    try {
      const [key] = (await redis.keys(`${platform.scratch.REDIS_PREFIX}*device:${ids.desk}`)).filter((k) => !k.includes(':idx:'));
      const doc = JSON.parse(String(await redis.get(key))) as Json & { caller_id: { external: Json } };
      doc.caller_id.external.name = 'Desk\r\nX-Injected: yes';
      await redis.set(key, JSON.stringify(doc));
    } finally {
      redis.disconnect();
    }
    const gw = await startCarrier();
    const res = await quickcall('GET', ids.desk, '%2B14155550184');
    expect(res.status).toBe(202);
    await waitFor(() => invitesAt(gw).length === 1, { message: `INVITE at the carrier\n${gw.log}`, timeoutMs: 15_000 });
    expect(header(invitesAt(gw)[0], 'From')).toMatch(/^"Desk X-Injected: yes" <sip:\+14155550111@/);
    expect(injected(gw)).toEqual([]);
    expect(injected(desk)).toEqual([]);
    await destroyed(firstCallId(res));
  });

  it('item 6: a catastrophic number_filter gives the right answer while the gateway keeps answering others', async () => {
    const number = `${'a'.repeat(32)}b`;
    const [filtered, other] = await Promise.all([
      quickcall('GET', ids.offline, `${number}?number_filter=${encodeURIComponent('(a+)+$')}`),
      admin.call('GET', `${base}/devices/${ids.offline}`),
    ]);
    expect(other.status).toBe(200);
    // no match: Kazoo dials the number as given
    expect({ status: filtered.status, route: (dataOf(filtered)['application_data'] as Json | undefined)?.['route'] }).toEqual({ status: 202, route: number });
    const captured = await quickcall('GET', ids.offline, `${number}?number_filter=${encodeURIComponent('^(?:a|a)*(b)$')}`);
    expect((dataOf(captured)['application_data'] as Json | undefined)?.['route']).toBe('b');
    expectInvalid(await quickcall('GET', ids.offline, `1000?number_filter=${encodeURIComponent('(a)\\1')}`), 'number_filter');
    expectInvalid(await quickcall('GET', ids.offline, `1000?number_filter=${encodeURIComponent('a'.repeat(300))}`), 'number_filter');
    const rule = await admin.call('PUT', `${base}/resources`, { name: 'lookbehind', gateways: [{ server: '127.0.0.1:5999' }], rules: ['(?<=\\+1)900'] });
    expectInvalid(rule, 'rules.0');
  });

  it('item 14: a premium-rate number is refused before any phone rings (POST: 500 with OUTGOING_CALL_BARRED)', async () => {
    const before = invitesAt(desk).length;
    const res = await quickcall('POST', ids.desk, '%2B19005550100');
    expect(res.status).toBe(500);
    expect(res.body.message).toBe('quickcall initiation failed');
    expect(dataOf(res)['error_message']).toBe('OUTGOING_CALL_BARRED');
    await new Promise((r) => setTimeout(r, 300));
    expect(invitesAt(desk)).toHaveLength(before);
  });

  it("item 14: a user's own rules narrow the account's: toll-free barred on Ann's device; bad rules are a 400", async () => {
    expect((await admin.call('PATCH', `${base}/users/${ids.ann}`, { outbound: { deny_classes: ['toll_free'] } })).status).toBe(200);
    const res = await quickcall('POST', ids.desk, '%2B18005550100');
    expect({ status: res.status, error: dataOf(res)['error_message'] }).toEqual({ status: 500, error: 'OUTGOING_CALL_BARRED' });
    // an account's outbound rules are its parent's to set, as its limits are
    expectInvalid(await master.call('PATCH', base, { outbound: { deny_classes: ['premium'] } }), 'outbound.deny_classes.0');
    expectInvalid(await master.call('PATCH', base, { country: 'USA' }), 'country');
  });
});
