import { waitFor } from '@legwork/common/testing';
import { randomBytes } from 'node:crypto';
import { newId } from '@legwork/common';
import { DEAD_LETTER_QUEUE, STANDARD_EXCHANGES } from '@legwork/bus';
import { cleanupScratch, deleteScratchBusObjects, AMQP_URL, PLATFORM_SCRATCH_QUEUES, REDIS_URL, scratchNames, type Scratch } from '@legwork/platform/testing';
import { SIGNATURE_HEADER, WEBHOOK_TOPOLOGY, WebhookWorker, retryQueueName, verifySignature } from '@legwork/webhook-delivery';
import { HookReceiver } from '@legwork/webhook-delivery/testing';
import { BasixClient, type BasixReply } from '../src/dialects/basix/testing';
import { FakeMediaNode, startGateway, type GatewayHarness } from './quickcall.harness';

// call_user against the gateway on real RabbitMQ and Redis; a stand-in media node answers the originate_req
process.env['BASIX_LEGS_GRACE_MS'] = '50';
process.env['WEBHOOK_ALLOWED_HOSTS'] = '127.0.0.1';

const tag = (): string => randomBytes(3).toString('hex');
const errorOf = (r: BasixReply): { status: number; result_code: unknown; id: unknown } => ({ status: r.status, result_code: r.body.result_code, id: r.body.error?.id });

describe('Basix call_user through the gateway (RabbitMQ and Redis, a stand-in media node)', () => {
  let scratch: Scratch;
  let h: GatewayHarness;
  let node: FakeMediaNode;
  let anon: BasixClient;
  let a: { id: string; realm: string; token: string; client: BasixClient };
  let b: { id: string; realm: string; token: string; client: BasixClient };
  const ids: Record<string, string> = {};

  const tenant = async (label: string, extra: Record<string, unknown> = {}): Promise<typeof a> => {
    const t = tag();
    const account = await h.directory.accounts.create({ name: `${label}-${t}`, realm: `${label}-${t}.basix.test`, country: 'JP', ...extra });
    const { client_secret: token } = await h.directory.apiClients.create(account.id, { name: 'crm', dialect: 'basix' });
    return { id: account.id, realm: account.realm, token, client: anon.as(account.realm, token) };
  };
  const user = async (accountId: string, fields: Record<string, unknown>, devices = 1): Promise<string> => {
    const u = await h.directory.users.create(accountId, { last_name: 'Test', ...fields });
    for (let i = 0; i < devices; i++) await h.directory.devices.create(accountId, { name: `d${i}`, owner_id: u.id, sip: { username: `${String(fields['first_name'])}-${i}-${tag()}`, password: 'pw' } });
    return u.id;
  };
  const published = async (count: number): Promise<Array<Record<string, unknown>>> => {
    for (let i = 0; i < 100 && node.requests.length < count; i++) await new Promise((r) => setTimeout(r, 20));
    return node.requests;
  };
  /** Nothing was published: the refusals above answer before any publish, so a short look suffices. */
  const nothingPublished = async (): Promise<void> => {
    await new Promise((r) => setTimeout(r, 200));
    expect(node.requests).toHaveLength(0);
  };

  beforeAll(async () => {
    scratch = scratchNames('basix');
    h = await startGateway({ AMQP_URL, REDIS_URL, REDIS_PREFIX: scratch.redisPrefix, AMQP_NAMESPACE: scratch.amqpNamespace, LEGWORK_SECRET_KEYS: scratch.secretKeys });
    node = new FakeMediaNode(h.bus, `fake-media-node-${newId().slice(0, 8)}`);
    await node.start();
    anon = new BasixClient(h.url);
    a = await tenant('bxa');
    b = await tenant('bxb');
    ids.jessica = await user(a.id, { first_name: 'Jessica', username: 'jessica', email: 'jones@abcd.com', extension: '1001' }, 2);
    ids.thomas = await user(a.id, { first_name: 'Thomas', username: 'thomas', extension: '1002' });
    ids.lonely = await user(a.id, { first_name: 'Lonely', username: `lonely-${tag()}` }, 0);
    await h.directory.groups.create(a.id, { name: 'sales', type: 'call_center', endpoints: { [ids.jessica]: { type: 'user' } } });
    await h.directory.groups.create(a.id, { name: 'night shift', endpoints: {} });
    ids.bee = await user(b.id, { first_name: 'Bee', username: 'bee', extension: '1001' });
  }, 60_000);

  afterAll(async () => {
    await h?.close();
    const queues = [WEBHOOK_TOPOLOGY.eventQueue, WEBHOOK_TOPOLOGY.deliverQueue, WEBHOOK_TOPOLOGY.deadQueue, retryQueueName(200)];
    await cleanupScratch(scratch, { queues, exchanges: [WEBHOOK_TOPOLOGY.exchange] });
  });

  beforeEach(() => {
    node.requests.length = 0;
    node.mode = { kind: 'answer' };
  });

  it("answers {result_code: 0, uuids} and publishes one originate_req ringing the user's devices, transferring to the number", async () => {
    const res = await a.client.callUser({ user_extension: '1001', destination: '0312341234', calling_name: 'Sales Line', group_name: 'sales' });
    expect(res.status).toBe(200);
    expect(res.body.result_code).toBe(0);
    const [req] = await published(1);
    const endpoints = req?.['Endpoints'] as Array<Record<string, unknown>>;
    expect(endpoints).toHaveLength(2);
    expect(res.body.uuids).toEqual([endpoints[0]?.['Outbound-Call-ID']]);
    expect(String(endpoints[0]?.['Outbound-Call-ID'])).toMatch(/-basix$/);
    expect(req).toMatchObject({
      'Application-Name': 'transfer', 'Application-Data': { Route: '+81312341234' }, 'Dial-Endpoint-Method': 'simultaneous', Timeout: 180,
      'Outbound-Caller-ID-Name': 'Sales Line', 'Custom-Channel-Vars': { 'Account-ID': a.id, 'Group-Name': 'sales', 'Group-Type': 'call_center' },
    });
  });

  it('documents call_user in the OpenAPI document, HTTP Basic in its Authorization header', async () => {
    const doc = (await (await fetch(`${h.url}/docs-json`)).json()) as { paths: Record<string, Record<string, { parameters?: Array<{ name: string; description?: string }>; responses: Record<string, unknown> }>> };
    const op = doc.paths['/basix/api/call_user']?.['post'];
    expect(op?.parameters?.find((p) => p.name === 'Authorization')?.description).toMatch(/DOMAIN_NAME:API_TOKEN/);
    expect(Object.keys(op?.responses ?? {})).toEqual(expect.arrayContaining(['200', '400', '401', '429']));
  });

  it.each([
    ['no credentials', (): BasixClient => anon],
    ['a wrong token', (): BasixClient => anon.as(a.realm, 'wrong-token')],
    ["the right token with another domain", (): BasixClient => anon.as(b.realm, a.token)],
  ])('answers 401 unauthorized for %s, and publishes nothing', async (_what, client) => {
    const res = await client().callUser({ user_extension: '1001', destination: '0312341234' });
    expect(errorOf(res)).toEqual({ status: 401, result_code: 500, id: 'unauthorized' });
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic /);
    await nothingPublished();
  });

  it("refuses another dialect's client with the same 401", async () => {
    const { client_secret: voipnow } = await h.directory.apiClients.create(a.id, { name: 'vn', dialect: 'voipnow' });
    expect(errorOf(await anon.as(a.realm, voipnow).callUser({ user_extension: '1001', destination: '0312341234' }))).toEqual({ status: 401, result_code: 500, id: 'unauthorized' });
  });

  it('answers invalid_json, invalid_request and request_too_large in its own shape for bodies it cannot read', async () => {
    // the seed's example 2 exactly as printed lacks a quote before `destination`
    const res = await a.client.callUser('{"user_name": "jessica", "calling_name": "Thomas Jenkins", destination": "thomas"}');
    expect(errorOf(res)).toEqual({ status: 400, result_code: 500, id: 'invalid_json' });
    expect(errorOf(await a.client.callUser('[1, 2]'))).toEqual({ status: 400, result_code: 500, id: 'invalid_request' });
    expect(errorOf(await a.client.callUser({ user_name: 'jessica', destination: '1', padding: 'x'.repeat(200_000) }))).toEqual({ status: 413, result_code: 500, id: 'request_too_large' });
    await nothingPublished();
  });

  it.each([
    [{ destination: '0312341234' }, 400, 'user_required'],
    [{ user_name: 'jessica', user_extension: '1001', destination: '1' }, 400, 'user_ambiguous'],
    [{ user_name: 'jessica' }, 400, 'destination_required'],
    [{ user_name: 'jessica', destination: '12' }, 400, 'destination_invalid'],
    [{ user_name: 'jessica', destination: 'nobody' }, 404, 'destination_not_found'],
    [{ user_name: 'jessica', destination: 'night shift' }, 409, 'destination_unreachable'],
    [{ user_name: 'jessica', destination: { called_number: '0312341234', calling_number: 'abc' } }, 400, 'calling_number_invalid'],
    [{ user_name: 'jessica', destination: { called_number: '0312341234', end_user: [] } }, 400, 'end_user_invalid'],
    [{ user_name: 'nobody', destination: '0312341234' }, 404, 'user_not_found'],
    [{ user_id: 10001001, destination: '0312341234' }, 404, 'user_not_found'],
    [{ user_name: 'thomas', group_name: 'sales', destination: '0312341234' }, 409, 'user_not_in_group'],
    [{ user_name: 'thomas', group_resolver: 'any:CALL_CENTER', destination: '0312341234' }, 404, 'group_not_found'],
    [{ user_name: 'jessica', group_id: 'g', group_name: 'sales', destination: '0312341234' }, 400, 'group_ambiguous'],
    [{ user_name: 'jessica', group_resolver: 'sales', destination: '0312341234' }, 400, 'group_resolver_invalid'],
    [{ user_name: 'jessica', destination: '0312341234', answer_timeout: -1 }, 400, 'answer_timeout_invalid'],
    [{ user_name: 'jessica', destination: '0312341234', auto_answer: 'maybe' }, 400, 'auto_answer_invalid'],
    [{ user_name: 'jessica', destination: '0312341234', calling_name: 'Thomas\u0007' }, 400, 'calling_name_invalid'],
    [{ user_name: 'jessica', destination: '0312341234', callback_url: 'gopher://x' }, 400, 'callback_url_invalid'],
    [{ user_name: 'jessica', destination: '0312341234', callback_url: 'http://10.1.2.3/result' }, 400, 'callback_url_invalid'],
  ])('%j → %i %s, nothing published', async (body, status, id) => {
    const res = await a.client.callUser(body);
    expect(errorOf(res)).toEqual({ status, result_code: 500, id });
    expect(typeof res.body.error?.message).toBe('string');
    await nothingPublished();
  });

  it('answers an unknown method below /basix in its own shape (404 not_found)', async () => {
    const res = await fetch(`${h.url}/basix/api/call_nobody`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ result_code: 500, error: { id: 'not_found' } });
  });

  it("draws every request from the domain's api_bucket: past it, 429 rate_limited and nothing published", async () => {
    const c = await tenant('bxc');
    await user(c.id, { first_name: 'Cy', username: 'cy' });
    await h.directory.accounts.patch(c.id, { limits: { api_bucket: { burst: 2, refill_per_second: 0.01 } } });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await c.client.callUser({ user_name: 'cy', destination: '0312341234' })).status);
    expect(statuses).toEqual([200, 200, 429]);
    node.requests.length = 0;
    expect(errorOf(await c.client.callUser({ user_name: 'cy', destination: '0312341234' }))).toEqual({ status: 429, result_code: 500, id: 'rate_limited' });
    await nothingPublished();
  });

  it('answers destination_ambiguous for a name several users share', async () => {
    await user(a.id, { first_name: 'Twin', last_name: 'One' }, 0);
    await user(a.id, { first_name: 'Twin', last_name: 'Two' }, 0);
    expect(errorOf(await a.client.callUser({ user_name: 'jessica', destination: 'twin' }))).toEqual({ status: 400, result_code: 500, id: 'destination_ambiguous' });
    expect(errorOf(await a.client.callUser({ user_name: 'twin', destination: '0312341234' }))).toEqual({ status: 400, result_code: 500, id: 'user_ambiguous' });
  });

  it('answers no_devices and user_disabled for users that cannot be rung', async () => {
    expect(errorOf(await a.client.callUser({ user_id: ids.lonely, destination: '0312341234' }))).toEqual({ status: 409, result_code: 500, id: 'no_devices' });
    const gone = await user(a.id, { first_name: 'Gone', username: `gone-${tag()}`, enabled: false });
    expect(errorOf(await a.client.callUser({ user_id: gone, destination: '0312341234' }))).toEqual({ status: 409, result_code: 500, id: 'user_disabled' });
  });

  it("maps the media node's refusals: channel_limit_reached 429, user_unavailable 409, and media_server_unavailable 503 when no node listens", async () => {
    node.mode = { kind: 'error', message: 'channel_limit_reached' };
    expect(errorOf(await a.client.callUser({ user_extension: '1001', destination: '0312341234' }))).toEqual({ status: 429, result_code: 500, id: 'channel_limit_reached' });
    node.mode = { kind: 'error', message: 'DESTINATION_OUT_OF_ORDER' };
    expect(errorOf(await a.client.callUser({ user_extension: '1001', destination: '0312341234' }))).toEqual({ status: 409, result_code: 500, id: 'user_unavailable' });
    node.mode = { kind: 'error', message: 'OUTGOING_CALL_BARRED' };
    expect(errorOf(await a.client.callUser({ user_extension: '1001', destination: '0312341234' }))).toEqual({ status: 403, result_code: 500, id: 'destination_not_allowed' });
    node.mode = { kind: 'error', message: 'NO_ROUTE_DESTINATION' };
    expect(errorOf(await a.client.callUser({ user_extension: '1001', destination: '0312341234' }))).toEqual({ status: 409, result_code: 500, id: 'destination_unreachable' });
    node.mode = { kind: 'error', message: 'INCOMPATIBLE_DESTINATION' };
    expect(errorOf(await a.client.callUser({ user_extension: '1001', destination: '0312341234' }))).toEqual({ status: 502, result_code: 500, id: 'incompatible_destination' });
    const lone = await startGateway({ AMQP_URL, REDIS_URL, REDIS_PREFIX: scratch.redisPrefix, AMQP_NAMESPACE: `${scratch.amqpNamespace}-none`, LEGWORK_SECRET_KEYS: scratch.secretKeys });
    try {
      const res = await new BasixClient(lone.url).as(a.realm, a.token).callUser({ user_extension: '1001', destination: '0312341234' });
      expect(errorOf(res)).toEqual({ status: 503, result_code: 500, id: 'media_server_unavailable' });
    } finally {
      await lone.close();
      // the same Redis prefix as the suite's gateway: only the second namespace's bus objects go
      await deleteScratchBusObjects(`${scratch.amqpNamespace}-none`, [...PLATFORM_SCRATCH_QUEUES, DEAD_LETTER_QUEUE], STANDARD_EXCHANGES.map((e) => e.name));
    }
  });

  it('answers timeout 504 when no media node replies within answer_timeout', async () => {
    node.mode = { kind: 'silent' };
    expect(errorOf(await a.client.callUser({ user_extension: '1001', destination: '0312341234', answer_timeout: 1 }))).toEqual({ status: 504, result_code: 500, id: 'timeout' });
  });

  it('a user app calls its own user only (403 forbidden otherwise)', async () => {
    const { client_secret: own } = await h.directory.apiClients.create(a.id, { name: 'jessica-app', dialect: 'basix', owner_id: ids.jessica });
    const app = anon.as(a.realm, own);
    expect((await app.callUser({ user_name: 'jessica', destination: '0312341234' })).status).toBe(200);
    expect(errorOf(await app.callUser({ user_name: 'thomas', destination: '0312341234' }))).toEqual({ status: 403, result_code: 500, id: 'forbidden' });
  });

  it("never reaches another account: B's client finds only B's users, A's ids are unknown to it", async () => {
    const res = await b.client.callUser({ user_extension: '1001', destination: '0312341234' });
    expect(res.status).toBe(200);
    const [req] = await published(1);
    expect((req?.['Endpoints'] as Array<Record<string, unknown>>).map((e) => e['Endpoint-ID'])).toHaveLength(1);
    expect(req?.['Custom-Channel-Vars']).toMatchObject({ 'Account-ID': b.id });
    node.requests.length = 0;
    for (const body of [{ user_id: ids.jessica, destination: '1' }, { user_email: 'jones@abcd.com', destination: '1' }, { user_name: 'bee', destination: 'thomas' }]) {
      const refused = await b.client.callUser(body);
      expect(refused.status).toBeGreaterThanOrEqual(400);
      expect(['user_not_found', 'destination_not_found', 'destination_invalid']).toContain(refused.body.error?.id);
    }
    await nothingPublished();
  });

  it("tells callback_url the answering leg, signed with the client's API_TOKEN, when the hunt ends", async () => {
    const receiver = await new HookReceiver().listen();
    try {
      const res = await a.client.callUser({ user_email: 'jones@abcd.com', destination: '{name=Charles Xavier,organization=X-Men}0312341234', callback_url: receiver.url('/result_receiver') });
      expect(res.status).toBe(200);
      const [req] = await published(1);
      expect(JSON.parse(String((req?.['Custom-Channel-Vars'] as Record<string, unknown>)['End-User']))).toEqual({ name: 'Charles Xavier', organization: 'X-Men' });
      expect(res.body.uuids).toHaveLength(1);
      // the webhook workers deliver it; none runs in this suite, so the job waits durably in the deliver queue
      const worker = new WebhookWorker({ bus: h.bus, directory: h.directory, config: { allowedHosts: ['127.0.0.1'], retryTiersMs: [200] }, appName: 'webhooks', appVersion: '0.1.0' });
      await worker.start();
      try {
        await waitFor(() => receiver.got('/result_receiver').length === 1, { timeoutMs: 10_000 });
        const [got] = receiver.got('/result_receiver');
        expect(JSON.parse(got?.body ?? '{}')).toEqual({ result_code: 0, uuid: res.body.uuids?.[0] });
        expect(verifySignature(a.token, got?.body ?? '', String(got?.headers[SIGNATURE_HEADER.toLowerCase()]), Math.floor(Date.now() / 1000))).toBe(true);
      } finally {
        await worker.stop();
      }
    } finally {
      await receiver.close();
    }
  });
});

describe('Basix authentication throttle (its own gateway and Redis prefix)', () => {
  let scratch: Scratch;
  let h: GatewayHarness;

  beforeAll(async () => {
    scratch = scratchNames('basix-throttle');
    h = await startGateway({ AMQP_URL, REDIS_URL, REDIS_PREFIX: scratch.redisPrefix, AMQP_NAMESPACE: scratch.amqpNamespace, LEGWORK_SECRET_KEYS: scratch.secretKeys });
  });
  afterAll(async () => {
    await h?.close();
    await cleanupScratch(scratch);
  });

  it('answers too_many_requests with Retry-After once a source keeps failing, even with the right token then', async () => {
    const account = await h.directory.accounts.create({ name: `thr-${tag()}`, realm: `thr-${tag()}.basix.test` });
    const { client_secret: token } = await h.directory.apiClients.create(account.id, { name: 'crm', dialect: 'basix' });
    const anon = new BasixClient(h.url);
    const statuses: number[] = [];
    for (let i = 0; i < 40 && !statuses.includes(429); i++) statuses.push((await anon.as(account.realm, `wrong-${i}`).callUser({ user_name: 'x', destination: '1' })).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    const blocked = await anon.as(account.realm, token).callUser({ user_name: 'x', destination: '1' });
    expect(errorOf(blocked)).toEqual({ status: 429, result_code: 500, id: 'too_many_requests' });
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
