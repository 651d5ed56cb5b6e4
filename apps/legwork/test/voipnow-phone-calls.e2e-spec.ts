import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { waitFor } from '@legwork/common/testing';
import {
  type LoggedSipMessage, SIPP_SCENARIOS, SippCarrier, SippPeer, SippPhone, freePort, header, receivedRequests,
} from '@legwork/originate/testing';
import { CallEvents, Rest, dataOf, startLegwork, type Json, type RunningPlatform } from './kazoo-platform.fixture';

jest.setTimeout(45_000);

const tag = randomBytes(3).toString('hex');
/** Waits for a condition on the SIP peers or the API; `what` names it in the failure. */
const until = async (check: () => boolean | Promise<boolean>, what: string | (() => string), timeoutMs = 15_000): Promise<void> => {
  await waitFor(check, { message: what, timeoutMs });
};

/** `"Name" <sip:user@host>` → display name and user part. */
function party(value: string | undefined): { name: string | undefined; user: string | undefined } {
  const m = /^\s*(?:"([^"]*)"\s*)?<sip:([^@>;]+)[@>;]/.exec(value ?? '');
  return { name: m?.[1], user: m?.[2] };
}
const invitesAt = (peer: { messages(): string }): LoggedSipMessage[] => {
  const seen = new Set<string>();
  return receivedRequests(peer.messages(), 'INVITE').filter((m) => {
    const id = header(m, 'Call-ID') ?? '';
    return !seen.has(id) && seen.add(id) !== undefined;
  });
};
interface UapiReply {
  status: number;
  body: unknown;
}

/** A VoipNow app as its developers write one: an OAuth token, then UAPI calls with it as Bearer. */
class VoipnowClient {
  private constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  static async login(baseUrl: string, clientId: string, clientSecret: string): Promise<VoipnowClient> {
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
    const res = await fetch(`${baseUrl}/oauth/token.php`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
    const body = (await res.json()) as { access_token?: unknown };
    if (res.status !== 200 || typeof body.access_token !== 'string') throw new Error(`oauth token: ${res.status} ${JSON.stringify(body)}`);
    return new VoipnowClient(baseUrl, body.access_token);
  }

  async call(method: string, path: string, body?: unknown): Promise<UapiReply> {
    const res = await fetch(/^https?:/.test(path) ? path : `${this.baseUrl}${path}`, {
      method, headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
  }

  phoneCall(userId: string, payload: unknown, query = ''): Promise<UapiReply> {
    return this.call('POST', `/uapi/phoneCalls/${userId}/simple${query === '' ? '' : `?${query}`}`, payload);
  }
}

const uapiError = (r: UapiReply): { code?: string } | undefined => (r.body as { error?: { code?: string } } | undefined)?.error;
const count = (peer: { messages(): string }, method: string): number => receivedRequests(peer.messages(), method).length;

// Seed 001 end to end: OAuth, PhoneCalls simple as the seed writes it, real sipp phones and carriers, RabbitMQ, Redis.
describe('VoipNow PhoneCalls end to end (one legwork process, real SIP peers)', () => {
  let platform: RunningPlatform;
  let events: CallEvents;
  let master: Rest;
  const ids: Record<string, string> = {};
  const ports: Record<string, number> = {};
  const peers: Array<{ stop(): Promise<void> }> = [];
  let desk: SippPhone;
  let sandbox: SippPhone;
  let slow: SippPhone;
  let cam: SippPhone;
  let members: SippPhone[];
  let userApp: VoipnowClient;
  let orgApp: VoipnowClient;
  let otherApp: VoipnowClient;
  let limitedApp: VoipnowClient;

  /** The carriers of the seed's numbers: the first source answers, the second rings until CANCELled, the destination answers. */
  const carriers = async (): Promise<{ first: SippCarrier; second: SippPeer; destination: SippCarrier; stop(): Promise<void> }> => {
    const first = await SippCarrier.start({ behaviour: 'answer', port: ports.first });
    const destination = await SippCarrier.start({ behaviour: 'answer', port: ports.destination });
    const second = await SippPeer.start(['-sf', join(SIPP_SCENARIOS, 'phone-ring-noanswer.xml'), '-t', 'u1', '-m', '1', '-s', 'carrier'], { port: ports.second });
    await new Promise((r) => setTimeout(r, 300));
    return { first, second, destination, stop: async () => void (await Promise.all([first.stop(), second.stop(), destination.stop()])) };
  };
  const register = async (accountId: string, ownerId?: string): Promise<VoipnowClient> => {
    const created = await master.create(`/v2/accounts/${accountId}/api_clients`, { name: `app-${tag}`, dialect: 'voipnow', ...(ownerId !== undefined ? { owner_id: ownerId } : {}) });
    return VoipnowClient.login(platform.apiUrl, String(created['client_id']), String(created['client_secret']));
  };
  const created = (res: UapiReply): { id: string; extension: string; link: { self: string } } => {
    if (res.status !== 202) throw new Error(`expected 202, got ${res.status} ${JSON.stringify(res.body)}`);
    const [first] = res.body as Array<{ id: string; extension: string; link: { self: string } }>;
    if (first === undefined) throw new Error('empty answer');
    return first;
  };
  const state = async (app: VoipnowClient, link: string): Promise<Json> => {
    const res = await app.call('GET', link);
    expect(res.status).toBe(200);
    return res.body as Json;
  };
  const bridged = (v: Json): boolean => v['status'] === 'connected' && (v['destination'] as Json | undefined)?.['state'] === 'bridged';
  const eventually = async (app: VoipnowClient, link: string, check: (v: Json) => boolean, what: string): Promise<Json> => {
    let last: Json = {};
    // each poll is a request drawn from the organization's api_bucket: a slow one, so a long ring does not drain it
    await waitFor(async () => check((last = await state(app, link))), { message: () => `${what}: ${JSON.stringify(last)}`, timeoutMs: 20_000, intervalMs: 200 });
    return last;
  };

  beforeAll(async () => {
    platform = await startLegwork('vnw', { RTPENGINE_NG: process.env['RTPENGINE_NG'] ?? '127.0.0.1:2223' });
    events = await CallEvents.open(platform.scratch.AMQP_NAMESPACE);
    const anon = new Rest(platform.apiUrl);
    const auth = await anon.call('PUT', '/v2/api_auth', { api_key: platform.bootstrapKey });
    master = anon.withToken(String(auth.body.auth_token));
    const masterId = String(dataOf(auth)['account_id']);
    for (const name of ['first', 'second', 'destination', 'nowhere']) ports[name] = await freePort();

    const realm = `vn-${tag}.legwork.test`;
    ids.a = String((await master.create(`/v2/accounts/${masterId}`, { name: `vn-${tag}`, realm, country: 'BB', extension_prefix: '0003' }))['id']);
    const a = `/v2/accounts/${ids.a}`;
    ids.ann = String((await master.create(`${a}/users`, { first_name: 'Ann', last_name: 'Lee', username: `ann-${tag}`, caller_id: { external: { name: 'Ann Lee', number: '4242425' } } }))['id']);
    ids.bob = String((await master.create(`${a}/users`, { first_name: 'Bob', last_name: 'Roe', username: `bob-${tag}` }))['id']);
    ids.desk = String((await master.create(`${a}/devices`, {
      name: 'desk', extension: '210', owner_id: ids.ann, sip: { username: `desk-${tag}`, password: 'desk-pw' },
      caller_id: { external: { name: 'Ann at 210', number: '4242425' }, internal: { name: 'Ann', number: '210' } },
    }))['id']);
    // a ring group of two phones: one never answers, the other does
    const member = async (name: string): Promise<string> => String((await master.create(`${a}/devices`, { name, owner_id: ids.bob, sip: { username: `${name}-${tag}`, password: `${name}-pw` } }))['id']);
    const [g1, g2] = [await member('g1'), await member('g2')];
    await master.create(`${a}/groups`, { name: 'support', extension: '600', strategy: 'simultaneous', endpoints: { [g1]: { type: 'device' }, [g2]: { type: 'device' } } });
    await master.create(`${a}/devices`, { name: 'cam', extension: '213', owner_id: ids.ann, sip: { username: `cam-${tag}`, password: 'cam-pw' } });
    await master.create(`${a}/devices`, { name: 'slow', extension: '212', owner_id: ids.ann, sip: { username: `slow-${tag}`, password: 'slow-pw' } });
    await master.create(`${a}/devices`, { name: 'sandbox', extension: '00', owner_id: ids.bob, sip: { username: `sandbox-${tag}`, password: 'sandbox-pw' } });
    const carrier = (port: number, rule: string) => master.create(`${a}/resources`, { name: `c${port}`, gateways: [{ server: `127.0.0.1:${port}` }], rules: [rule] });
    await carrier(ports.first, '^\\+12465354353$');
    await carrier(ports.second, '^\\+12465302040$');
    await carrier(ports.destination, '^\\+13235742879$');

    ids.b = String((await master.create(`/v2/accounts/${masterId}`, { name: `vn-b-${tag}`, realm: `vn-b-${tag}.legwork.test`, country: 'BB', extension_prefix: '0004' }))['id']);
    ids.c = String((await master.create(`/v2/accounts/${masterId}`, { name: `vn-c-${tag}`, realm: `vn-c-${tag}.legwork.test`, country: 'BB', limits: { max_concurrent_channels: 0 } }))['id']);
    const c = `/v2/accounts/${ids.c}`;
    const carol = String((await master.create(`${c}/users`, { first_name: 'Carol', last_name: 'Full' }))['id']);
    await master.create(`${c}/devices`, { name: 'full', extension: '210', owner_id: carol, sip: { username: `full-${tag}`, password: 'full-pw' }, caller_id: { external: { number: '+12465550100' } } });
    await master.create(`${c}/resources`, { name: 'nowhere', gateways: [{ server: `127.0.0.1:${ports.nowhere}` }], rules: ['^\\+1246'] });

    userApp = await register(ids.a, ids.ann);
    orgApp = await register(ids.a);
    otherApp = await register(ids.b);
    limitedApp = await register(ids.c);

    const registrar = `127.0.0.1:${platform.sipPort}`;
    desk = await SippPhone.start({ username: `desk-${tag}`, password: 'desk-pw', realm, registrar, behaviour: 'answer', answerDelayMs: 300 });
    sandbox = await SippPhone.start({ username: `sandbox-${tag}`, password: 'sandbox-pw', realm, registrar, behaviour: 'answer', answerDelayMs: 100 });
    // rings a while before it answers: the 202 must not wait for that
    slow = await SippPhone.start({ username: `slow-${tag}`, password: 'slow-pw', realm, registrar, behaviour: 'answer', answerDelayMs: 3000 });
    // a video phone: its answer offers audio and video
    cam = await SippPhone.start({ username: `cam-${tag}`, password: 'cam-pw', realm, registrar, behaviour: 'answer', videoPort: await freePort() });
    members = [
      await SippPhone.start({ username: `g1-${tag}`, password: 'g1-pw', realm, registrar, behaviour: 'noanswer' }),
      await SippPhone.start({ username: `g2-${tag}`, password: 'g2-pw', realm, registrar, behaviour: 'answer', answerDelayMs: 500 }),
    ];
    await Promise.all(members.map((m) => m.waitRegistered()));
    peers.push(desk, sandbox, slow, cam, ...members);
    await Promise.all([desk.waitRegistered(), sandbox.waitRegistered(), slow.waitRegistered(), cam.waitRegistered()]);
  }, 90_000);

  afterAll(async () => {
    await Promise.all(peers.map((p) => p.stop()));
    await events?.close();
    await platform?.close();
  }, 30_000);

  it('example 1 (an app of the user, @me): both sources rung, the first answers, the second is CANCELled, the destination is reached', async () => {
    const gw = await carriers();
    try {
      const res = await userApp.phoneCall('@me', { extension: '210', phoneCallView: [{ source: ['5354353', '5302040'], destination: ['3235742879'], callerId: 'John Doe <4242425>' }] });
      const call = created(res);
      expect(call).toEqual({ id: expect.stringMatching(/^[0-9a-f]{20}$/), extension: '210', link: { self: `${platform.apiUrl}/uapi/phoneCalls/@me/210/${call.id}` } });
      await until(() => invitesAt(gw.first).length === 1 && invitesAt(gw.second).length === 1, `INVITEs at both sources\n${gw.first.log}\n${gw.second.log}`);
      for (const [peer, number] of [[gw.first, '+12465354353'], [gw.second, '+12465302040']] as const) {
        const invite = invitesAt(peer)[0];
        expect(party(header(invite, 'From'))).toEqual({ name: 'John Doe', user: '4242425' });
        expect(party(header(invite, 'To')).user).toBe(number);
      }
      await until(() => count(gw.second, 'CANCEL') === 1, `CANCEL at the second source\n${gw.second.log}`);
      await until(() => invitesAt(gw.destination).length === 1, `INVITE at the destination\n${gw.destination.log}`);
      const atDestination = invitesAt(gw.destination)[0];
      expect(party(header(atDestination, 'To')).user).toBe('+13235742879');
      // the destination sees the extension's caller id
      expect(party(header(atDestination, 'From'))).toEqual({ name: 'Ann at 210', user: '4242425' });
      const connected = await eventually(userApp, call.link.self, bridged, 'connected');
      expect(connected).toMatchObject({ id: call.id, extension: '210', answeredSource: '5354353', destination: { number: '3235742879', state: 'bridged' } });
      expect((connected['source'] as Json[]).map((s) => [s['number'], s['state']])).toEqual([['5354353', 'bridged'], ['5302040', 'ended']]);
      const hangup = await userApp.call('DELETE', call.link.self);
      expect(hangup.status).toBe(204);
      await until(() => count(gw.first, 'BYE') === 1 && count(gw.destination, 'BYE') === 1, 'BYE at the answered source and the destination');
      const ended = await eventually(userApp, call.link.self, (v) => v['status'] === 'ended', 'ended');
      expect(ended).toMatchObject({ answeredSource: '5354353', hangupCause: expect.any(String), ended: expect.any(String) });
    } finally {
      await gw.stop();
    }
  });

  it('example 2 (an app of the organization naming the user, extended extension): the same call, the extension echoed as given', async () => {
    const gw = await carriers();
    try {
      const res = await orgApp.phoneCall(ids.ann, { extension: '0003*210', phoneCallView: [{ source: ['5354353', '5302040'], destination: ['3235742879'], callerId: 'John Doe <4242425>' }] });
      const call = created(res);
      expect(call).toMatchObject({ extension: '0003*210', link: { self: `${platform.apiUrl}/uapi/phoneCalls/@me/0003*210/${call.id}` } });
      await until(() => count(gw.second, 'CANCEL') === 1, `CANCEL at the second source\n${gw.second.log}`);
      await until(() => invitesAt(gw.destination).length === 1, 'INVITE at the destination');
      expect(party(header(invitesAt(gw.first)[0], 'From'))).toEqual({ name: 'John Doe', user: '4242425' });
      await eventually(orgApp, call.link.self, bridged, 'connected');
      expect((await orgApp.call('DELETE', call.link.self)).status).toBe(204);
      await until(() => count(gw.destination, 'BYE') === 1, 'BYE at the destination');
    } finally {
      await gw.stop();
    }
  });

  it('example 3 (the extension to the sandbox extension): the phone rings showing John Doe, then the sandbox rings showing the extension', async () => {
    const before = { desk: invitesAt(desk).length, sandbox: invitesAt(sandbox).length };
    const res = await orgApp.phoneCall(ids.ann, { extension: '0003*210', phoneCallView: [{ source: ['0003*210'], destination: ['0003*00'], callerId: 'John Doe <4242425>' }] });
    const call = created(res);
    expect(call.extension).toBe('0003*210');
    await until(() => invitesAt(desk).length === before.desk + 1, `INVITE at the phone\n${desk.log}`);
    expect(party(header(invitesAt(desk).at(-1), 'From'))).toEqual({ name: 'John Doe', user: '4242425' });
    await until(() => invitesAt(sandbox).length === before.sandbox + 1, `INVITE at the sandbox\n${sandbox.log}`);
    expect(party(header(invitesAt(sandbox).at(-1), 'From'))).toEqual({ name: 'Ann', user: '210' });
    const connected = await eventually(orgApp, call.link.self, bridged, 'connected');
    expect(connected).toMatchObject({ answeredSource: '0003*210', destination: { number: '0003*00', state: 'bridged' } });
    const byes = { desk: count(desk, 'BYE'), sandbox: count(sandbox, 'BYE') };
    expect((await orgApp.call('DELETE', call.link.self)).status).toBe(204);
    await until(() => count(desk, 'BYE') === byes.desk + 1 && count(sandbox, 'BYE') === byes.sandbox + 1, 'BYE at both phones');
    await eventually(orgApp, call.link.self, (v) => v['status'] === 'ended', 'ended');
  });

  it('the 202 comes once the source rings (originate_started), before it answers; the call then connects', async () => {
    const sandboxInvites = invitesAt(sandbox).length;
    const call = created(await userApp.phoneCall('@me', { extension: '212', phoneCallView: [{ source: ['212'], destination: ['00'] }] }));
    // what holds when the 202 arrives: the source is still ringing, nothing answered, the destination not called
    const atAnswer = await state(userApp, call.link.self);
    const [leg] = atAnswer['source'] as Json[];
    expect({ status: atAnswer['status'], answeredSource: atAnswer['answeredSource'], answerEvent: events.of(String(leg?.['callId']), 'CHANNEL_ANSWER').length })
      .toEqual({ status: 'ringing', answeredSource: null, answerEvent: 0 });
    expect(invitesAt(sandbox)).toHaveLength(sandboxInvites);
    await until(() => invitesAt(slow).length === 1, `INVITE at the slow phone\n${slow.log}`);
    const connected = await eventually(userApp, call.link.self, bridged, 'connected');
    expect(connected).toMatchObject({ answeredSource: '212', destination: { number: '00', state: 'bridged' } });
    expect((await userApp.call('DELETE', call.link.self)).status).toBe(204);
    await eventually(userApp, call.link.self, (v) => v['status'] === 'ended', 'ended');
  });

  it.each([
    ['without video (false by default)', '', (ports: number[]) => expect(ports).toEqual([0])],
    ['with video=true', 'video=true', (ports: number[]) => expect(ports.filter((p) => p > 0)).toHaveLength(1)],
  ])("a video phone's offer %s: the destination's INVITE carries its video stream refused (port 0) or open", async (_what, query, check) => {
    const gw = await carriers();
    try {
      const call = created(await userApp.phoneCall('@me', { extension: '213', phoneCallView: [{ source: ['213'], destination: ['3235742879'] }] }, query));
      await until(() => invitesAt(gw.destination).length === 1, `INVITE at the destination\n${cam.log}\n${gw.destination.log}`);
      const offer = invitesAt(gw.destination)[0]?.body ?? '';
      expect(offer).toMatch(/^m=audio [1-9]\d* /m);
      check([...offer.matchAll(/^m=video (\d+) /gm)].map((m) => Number(m[1])));
      await eventually(userApp, call.link.self, bridged, 'connected');
      expect((await userApp.call('DELETE', call.link.self)).status).toBe(204);
      await until(() => count(gw.destination, 'BYE') === 1, 'BYE at the destination');
    } finally {
      await gw.stop();
    }
  });

  it('PUT link.self: Hold and Unhold re-INVITE the destination sendonly then sendrecv; Transfer connects it to sendCallTo and releases the phone', async () => {
    const reinvites = (): string[] => receivedRequests(sandbox.messages(), 'INVITE').filter((m) => /;tag=/.test(header(m, 'To') ?? '')).map((m) => /a=(sendonly|sendrecv|inactive)/.exec(m.body)?.[1] ?? '');
    const gw = await SippCarrier.start({ behaviour: 'answer', port: ports.destination });
    try {
      const call = created(await orgApp.phoneCall(ids.ann, { extension: '210', phoneCallView: [{ source: ['210'], destination: ['00'] }] }));
      const connected = await eventually(orgApp, call.link.self, bridged, 'connected');
      const remote = String((connected['destination'] as Json)['callId']);
      const before = reinvites().length;
      expect((await orgApp.call('PUT', call.link.self, { action: 'Hold' })).status).toBe(204);
      await until(() => reinvites().length === before + 1, `hold re-INVITE at the sandbox\n${sandbox.log}`);
      expect(reinvites().at(-1)).toBe('sendonly');
      expect(uapiError(await orgApp.call('PUT', call.link.self, { action: 'Hold' }))).toMatchObject({ code: 'pc_state_invalid' });
      expect((await orgApp.call('PUT', call.link.self, { action: 'Unhold' })).status).toBe(204);
      await until(() => reinvites().length === before + 2, `unhold re-INVITE at the sandbox\n${sandbox.log}`);
      expect(reinvites().at(-1)).toBe('sendrecv');
      expect(uapiError(await orgApp.call('PUT', call.link.self, { action: 'StartRecording' }))).toMatchObject({ code: 'pc_action_not_supported' });

      const byes = count(desk, 'BYE');
      expect((await orgApp.call('PUT', call.link.self, { action: 'Transfer', sendCallTo: '3235742879' })).status).toBe(204);
      await until(() => count(desk, 'BYE') === byes + 1, `BYE at the transferring phone\n${desk.log}`);
      await until(() => invitesAt(gw).length === 1, `INVITE at the transfer target\n${gw.log}`);
      expect(party(header(invitesAt(gw)[0], 'To')).user).toBe('+13235742879');
      await until(() => events.of(remote, 'CHANNEL_BRIDGE').length === 2, 'the sandbox bridged to the transfer target');
      const sandboxByes = count(sandbox, 'BYE');
      expect((await master.call('PUT', `/v2/accounts/${ids.a}/channels/${remote}`, { action: 'hangup' })).status).toBe(202);
      await until(() => count(sandbox, 'BYE') === sandboxByes + 1 && count(gw, 'BYE') === 1, 'BYE at the sandbox and the transfer target');
    } finally {
      await gw.stop();
    }
  });

  it('a group as the destination: the source answers, both members ring, the one that answers is connected, the other CANCELled', async () => {
    const [g1, g2] = members as [SippPhone, SippPhone];
    const call = created(await userApp.phoneCall('@me', { extension: '210', phoneCallView: [{ source: ['210'], destination: ['600'] }] }));
    await until(() => invitesAt(g1).length === 1 && invitesAt(g2).length === 1, `INVITE at both members\n${g1.log}\n${g2.log}`);
    const connected = await eventually(userApp, call.link.self, bridged, 'connected');
    expect(connected).toMatchObject({ answeredSource: '210', destination: { number: '600', state: 'bridged' } });
    expect((connected['destination'] as Json)['callId']).toBe(header(invitesAt(g2)[0], 'Call-ID'));
    await until(() => count(g1, 'CANCEL') === 1, `CANCEL at the member that did not answer\n${g1.log}`);
    expect(header(receivedRequests(g1.messages(), 'CANCEL')[0], 'Reason')).toBe('SIP;cause=200;text="Call completed elsewhere"');
    expect((await userApp.call('DELETE', call.link.self)).status).toBe(204);
    await until(() => count(g2, 'BYE') === 1, 'BYE at the connected member');
    await eventually(userApp, call.link.self, (v) => v['status'] === 'ended', 'ended');
  });

  it('the same nonce again answers the same PhoneCall and sends no second INVITE', async () => {
    const before = invitesAt(desk).length;
    const body = { extension: '210', phoneCallView: [{ source: ['210'], destination: ['00'], nonce: `crm-${tag}` }] };
    const first = created(await userApp.phoneCall('@me', body));
    await until(() => invitesAt(desk).length === before + 1, 'INVITE at the phone');
    const again = created(await userApp.phoneCall('@me', body));
    expect(again).toEqual(first);
    await eventually(userApp, first.link.self, (v) => v['status'] === 'connected', 'connected');
    expect(invitesAt(desk)).toHaveLength(before + 1);
    expect((await userApp.call('DELETE', first.link.self)).status).toBe(204);
    await eventually(userApp, first.link.self, (v) => v['status'] === 'ended', 'ended');
    expect(invitesAt(desk)).toHaveLength(before + 1);
  });

  it('callDuration ends the connected call after that many seconds, without a DELETE', async () => {
    const byes = { desk: count(desk, 'BYE'), sandbox: count(sandbox, 'BYE') };
    const call = created(await userApp.phoneCall('@me', { extension: '210', phoneCallView: [{ source: ['210'], destination: ['00'] }] }, 'callDuration=2'));
    await eventually(userApp, call.link.self, bridged, 'connected');
    await until(() => count(desk, 'BYE') + count(sandbox, 'BYE') >= byes.desk + byes.sandbox + 2, 'BYE at both phones once callDuration ran out', 15_000);
    await eventually(userApp, call.link.self, (v) => v['status'] === 'ended', 'ended');
  });

  it('waitForPickup bounds the ringing: a source that never answers is CANCELled, the PhoneCall ends unanswered', async () => {
    const gw = await carriers();
    try {
      const call = created(await userApp.phoneCall('@me', { extension: '210', phoneCallView: [{ source: ['5302040'], destination: ['3235742879'], callerId: 'John Doe <4242425>' }] }, 'waitForPickup=2'));
      await until(() => invitesAt(gw.second).length === 1, 'INVITE at the source');
      await until(() => count(gw.second, 'CANCEL') === 1, `CANCEL once waitForPickup ran out\n${gw.second.log}`, 15_000);
      const ended = await eventually(userApp, call.link.self, (v) => v['status'] === 'ended', 'ended');
      expect(ended).toMatchObject({ answeredSource: null, source: [{ number: '5302040', state: 'ended' }] });
      expect(invitesAt(gw.destination)).toHaveLength(0);
    } finally {
      await gw.stop();
    }
  });

  it('an account whose channels are all in use answers 503 channel_limit_reached, and nothing rings', async () => {
    const gw = await SippCarrier.start({ behaviour: 'answer', port: ports.nowhere });
    try {
      const res = await limitedApp.phoneCall('@owner', { extension: '210', phoneCallView: [{ source: ['5354353'], destination: ['3235742879'] }] });
      expect({ status: res.status, code: uapiError(res)?.code }).toEqual({ status: 503, code: 'channel_limit_reached' });
      expect(invitesAt(gw)).toHaveLength(0);
    } finally {
      await gw.stop();
    }
  });

  it("an app of another organization reaches neither this organization's extensions nor its calls", async () => {
    const before = invitesAt(desk).length;
    const res = await otherApp.phoneCall('@owner', { extension: '0003*210', phoneCallView: [{ source: ['0003*210'], destination: ['3235742879'] }] });
    expect({ status: res.status, code: uapiError(res)?.code }).toEqual({ status: 400, code: 'extension_invalid' });
    const mine = created(await userApp.phoneCall('@me', { extension: '210', phoneCallView: [{ source: ['210'], destination: ['00'] }] }));
    for (const method of ['GET', 'DELETE', 'PUT']) expect({ method, status: (await otherApp.call(method, mine.link.self)).status }).toEqual({ method, status: 404 });
    await until(() => invitesAt(desk).length === before + 1, 'INVITE at the phone');
    expect(invitesAt(desk)).toHaveLength(before + 1);
    expect((await userApp.call('DELETE', mine.link.self)).status).toBe(204);
  });
});
