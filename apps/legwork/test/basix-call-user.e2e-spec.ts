import { waitFor } from '@legwork/common/testing';
import { randomBytes } from 'node:crypto';
import { BlackholeClient } from '@legwork/event-stream/testing';
import { SippCarrier, SippPhone, freePort, header, receivedRequests, sentResponses } from '@legwork/originate/testing';
import { SIGNATURE_HEADER, verifySignature } from '@legwork/webhook-delivery';
import { HookReceiver } from '@legwork/webhook-delivery/testing';
import { CallEvents, Rest, dataOf, startLegwork, type Json, type RunningPlatform } from './kazoo-platform.fixture';

// Every `it` is bounded well below this; the platform start in beforeAll gets its own budget.
jest.setTimeout(40_000);

const tag = randomBytes(3).toString('hex');
/** Waits for `check` (the suite's one polling helper), naming `what` when it times out. */
const until = async (check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> => void (await waitFor(check, { timeoutMs, message: what }));

/** `"Name" <sip:user@host>` → display name and user part. */
function party(value: string | undefined): { name: string | undefined; user: string | undefined } {
  const m = /^\s*(?:"([^"]*)"\s*)?<sip:([^@>;]+)[@>;]/.exec(value ?? '');
  return { name: m?.[1], user: m?.[2] };
}

interface BasixReply {
  status: number;
  body: Json & { result_code?: number; uuids?: string[]; error?: { id?: string } };
}

/** `curl -u 'DOMAIN_NAME:API_TOKEN' …/basix/api/call_user -d '…'`: a string body goes out as written. */
class BasixClient {
  constructor(
    private readonly baseUrl: string,
    private readonly basic = '',
  ) {}

  as(domain: string, token: string): BasixClient {
    return new BasixClient(this.baseUrl, Buffer.from(`${domain}:${token}`).toString('base64'));
  }

  async callUser(body: unknown): Promise<BasixReply> {
    const res = await fetch(`${this.baseUrl}/basix/api/call_user`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${this.basic}` },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as BasixReply['body'] };
  }
}

const inviteOf = (peer: { messages(): string }, callId: string) => receivedRequests(peer.messages(), 'INVITE').find((m) => header(m, 'Call-ID') === callId);
const invitesAt = (peer: { messages(): string }): number => new Set(receivedRequests(peer.messages(), 'INVITE').map((m) => header(m, 'Call-ID'))).size;

/** The seed's curl examples, as written but for the ids they name (`user_id`). */
const EXAMPLES = {
  1: (userId: string) => `{"user_id": "${userId}", "destination": "0312341234"}`,
  2: () => '{"user_name": "jessica", "calling_name": "Thomas Jenkins", "destination": "thomas"}',
  3: () => '{"user_name": "bob", "destination": {"called_number": "0312341234", "calling_number": "05068680000", "end_user": {"name": "thomas"}}}',
  4: () => '{"user_extension": "1001", "destination": "0312341234"}',
  5: (callbackUrl: string) => `{"user_email": "jones@abcd.com", "destination": "{name=Charles Xavier,organization=X-Men}0312341234", "callback_url": "${callbackUrl}"}`,
  6: () => '{"user_name": "james", "group_name": "sales", "destination": "0312341234"}',
};

describe('Basix call_user end to end: the seed examples against real SIP peers (one legwork process, RabbitMQ, Redis)', () => {
  let platform: RunningPlatform;
  let events: CallEvents;
  let master: Rest;
  let basix: BasixClient;
  let accountId: string;
  let apiToken: string;
  let base: string;
  const ids: Record<string, string> = {};
  const phones: Record<string, SippPhone> = {};
  let carrierPort: number;
  let carrier: SippCarrier | undefined;
  let socket: BlackholeClient;
  const receiver = new HookReceiver();

  const startCarrier = async (): Promise<SippCarrier> => {
    await carrier?.stop();
    carrier = await SippCarrier.start({ behaviour: 'answer-bye', port: carrierPort });
    return carrier;
  };
  const destroyed = (callId: string): Promise<void> => until(() => events.of(callId, 'CHANNEL_DESTROY').length > 0, `CHANNEL_DESTROY of ${callId}`, 25_000);
  const ok = (res: BasixReply, legs: number): string[] => {
    expect({ status: res.status, result_code: res.body.result_code, legs: res.body.uuids?.length }).toEqual({ status: 200, result_code: 0, legs });
    for (const uuid of res.body.uuids ?? []) expect(uuid).toMatch(/-basix$/);
    return res.body.uuids ?? [];
  };
  /** The B-leg bridged to an answered A-leg, once the bus showed it. */
  const bLegOf = async (a: string): Promise<string> => {
    await until(() => events.events.some((e) => e['Other-Leg-Call-ID'] === a && e['Call-ID'] !== a), `the B-leg of ${a}`, 20_000);
    return String(events.events.find((e) => e['Other-Leg-Call-ID'] === a && e['Call-ID'] !== a)?.['Call-ID']);
  };

  beforeAll(async () => {
    platform = await startLegwork('bx', { BASIX_MEDIA: 'bypass', WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_RETRY_TIERS_MS: '500,1000,2000', LOG_LEVEL: 'warn' });
    events = await CallEvents.open(platform.scratch.AMQP_NAMESPACE);
    const anon = new Rest(platform.apiUrl);
    const auth = await anon.call('PUT', '/v2/api_auth', { api_key: platform.bootstrapKey });
    expect(auth.status).toBe(201);
    master = anon.withToken(String(auth.body.auth_token));
    const masterId = String(dataOf(auth)['account_id']);
    const realm = `bx-${tag}.legwork.test`;
    accountId = String((await master.create(`/v2/accounts/${masterId}`, { name: `bx-${tag}`, realm, country: 'JP', outbound: { caller_id_numbers: ['+815068680000'] } }))['id']);
    base = `/v2/accounts/${accountId}`;
    const user = async (username: string, extra: Json = {}): Promise<string> => String((await master.create(`${base}/users`, { first_name: username, last_name: 'Basix', username, ...extra }))['id']);
    ids.jessica = await user('jessica', { email: 'jones@abcd.com', extension: '1001' });
    ids.thomas = await user('thomas', { extension: '1002' });
    ids.bob = await user('bob');
    ids.james = await user('james');
    const device = async (name: string, owner: string): Promise<void> => void (await master.create(`${base}/devices`, { name, owner_id: owner, sip: { username: `${name}-${tag}`, password: `${name}-pw` } }));
    await device('j1', ids.jessica);
    await device('j2', ids.jessica);
    await device('t1', ids.thomas);
    await device('b1', ids.bob);
    await device('m1', ids.james);
    // a ring group as a destination: two members, one that never answers and one that does
    ids.hunt1 = await user('hunt1');
    ids.hunt2 = await user('hunt2');
    await device('h1', ids.hunt1);
    await device('h2', ids.hunt2);
    ids.helpdesk = String((await master.create(`${base}/groups`, { name: 'helpdesk', extension: '3000', strategy: 'simultaneous', endpoints: { [ids.hunt1]: { type: 'user' }, [ids.hunt2]: { type: 'user' } } }))['id']);
    ids.sales = String((await master.create(`${base}/groups`, { name: 'sales', type: 'call_center', endpoints: { [ids.james]: { type: 'user' } } }))['id']);
    carrierPort = await freePort();
    await master.create(`${base}/resources`, { name: 'carrier', gateways: [{ server: `127.0.0.1:${carrierPort}` }], rules: ['^\\+81\\d+$'] });

    // the API_TOKEN is the client_secret of a basix API client, shown once when the client is registered
    apiToken = String((await master.create(`${base}/api_clients`, { name: 'crm', dialect: 'basix' }))['client_secret']);
    basix = new BasixClient(platform.apiUrl).as(realm, apiToken);

    const registrar = `127.0.0.1:${platform.sipPort}`;
    const phone = (name: string, behaviour: 'answer' | 'noanswer', extra: Record<string, number> = {}) =>
      SippPhone.start({ username: `${name}-${tag}`, password: `${name}-pw`, realm, registrar, behaviour, ...extra });
    phones.j1 = await phone('j1', 'answer', { answerDelayMs: 400, byeAfterMs: 1500 });
    phones.j2 = await phone('j2', 'noanswer');
    phones.t1 = await phone('t1', 'answer', { answerDelayMs: 100 });
    phones.b1 = await phone('b1', 'answer', { answerDelayMs: 100 });
    phones.m1 = await phone('m1', 'answer', { answerDelayMs: 100, byeAfterMs: 1000 });
    phones.h1 = await phone('h1', 'noanswer');
    phones.h2 = await phone('h2', 'answer', { answerDelayMs: 500, byeAfterMs: 1500 });
    await Promise.all(Object.values(phones).map((p) => p.waitRegistered()));
    socket = await BlackholeClient.connect(platform.wsUrl);
    expect(await socket.subscribe(String(auth.body.auth_token), accountId, 'call.*.*')).toMatchObject({ status: 'success' });
    await receiver.listen();
  }, 90_000);

  afterAll(async () => {
    await socket?.close();
    await receiver.close();
    await carrier?.stop();
    await Promise.all(Object.values(phones).map((p) => p.stop()));
    await events?.close();
    await platform?.close();
  }, 30_000);

  it('example 1: both of the user\'s terminals ring, one answers, the other is CANCELled, the number is dialled through the carrier', async () => {
    const gw = await startCarrier();
    const cancels = receivedRequests(phones.j2?.messages() ?? '', 'CANCEL').length;
    const uuids = ok(await basix.callUser(EXAMPLES[1](ids.jessica ?? '')), 2);
    const j1 = phones.j1 as SippPhone;
    const j2 = phones.j2 as SippPhone;
    await until(() => uuids.some((id) => inviteOf(j1, id) !== undefined) && uuids.some((id) => inviteOf(j2, id) !== undefined), 'INVITE at both terminals');
    const answered = uuids.find((id) => inviteOf(j1, id) !== undefined) ?? '';
    expect(uuids.find((id) => inviteOf(j2, id) !== undefined)).not.toBe(answered);
    await until(() => receivedRequests(j2.messages(), 'CANCEL').length === cancels + 1, `CANCEL at the terminal that did not answer\n${j2.log}`);
    await until(() => invitesAt(gw) === 1, `INVITE at the carrier\n${gw.log}`);
    expect(party(header(receivedRequests(gw.messages(), 'INVITE')[0], 'To')).user).toBe('+81312341234');
    await destroyed(answered);
  });

  it('example 2: jessica sees "Thomas Jenkins", answers, and is connected to user thomas', async () => {
    const t1 = phones.t1 as SippPhone;
    const before = invitesAt(t1);
    const uuids = ok(await basix.callUser(EXAMPLES[2]()), 2);
    const j1 = phones.j1 as SippPhone;
    await until(() => uuids.some((id) => inviteOf(j1, id) !== undefined), 'INVITE at jessica');
    const leg = uuids.find((id) => inviteOf(j1, id) !== undefined) ?? '';
    expect(party(header(inviteOf(j1, leg), 'From')).name).toBe('Thomas Jenkins');
    await until(() => invitesAt(t1) === before + 1 && sentResponses(t1.messages(), 200).length > 0, `thomas rung and answering\n${t1.log}`);
    const b = await bLegOf(leg);
    await until(() => events.of(b, 'CHANNEL_ANSWER').length > 0, 'thomas answered');
    await destroyed(leg);
  });

  it('example 3: bob is connected to the PSTN number, which sees calling_number; end_user rides on the websocket events', async () => {
    const gw = await startCarrier();
    const [leg] = ok(await basix.callUser(EXAMPLES[3]()), 1);
    await until(() => invitesAt(gw) === 1, `INVITE at the carrier\n${gw.log}`);
    const invite = receivedRequests(gw.messages(), 'INVITE')[0];
    expect(party(header(invite, 'From')).user).toBe('+815068680000');
    expect(party(header(invite, 'To')).user).toBe('+81312341234');
    const b = await bLegOf(leg ?? '');
    await destroyed(leg ?? '');
    await destroyed(b);
    // both legs: bob's and the one to the PSTN number
    for (const callId of [leg ?? '', b]) {
      const frames = (): Json[] => socket.events.filter((f) => (f['data'] as Json)['call_id'] === callId);
      await until(() => frames().some((f) => f['name'] === 'CHANNEL_DESTROY'), `the frames of ${callId} on the socket`, 10_000);
      expect(frames().length).toBeGreaterThanOrEqual(3);
      for (const f of frames()) expect({ callId, name: f['name'], end_user: (f['data'] as Json)['end_user'] }).toEqual({ callId, name: f['name'], end_user: { name: 'thomas' } });
    }
  });

  it("a calling_number the domain does not own is refused by the outbound rules before anything rings: 403 destination_not_allowed", async () => {
    const gw = await startCarrier();
    const before = invitesAt(phones.b1 as SippPhone);
    const res = await basix.callUser({ user_name: 'bob', destination: { called_number: '0312341234', calling_number: '0311112222' } });
    expect({ status: res.status, result_code: res.body.result_code, id: res.body.error?.id }).toEqual({ status: 403, result_code: 500, id: 'destination_not_allowed' });
    await new Promise((r) => setTimeout(r, 300));
    expect([invitesAt(phones.b1 as SippPhone), invitesAt(gw)]).toEqual([before, 0]);
  });

  it('example 4: past the channel limit the answer is {"result_code":500,"error":{"id":"channel_limit_reached"}} and nothing rings', async () => {
    expect((await master.call('PATCH', base, { limits: { max_concurrent_channels: 1 } })).status).toBe(200);
    const before = invitesAt(phones.j1 as SippPhone) + invitesAt(phones.j2 as SippPhone);
    try {
      const res = await basix.callUser(EXAMPLES[4]());
      expect({ status: res.status, body: { result_code: res.body.result_code, error: { id: res.body.error?.id } } }).toEqual({ status: 429, body: { result_code: 500, error: { id: 'channel_limit_reached' } } });
    } finally {
      expect((await master.call('PATCH', base, { limits: { max_concurrent_channels: null } })).status).toBe(200);
    }
    await new Promise((r) => setTimeout(r, 500));
    expect(invitesAt(phones.j1 as SippPhone) + invitesAt(phones.j2 as SippPhone)).toBe(before);
  });

  it('example 5: callback_url gets {"result_code":0,"uuid":…} with the answering leg, signed with the API_TOKEN; end_user of the inline form on the events', async () => {
    await startCarrier();
    await master.create(`${base}/webhooks`, { name: `answers-${tag}`, uri: receiver.url('/hooks'), http_verb: 'post', hook: 'channel_answer', format: 'json' });
    const uuids = ok(await basix.callUser(EXAMPLES[5](receiver.url('/result_receiver'))), 2);
    const j1 = phones.j1 as SippPhone;
    await until(() => uuids.some((id) => inviteOf(j1, id) !== undefined), 'INVITE at jessica');
    const answered = uuids.find((id) => inviteOf(j1, id) !== undefined) ?? '';
    await waitFor(() => receiver.got('/result_receiver').length === 1, { timeoutMs: 30_000 });
    const [got] = receiver.got('/result_receiver');
    expect(JSON.parse(got?.body ?? '{}')).toEqual({ result_code: 0, uuid: answered });
    expect(verifySignature(apiToken, got?.body ?? '', String(got?.headers[SIGNATURE_HEADER.toLowerCase()]), Math.floor(Date.now() / 1000))).toBe(true);
    await destroyed(answered);
    const answer = events.of(answered, 'CHANNEL_ANSWER')[0];
    expect(JSON.parse(String((answer?.['Custom-Channel-Vars'] as Json)['End-User']))).toEqual({ name: 'Charles Xavier', organization: 'X-Men' });
    await until(() => socket.events.some((f) => (f['data'] as Json)['call_id'] === answered && f['name'] === 'CHANNEL_ANSWER'), 'CHANNEL_ANSWER on the socket');
    const frame = socket.events.find((f) => (f['data'] as Json)['call_id'] === answered && f['name'] === 'CHANNEL_ANSWER');
    expect((frame?.['data'] as Json)['end_user']).toEqual({ name: 'Charles Xavier', organization: 'X-Men' });
    // an account webhook on channel_answer shows it too
    const hookOf = () => receiver.got('/hooks').map((r) => JSON.parse(r.body) as Json).find((p) => p['call_id'] === answered);
    await waitFor(() => hookOf() !== undefined, { timeoutMs: 20_000 });
    expect(hookOf()?.['end_user']).toEqual({ name: 'Charles Xavier', organization: 'X-Men' });
  });

  it('example 6: james rings with the group "sales" on every event of his leg and in its CDR', async () => {
    await startCarrier();
    const [leg] = ok(await basix.callUser(EXAMPLES[6]()), 1);
    await destroyed(leg ?? '');
    const mine = events.of(leg ?? '');
    expect(mine.map((e) => e['Event-Name'])).toEqual(expect.arrayContaining(['CHANNEL_CREATE', 'CHANNEL_ANSWER', 'CHANNEL_DESTROY']));
    for (const e of mine) expect({ event: e['Event-Name'], ccv: e['Custom-Channel-Vars'] }).toMatchObject({ event: e['Event-Name'], ccv: { 'Group-ID': ids.sales, 'Group-Name': 'sales', 'Group-Type': 'call_center' } });
    let cdr: Json | undefined;
    await until(async () => {
      cdr = ((await master.call('GET', `${base}/cdrs`)).body.data as Json[] | undefined)?.find((c) => c['id'] === leg);
      return cdr !== undefined;
    }, `CDR of ${leg ?? ''}`);
    expect(cdr?.['custom_channel_vars']).toMatchObject({ group_id: ids.sales, group_name: 'sales', group_type: 'call_center' });
  });

  it.each([['its name', 'helpdesk'], ['its extension', '3000']])('a group as the destination (%s): bob answers, both members ring, the one that answers is bridged, the other is CANCELled', async (_how, destination) => {
    const [h1, h2] = [phones.h1 as SippPhone, phones.h2 as SippPhone];
    const before = { h1: invitesAt(h1), h2: invitesAt(h2), cancels: receivedRequests(h1.messages(), 'CANCEL').length };
    const res = await basix.callUser({ user_name: 'bob', destination });
    const [leg] = ok(res, 1);
    await until(() => invitesAt(h1) === before.h1 + 1 && invitesAt(h2) === before.h2 + 1, `INVITE at both members\n${h1.log}\n${h2.log}`);
    // both members' legs name bob's as their other leg; the bridged one is the member that answered
    const bridge = (): Json | undefined => events.events.find((e) => e['Event-Name'] === 'CHANNEL_BRIDGE' && e['Other-Leg-Call-ID'] === leg && e['Call-ID'] !== leg);
    await until(() => bridge() !== undefined, 'a member bridged to bob');
    const b = String(bridge()?.['Call-ID']);
    expect(receivedRequests(h2.messages(), 'INVITE').some((m) => header(m, 'Call-ID') === b)).toBe(true);
    await until(() => receivedRequests(h1.messages(), 'CANCEL').length === before.cancels + 1, `CANCEL at the member that did not answer\n${h1.log}`);
    await destroyed(b);
    await destroyed(leg ?? '');
  });

  it('a callback tells the failure when nobody answers: {"result_code":500,"error":{"id":"no_answer"}}', async () => {
    const only = String((await master.create(`${base}/users`, { first_name: 'Nobody', last_name: 'Home', username: `nobody-${tag}` }))['id']);
    await master.create(`${base}/devices`, { name: 'nh', owner_id: only, sip: { username: `nh-${tag}`, password: 'nh-pw' } });
    const nh = await SippPhone.start({ username: `nh-${tag}`, password: 'nh-pw', realm: `bx-${tag}.legwork.test`, registrar: `127.0.0.1:${platform.sipPort}`, behaviour: 'noanswer' });
    phones.nh = nh;
    await nh.waitRegistered();
    ok(await basix.callUser({ user_id: only, destination: '0312341234', answer_timeout: 3, callback_url: receiver.url('/no_answer') }), 1);
    await waitFor(() => receiver.got('/no_answer').length === 1, { timeoutMs: 20_000 });
    expect(JSON.parse(receiver.got('/no_answer')[0]?.body ?? '{}')).toEqual({ result_code: 500, error: { id: 'no_answer' } });
  });
});
