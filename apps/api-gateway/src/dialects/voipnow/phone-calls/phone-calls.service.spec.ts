import { createCallStore, type CallStore } from '@legwork/call-state';
import { LegworkError } from '@legwork/common';
import { createDirectory, type ClientTokenClaims, type Directory } from '@legwork/directory';
import type { CallView, CommandOutcome, OriginateOptions, OriginateOutcome, OriginateRequestBody, OriginateSpec, OriginationClient } from '@legwork/originate-client';
import { VoipnowError } from '../core/voipnow-error';
import { PhoneCallRecords } from './phone-call.records';
import { PhoneCallsService } from './phone-calls.service';

/** A test double of the origination client: remembers what it was asked and answers what the test says. */
class FakeOriginationClient implements OriginationClient {
  readonly originations: Array<{ spec: OriginateSpec; opts: OriginateOptions }> = [];
  readonly commands: Array<{ callId: string; name: string; args?: Record<string, unknown> }> = [];
  readonly legs = new Map<string, CallView>();
  answer: (spec: OriginateSpec, n: number) => OriginateOutcome = (_spec, n) => ({ kind: 'initiated', request: {}, callIds: [`leg${n}a-voipnow`, `leg${n}b-voipnow`], replayed: false });
  private readonly byNonce = new Map<string, OriginateOutcome>();

  async originate(request: OriginateRequestBody, opts: OriginateOptions): Promise<OriginateOutcome> {
    const spec = request['spec'] as OriginateSpec;
    const key = opts.idempotency === undefined ? undefined : `${opts.idempotency.dialect}:${opts.idempotency.accountId}:${opts.idempotency.key}`;
    const seen = key === undefined ? undefined : this.byNonce.get(key);
    if (seen !== undefined) return { ...seen, replayed: true };
    this.originations.push({ spec, opts });
    const outcome = this.answer(spec, this.originations.length);
    if (key !== undefined) this.byNonce.set(key, outcome);
    return outcome;
  }

  reply: CommandOutcome = { result: 'ok' };

  async command(callId: string, name: string, opts?: { args?: Record<string, unknown> }): Promise<CommandOutcome> {
    this.commands.push({ callId, name, ...(opts?.args !== undefined && Object.keys(opts.args).length > 0 ? { args: opts.args } : {}) });
    return this.reply;
  }

  async liveCalls(): Promise<CallView[]> {
    return [...this.legs.values()];
  }

  async call(callId: string): Promise<CallView | undefined> {
    return this.legs.get(callId);
  }
}

interface World {
  dir: Directory;
  calls: CallStore;
  client: FakeOriginationClient;
  service: PhoneCallsService;
  cdrs: Map<string, Record<string, unknown>>;
  accountId: string;
  otherAccountId: string;
  ann: string;
  bob: string;
  desk: string;
  userApp: ClientTokenClaims;
  orgApp: ClientTokenClaims;
  adminApp: ClientTokenClaims;
  otherApp: ClientTokenClaims;
}

async function world(): Promise<World> {
  const dir = createDirectory();
  const calls = createCallStore();
  const client = new FakeOriginationClient();
  const cdrs = new Map<string, Record<string, unknown>>();
  const account = await dir.accounts.create({ name: 'acme', realm: 'acme.test', country: 'BB', extension_prefix: '0003' });
  const other = await dir.accounts.create({ name: 'other', realm: 'other.test', country: 'BB', extension_prefix: '0004' });
  const ann = await dir.users.create(account.id, { first_name: 'Ann', last_name: 'Lee', username: 'ann', extension: '300', caller_id: { external: { name: 'Ann Lee', number: '4242425' } } });
  const bob = await dir.users.create(account.id, { first_name: 'Bob', last_name: 'Roe', username: 'bob', priv_level: 'admin' });
  const device = (accountId: string, name: string, extension: string, ownerId?: string) =>
    dir.devices.create(accountId, { name, extension, ...(ownerId !== undefined ? { owner_id: ownerId } : {}), sip: { username: name, password: 'pw' }, caller_id: { internal: { name, number: extension } } });
  const desk = await device(account.id, 'desk', '210', ann.id);
  await device(account.id, 'cell', '211', ann.id);
  await device(account.id, 'sandbox', '00', bob.id);
  await device(account.id, 'lobby', '220');
  await device(other.id, 'theirs', '210', (await dir.users.create(other.id, { first_name: 'Eve', last_name: 'X' })).id);
  await dir.groups.create(account.id, { name: 'sales', extension: '500', type: 'ring_group' });
  const lobby = await dir.devices.findBySip('lobby', 'acme.test');
  await dir.groups.create(account.id, { name: 'front', extension: '510', strategy: 'single', endpoints: { [ann.id]: { type: 'user' }, [String(lobby?.id)]: { type: 'device' } } });
  const app = async (accountId: string, ownerId?: string): Promise<ClientTokenClaims> => {
    const c = await dir.apiClients.create(accountId, { name: 'app', dialect: 'voipnow', ...(ownerId !== undefined ? { owner_id: ownerId } : {}) });
    const t = await dir.apiClients.issueToken({ accountId, clientId: c.client_id });
    return dir.apiClients.verifyToken(t.token, 'voipnow');
  };
  const service = new PhoneCallsService({
    directory: dir,
    client,
    records: new PhoneCallRecords(calls.idempotency, 3_600_000),
    cdrs: { get: async (accountId, callId) => cdrs.get(`${accountId}/${callId}`) ?? null },
    buildRequest: (spec) => ({ spec }),
    defaults: { callDurationS: 14_400, media: 'bypass' },
    ttlMs: 3_600_000,
    now: () => 1_700_000_000_000,
  });
  return {
    dir, calls, client, service, cdrs, accountId: account.id, otherAccountId: other.id, ann: ann.id, bob: bob.id, desk: desk.id,
    userApp: await app(account.id, ann.id), orgApp: await app(account.id), adminApp: await app(account.id, bob.id), otherApp: await app(other.id),
  };
}

const BASE = 'http://uapi.test';
const example1 = { extension: '210', phoneCallView: [{ source: ['5354353', '5302040'], destination: ['3235742879'], callerId: 'John Doe <4242425>' }] };
const example2 = { extension: '0003*210', phoneCallView: [{ source: ['5354353', '5302040'], destination: ['3235742879'], callerId: 'John Doe <4242425>' }] };
const example3 = { extension: '0003*210', phoneCallView: [{ source: ['0003*210'], destination: ['0003*00'], callerId: 'John Doe <4242425>' }] };

async function refusal(run: Promise<unknown>): Promise<{ status: number; code: string; message: string }> {
  try {
    await run;
  } catch (err) {
    if (err instanceof VoipnowError) return { status: err.status, code: err.code, message: err.message };
    if (err instanceof LegworkError) return { status: 0, code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('PhoneCalls simple → OriginateSpec → 202 answer', () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
  });

  it("example 1 (a user's app, @me): both public sources in E.164 of the account's country, the destination, John Doe to the sources", async () => {
    const answer = await w.service.create(w.userApp, '@me', {}, example1, BASE);
    expect(w.client.originations).toHaveLength(1);
    const { spec, opts } = w.client.originations[0] ?? { spec: undefined, opts: undefined };
    expect(opts).toEqual({ await: 'started' });
    expect(spec).toMatchObject({
      accountId: w.accountId,
      authorizing: { id: w.desk, type: 'device' },
      ownerId: w.ann,
      sources: [],
      sourceNumbers: ['+12465354353', '+12465302040'],
      dialMethod: 'simultaneous',
      destination: '+13235742879',
      callerIdToSource: { name: 'John Doe', number: '4242425' },
      timeoutS: 25,
      maxDurationS: 14_400,
      media: 'bypass',
      video: false,
      callIdSuffix: '-voipnow',
      customChannelVars: { 'VoipNow-Extension': '210', 'VoipNow-Allow-Public-Transfer': false, 'VoipNow-Video': false },
    });
    // the destination sees the terminal's caller id, then its owner's (external toward a public number)
    expect(spec?.callerIdToDestination).toEqual({ name: 'Ann Lee', number: '4242425' });
    expect(answer).toEqual([{ id: expect.stringMatching(/^[0-9a-f]{20}$/), extension: '210', link: { self: `${BASE}/uapi/phoneCalls/@me/210/${answer[0]?.id ?? ''}` } }]);
  });

  it('example 2 (an organization app naming the user): the extended extension, echoed as given', async () => {
    const answer = await w.service.create(w.orgApp, w.ann, {}, example2, BASE);
    expect(w.client.originations[0]?.spec).toMatchObject({ accountId: w.accountId, ownerId: w.ann, sourceNumbers: ['+12465354353', '+12465302040'], destination: '+13235742879' });
    expect(answer[0]).toMatchObject({ extension: '0003*210', link: { self: expect.stringContaining('/uapi/phoneCalls/@me/0003*210/') } });
  });

  it('example 3: the extension rings itself, the destination is the sandbox extension, routed by its SIP name', async () => {
    await w.service.create(w.orgApp, w.ann, {}, example3, BASE);
    const spec = w.client.originations[0]?.spec;
    expect(spec?.sources.map((d) => d.id)).toEqual([w.desk]);
    expect(spec?.sourceNumbers).toEqual([]);
    expect(spec?.destination).toBe('sandbox');
  });

  it('@owner takes the user owning the extension; a user extension as source rings all its phones', async () => {
    await w.service.create(w.orgApp, '@owner', {}, { extension: '210', phoneCallView: [{ source: ['300'], destination: ['220'] }] }, BASE);
    const spec = w.client.originations[0]?.spec;
    expect(spec?.ownerId).toBe(w.ann);
    expect(spec?.sources.map((d) => d.sip.username).sort()).toEqual(['cell', 'desk']);
    expect(spec?.destination).toBe('lobby');
  });

  it('without extension the first source is the Phone Terminal; without callerId the sources see its caller id', async () => {
    await w.service.create(w.userApp, '@viewer', {}, { phoneCallView: [{ source: ['211', '210'], destination: ['3235742879'] }] }, BASE);
    const spec = w.client.originations[0]?.spec;
    const cell = (await w.dir.devices.list(w.accountId)).find((d) => d.name === 'cell');
    expect(spec?.authorizing).toEqual({ id: cell?.id, type: 'device' });
    expect(spec?.sources.map((d) => d.name)).toEqual(['cell', 'desk']);
    expect(spec?.callerIdToSource).toEqual({ name: 'cell', number: '211' });
    expect(spec?.customChannelVars?.['VoipNow-Extension']).toBe('211');
  });

  it('query parameters reach the spec: waitForPickup, callDuration, allowPublicTransfer, video; callerIdDestination', async () => {
    const body = { extension: '210', phoneCallView: [{ source: ['210'], destination: ['3235742879'], callerIdDestination: 'Ann <4242425>' }] };
    await w.service.create(w.userApp, '@me', { waitForPickup: '7', callDuration: '30', allowPublicTransfer: 'true', video: 'true' }, body, BASE);
    expect(w.client.originations[0]?.spec).toMatchObject({
      timeoutS: 7, maxDurationS: 30, callerIdToDestination: { name: 'Ann', number: '4242425' }, video: true,
      customChannelVars: { 'VoipNow-Allow-Public-Transfer': true, 'VoipNow-Video': true },
    });
  });

  it('several phoneCallView entries make one call each, all checked before the first is made', async () => {
    const two = { extension: '210', phoneCallView: [example1.phoneCallView[0], { source: ['210'], destination: ['999'] }] };
    expect(await refusal(w.service.create(w.userApp, '@me', {}, two, BASE))).toMatchObject({ status: 400, code: 'pc_destination_invalid' });
    expect(w.client.originations).toHaveLength(0);
    const ok = { extension: '210', phoneCallView: [example1.phoneCallView[0], { source: ['210'], destination: ['220'] }] };
    expect(await w.service.create(w.userApp, '@me', {}, ok, BASE)).toHaveLength(2);
  });
});

describe('every refusal, in VoipNow codes', () => {
  let w: World;
  beforeAll(async () => {
    w = await world();
  });
  const view = (patch: Record<string, unknown>, extension: string | null = '210') => ({ ...(extension !== null ? { extension } : {}), phoneCallView: [{ ...example1.phoneCallView[0], ...patch }] });

  it.each([
    ['an organization app with @me', 'org', '@me', example1, 400, 'user_invalid'],
    ['a malformed userId', 'org', '12', example1, 400, 'user_invalid'],
    ['an unknown extension', 'user', '@me', view({}, '299'), 400, 'extension_invalid'],
    ['a user extension as the Phone Terminal', 'user', '@me', view({}, '300'), 400, 'extension_invalid'],
    ['a group extension as the Phone Terminal', 'org', '@owner', view({}, '500'), 400, 'extension_invalid'],
    ["another user's extension", 'user', '@me', view({}, '00'), 400, 'extension_invalid'],
    ['an extension that belongs to nobody', 'org', '@owner', view({}, '220'), 400, 'extension_invalid'],
    ['an extension the named user does not own', 'org', 'f'.repeat(32), example1, 400, 'extension_invalid'],
    ['no extension and a public first source', 'user', '@me', view({}, null), 400, 'extension_invalid'],
    ["another organization's extended number", 'user', '@me', view({}, '0004*210'), 400, 'extension_invalid'],
    ['a source that is neither an extension nor a number', 'user', '@me', view({ source: ['210', '12'] }), 400, 'pc_source_invalid'],
    ['a group without an enabled phone as source', 'org', '@owner', view({ source: ['500'] }), 400, 'pc_source_invalid'],
    ["a group holding another user's phone as source from a user's app", 'user', '@me', view({ source: ['510'] }), 400, 'pc_source_invalid'],
    ["another user's phone as source from a user's app", 'user', '@me', view({ source: ['00'] }), 400, 'pc_source_invalid'],
    ['a phone without owner as source from a user app', 'user', '@me', view({ source: ['220'] }), 400, 'pc_source_invalid'],
    ["another organization's extension as source", 'org', '@owner', view({ source: ['0004*210'] }), 400, 'pc_source_invalid'],
    ['a group destination without an enabled phone', 'user', '@me', view({ destination: ['500'] }), 400, 'pc_destination_invalid'],
    ['a destination that is no number', 'user', '@me', view({ destination: ['12'] }), 400, 'pc_destination_invalid'],
    ["another organization's extension as destination", 'user', '@me', view({ destination: ['0004*210'] }), 400, 'pc_destination_invalid'],
    ["a caller id a user's app does not own", 'user', '@me', view({ callerId: 'Boss <+12465550000>' }), 400, 'pc_callerid_invalid'],
    ["a destination caller id a user's app does not own", 'user', '@me', view({ callerId: undefined, callerIdDestination: '<999>' }), 400, 'pc_callerid_invalid'],
    ['a caller id in the wrong format', 'org', '@owner', view({ callerId: 'John Doe' }), 400, 'pc_callerid_invalid'],
  ])('%s', async (_what, who, userId, body, status, code) => {
    const app = who === 'user' ? w.userApp : w.orgApp;
    const before = w.client.originations.length;
    expect(await refusal(w.service.create(app, userId, {}, body, BASE))).toMatchObject({ status, code, message: expect.any(String) });
    expect(w.client.originations).toHaveLength(before);
  });

  it("a group is a destination (its route, the media node hunts it) and, from an organization app, a source (its members' phones ring with the others)", async () => {
    const front = await w.dir.groups.findByExtension(w.accountId, '510');
    await w.service.create(w.userApp, '@me', {}, view({ destination: ['510'] }), BASE);
    expect(w.client.originations.at(-1)?.spec.destination).toBe(`group:${String(front?.id)}`);
    await w.service.create(w.orgApp, '@owner', {}, view({ source: ['510', '210'] }), BASE);
    // ann's two phones and the lobby phone, each once (210 is one of ann's)
    expect(w.client.originations.at(-1)?.spec.sources.map((d) => d.name).sort()).toEqual(['cell', 'desk', 'lobby']);
  });

  it("an admin user's app and an organization app may show any caller id", async () => {
    await w.service.create(w.orgApp, '@owner', {}, view({ callerId: 'Boss <+12465550000>' }), BASE);
    expect(w.client.originations.at(-1)?.spec.callerIdToSource).toEqual({ name: 'Boss', number: '+12465550000' });
  });

  it('an app of another account reaches none of these extensions', async () => {
    expect(await refusal(w.service.create(w.otherApp, w.ann, {}, example2, BASE))).toMatchObject({ status: 400, code: 'extension_invalid' });
  });

  it.each([
    ['channel_limit_reached', 503, 'channel_limit_reached'],
    ['MEDIA_SERVER_UNAVAILABLE', 503, 'service_unavailable'],
    ['OUTGOING_CALL_BARRED', 403, 'pc_call_barred'],
    ['DESTINATION_OUT_OF_ORDER', 502, 'pc_call_failed'],
  ])('a call that cannot start with %s answers %d %s', async (cause, status, code) => {
    w.client.answer = () => ({ kind: 'failed', request: {}, cause, replayed: false });
    expect(await refusal(w.service.create(w.userApp, '@me', {}, example1, BASE))).toMatchObject({ status, code });
    w.client.answer = (_s, n) => ({ kind: 'initiated', request: {}, callIds: [`x${n}`], replayed: false });
  });

  it('a call whose sources rang and nobody answered is a PhoneCall all the same (GET tells how it ended)', async () => {
    const request = { Endpoints: [{ 'Outbound-Call-ID': 'rang-1-voipnow' }, { 'Outbound-Call-ID': 'rang-2-voipnow' }] };
    w.client.answer = () => ({ kind: 'failed', request, cause: 'NO_ANSWER', replayed: false });
    const [answer] = await w.service.create(w.userApp, '@me', {}, example1, BASE);
    expect(answer?.id).toMatch(/^[0-9a-f]{20}$/);
    const view = await w.service.get(w.userApp, '@me', '210', answer?.id, BASE);
    expect((view['source'] as Array<Record<string, unknown>>).map((s) => s['number'])).toEqual(['5354353', '5302040']);
    w.client.answer = (_s, n) => ({ kind: 'initiated', request: {}, callIds: [`z${n}`], replayed: false });
  });

  it('the client not hearing back in time is 504 pc_call_timeout', async () => {
    w.client.answer = () => ({ kind: 'timeout', request: {}, replayed: false });
    expect(await refusal(w.service.create(w.userApp, '@me', {}, example1, BASE))).toMatchObject({ status: 504, code: 'pc_call_timeout' });
    w.client.answer = (_s, n) => ({ kind: 'initiated', request: {}, callIds: [`y${n}`], replayed: false });
  });
});

describe('nonce: the same nonce is the same call', () => {
  it("is the client's idempotency key (dialect voipnow, the app's account); a replay answers the same id and starts nothing", async () => {
    const w = await world();
    const body = { extension: '210', phoneCallView: [{ ...example1.phoneCallView[0], nonce: 'crm-42' }] };
    const first = await w.service.create(w.userApp, '@me', {}, body, BASE);
    expect(w.client.originations[0]?.opts).toEqual({ await: 'started', idempotency: { dialect: 'voipnow', accountId: w.accountId, key: 'crm-42', ttlMs: 3_600_000 } });
    const again = await w.service.create(w.userApp, '@me', {}, body, BASE);
    expect(again).toEqual(first);
    expect(w.client.originations).toHaveLength(1);
  });

  it('a nonce reused for another call is pc_nonce_invalid; one still running is 409', async () => {
    const w = await world();
    const body = { extension: '210', phoneCallView: [{ ...example1.phoneCallView[0], nonce: 'n' }] };
    w.client.originate = async () => {
      throw new (class extends LegworkError {})('idempotency_conflict', 'other request');
    };
    expect(await refusal(w.service.create(w.userApp, '@me', {}, body, BASE))).toMatchObject({ status: 400, code: 'pc_nonce_invalid' });
    w.client.originate = async () => {
      throw new (class extends LegworkError {})('idempotency_in_progress', 'running');
    };
    expect(await refusal(w.service.create(w.userApp, '@me', {}, body, BASE))).toMatchObject({ status: 409, code: 'pc_nonce_in_progress' });
  });
});

describe('link.self: GET, DELETE and PUT on the PhoneCall', () => {
  let w: World;
  let id: string;
  const leg = (callId: string, patch: Partial<CallView>): CallView => ({ callId, accountId: w.accountId, ...patch });

  beforeEach(async () => {
    w = await world();
    w.client.answer = () => ({ kind: 'initiated', request: {}, callIds: ['src1-voipnow', 'src2-voipnow'], replayed: false });
    [{ id = '' } = { id: '' }] = await w.service.create(w.userApp, '@me', {}, example1, BASE);
  });

  it('GET while both sources ring: each source ringing, no destination yet', async () => {
    w.client.legs.set('src1-voipnow', leg('src1-voipnow', { state: 'ringing', createdAt: 1_700_000_000_000 }));
    w.client.legs.set('src2-voipnow', leg('src2-voipnow', { state: 'ringing' }));
    const view = await w.service.get(w.userApp, '@me', '210', id, BASE);
    expect(view).toMatchObject({
      id, extension: '210', status: 'ringing', answeredSource: null,
      source: [{ number: '5354353', state: 'ringing', callId: 'src1-voipnow' }, { number: '5302040', state: 'ringing', callId: 'src2-voipnow' }],
      destination: { number: '3235742879', state: 'unknown' },
      link: { self: `${BASE}/uapi/phoneCalls/@me/210/${id}` },
    });
  });

  it('GET once connected: the answered source, the other cancelled, the destination leg, the times', async () => {
    w.client.legs.set('src1-voipnow', leg('src1-voipnow', { state: 'bridged', peerCallId: 'dst-voipnow', answeredAt: 1_700_000_005_000 }));
    w.client.legs.set('src2-voipnow', leg('src2-voipnow', { state: 'ended', hangupCause: 'LOSE_RACE' }));
    w.client.legs.set('dst-voipnow', leg('dst-voipnow', { state: 'bridged', answeredAt: 1_700_000_009_000 }));
    const view = await w.service.get(w.orgApp, '@me', '210', id, BASE);
    expect(view).toMatchObject({
      status: 'connected', answeredSource: '5354353',
      source: [{ state: 'bridged' }, { state: 'ended', hangupCause: 'LOSE_RACE' }],
      destination: { number: '3235742879', state: 'bridged', callId: 'dst-voipnow' },
      answered: new Date(1_700_000_005_000).toISOString(), connected: new Date(1_700_000_009_000).toISOString(),
    });
    expect(view).not.toHaveProperty('hangupCause');
  });

  it('GET after call-state let go reads the CDRs: ended, with the hangup cause', async () => {
    const gregorian = (ms: number): number => Math.round(ms / 1000) + 62_167_219_200;
    w.cdrs.set(`${w.accountId}/src1-voipnow`, { call_id: 'src1-voipnow', other_leg_call_id: 'dst-voipnow', hangup_cause: 'NORMAL_CLEARING', timestamp: gregorian(1_700_000_060_000), duration_seconds: 60, billing_seconds: 50 });
    w.cdrs.set(`${w.accountId}/src2-voipnow`, { call_id: 'src2-voipnow', hangup_cause: 'LOSE_RACE', timestamp: gregorian(1_700_000_010_000), duration_seconds: 10, billing_seconds: 0 });
    w.cdrs.set(`${w.accountId}/dst-voipnow`, { call_id: 'dst-voipnow', hangup_cause: 'NORMAL_CLEARING', timestamp: gregorian(1_700_000_060_000), duration_seconds: 45, billing_seconds: 40 });
    const view = await w.service.get(w.userApp, '@me', '210', id, BASE);
    expect(view).toMatchObject({
      status: 'ended', answeredSource: '5354353', hangupCause: 'NORMAL_CLEARING', ended: new Date(1_700_000_060_000).toISOString(),
      source: [{ state: 'ended', hangupCause: 'NORMAL_CLEARING' }, { state: 'ended', hangupCause: 'LOSE_RACE' }],
      destination: { state: 'ended', callId: 'dst-voipnow' },
    });
  });

  it('DELETE sends hangup through call_command for every leg still up', async () => {
    w.client.legs.set('src1-voipnow', leg('src1-voipnow', { state: 'bridged' }));
    w.client.legs.set('src2-voipnow', leg('src2-voipnow', { state: 'ended' }));
    await w.service.hangup(w.userApp, '@me', '210', id);
    expect(w.client.commands).toEqual([{ callId: 'src1-voipnow', name: 'hangup' }]);
  });

  it('PUT Hold and Unhold act on the connected destination, Transfer moves it off the phone (blind_transfer to sendCallTo)', async () => {
    w.client.legs.set('src1-voipnow', leg('src1-voipnow', { state: 'bridged', answered: true, peerCallId: 'dst-voipnow', customApplicationVars: { 'VoipNow-Allow-Public-Transfer': true } }));
    await w.service.update(w.userApp, '@me', '210', id, { action: 'Hold' });
    await w.service.update(w.userApp, '@me', '210', id, { action: 'unhold' });
    await w.service.update(w.userApp, '@me', '210', id, { action: 'Transfer', sendCallTo: '220' });
    await w.service.update(w.userApp, '@me', '210', id, { action: 'Transfer', sendCallTo: '3235742870' });
    expect(w.client.commands).toEqual([
      { callId: 'dst-voipnow', name: 'hold' }, { callId: 'dst-voipnow', name: 'unhold' },
      { callId: 'src1-voipnow', name: 'blind_transfer', args: { 'Transfer-To': 'lobby' } },
      { callId: 'src1-voipnow', name: 'blind_transfer', args: { 'Transfer-To': '+13235742870' } },
    ]);
  });

  it('PUT StartRecording, PauseRecording, ResumeRecording and StopRecording record the phone\'s leg (record_start … record_stop)', async () => {
    w.client.legs.set('src1-voipnow', leg('src1-voipnow', { state: 'bridged', answered: true, peerCallId: 'dst-voipnow' }));
    await w.service.update(w.userApp, '@me', '210', id, { action: 'StartRecording', format: 'wav', phoneCallViewId: '01' });
    await w.service.update(w.userApp, '@me', '210', id, { action: 'PauseRecording' });
    await w.service.update(w.userApp, '@me', '210', id, { action: 'resumerecording' });
    await w.service.update(w.userApp, '@me', '210', id, { action: 'StopRecording', phoneCallViewId: '01' });
    expect(w.client.commands).toEqual(['record_start', 'record_pause', 'record_resume', 'record_stop'].map((name) => ({ callId: 'src1-voipnow', name })));
  });

  it('PUT recording refusals: wav49 501, another format 400, a call not connected 409, the node unable to record this call 501 with its reason, a state that does not allow it 409', async () => {
    expect(await refusal(w.service.update(w.userApp, '@me', '210', id, { action: 'StartRecording' }))).toMatchObject({ status: 409, code: 'pc_state_invalid' });
    w.client.legs.set('src1-voipnow', leg('src1-voipnow', { state: 'bridged', answered: true, peerCallId: 'dst-voipnow' }));
    expect(await refusal(w.service.update(w.userApp, '@me', '210', id, { action: 'StartRecording', format: 'wav49' }))).toMatchObject({ status: 501, code: 'pc_action_not_supported', message: 'format wav49 is not supported on this platform: recordings are 16-bit PCM wav' });
    expect(await refusal(w.service.update(w.userApp, '@me', '210', id, { action: 'StartRecording', format: 'mp3' }))).toMatchObject({ status: 400, code: 'pc_format_invalid', message: 'format must be wav or wav49' });
    expect(await refusal(w.service.update(w.userApp, '@me', '210', id, { action: 'StopRecording', phoneCallViewId: 7 }))).toMatchObject({ status: 400, code: 'request_invalid', message: 'phoneCallViewId must be a string of 1 to 64 characters' });
    expect(w.client.commands).toEqual([]);
    const why = 'the party of call dst-voipnow refused to move its media to rtpengine for recording (488 Not Acceptable Here)';
    w.client.reply = { result: 'not_supported', message: why };
    expect(await refusal(w.service.update(w.userApp, '@me', '210', id, { action: 'StartRecording' }))).toMatchObject({ status: 501, code: 'pc_action_not_supported', message: why });
    w.client.reply = { result: 'invalid_state', callState: 'idle', message: 'call src1-voipnow is not being recorded: it cannot be stopped' };
    expect(await refusal(w.service.update(w.userApp, '@me', '210', id, { action: 'StopRecording' }))).toMatchObject({ status: 409, code: 'pc_state_invalid', message: 'call src1-voipnow is not being recorded: it cannot be stopped' });
  });

  it('PUT refuses what it cannot do: a bad action or destination 400, park 501, a call to a public number without allowPublicTransfer 403, a call not connected 409', async () => {
    expect(await refusal(w.service.update(w.userApp, '@me', '210', id, { action: 'Explode' }))).toMatchObject({ status: 400, code: 'pc_action_invalid', message: 'action must be one of Hold, Unhold, Transfer, StartRecording, StopRecording, PauseRecording, ResumeRecording' });
    expect(await refusal(w.service.update(w.userApp, '@me', '210', id, { action: 'Park' }))).toMatchObject({ status: 501, code: 'pc_action_not_supported' });
    expect(await refusal(w.service.update(w.userApp, '@me', '210', id, { action: 'Transfer', sendCallTo: '220\r\nX: y' }))).toMatchObject({ status: 400, code: 'pc_destination_invalid' });
    expect(await refusal(w.service.update(w.userApp, '@me', '210', id, { action: 'Hold' }))).toMatchObject({ status: 409, code: 'pc_state_invalid' });
    w.client.legs.set('src1-voipnow', leg('src1-voipnow', { state: 'bridged', answered: true, peerCallId: 'dst-voipnow' }));
    expect(await refusal(w.service.update(w.userApp, '@me', '210', id, { action: 'Transfer', sendCallTo: '220' }))).toMatchObject({ status: 403, code: 'pc_transfer_not_allowed' });
    w.client.reply = { result: 'invalid_state', callState: 'held', message: 'call dst-voipnow is already on hold' };
    expect(await refusal(w.service.update(w.userApp, '@me', '210', id, { action: 'Hold' }))).toMatchObject({ status: 409, code: 'pc_state_invalid', message: 'call dst-voipnow is already on hold' });
    expect(w.client.commands).toEqual([{ callId: 'dst-voipnow', name: 'hold' }]);
  });

  it.each([
    ['an unknown id', () => ['@me', '210', 'a'.repeat(20)]],
    ['another extension segment', () => ['@me', '211', id]],
    ['another user id segment', () => [w.bob, '210', id]],
  ])('%s is 404 for GET, DELETE and PUT', async (_what, args) => {
    const [userId, ext, callId] = args();
    for (const run of [w.service.get(w.userApp, userId, ext, callId, BASE), w.service.hangup(w.userApp, userId, ext, callId), w.service.update(w.userApp, userId, ext, callId, { action: 'Hold' })]) {
      expect(await refusal(run)).toMatchObject({ status: 404, code: 'not_found' });
    }
  });

  it("another organization's app gets 404; another user's app of the same organization 403", async () => {
    expect(await refusal(w.service.get(w.otherApp, '@me', '210', id, BASE))).toMatchObject({ status: 404 });
    expect(await refusal(w.service.hangup(w.otherApp, '@me', '210', id))).toMatchObject({ status: 404 });
    const plainPeer = await w.dir.users.create(w.accountId, { first_name: 'Peer', last_name: 'P' });
    const c = await w.dir.apiClients.create(w.accountId, { name: 'peer', dialect: 'voipnow', owner_id: plainPeer.id });
    const peerApp = await w.dir.apiClients.verifyToken((await w.dir.apiClients.issueToken({ accountId: w.accountId, clientId: c.client_id })).token, 'voipnow');
    expect(await refusal(w.service.get(peerApp, '@me', '210', id, BASE))).toMatchObject({ code: 'forbidden' });
    expect(await refusal(w.service.hangup(peerApp, '@me', '210', id))).toMatchObject({ code: 'forbidden' });
    expect(w.client.commands).toEqual([]);
  });
});
