import { waitFor } from '@legwork/common/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { newId } from '@legwork/common';
import { buildMessage, callCommandResult, callEvents, EXCHANGES, routeFor, type MessageBody } from '@legwork/contracts';
import { createInfrastructure, createLogger, type Infrastructure } from '@legwork/platform';
import { AMQP_URL, REDIS_URL, cleanupScratch, scratchNames, type Scratch } from '@legwork/platform/testing';
import { startKazooApp, type KazooApp, type KazooResponse } from './kazoo-app.harness';
import { kazooRoutes } from './kazoo-routes';
import { FakeMediaNode } from './quickcall.harness';
import { securityWorld, type SecurityTenant, type SecurityWorld } from './security.fixture';
import { EVERYONE, MATRIX, OWN_TOKEN, type MatrixRow, type RowContext, type Who } from './security-matrix.table';

// Webhook targets on loopback are allowed for this suite only (the URL guard reads this at boot).
process.env['WEBHOOK_ALLOWED_HOSTS'] = '127.0.0.1';

const NODE = `matrix-node-${randomBytes(3).toString('hex')}`;

/** Every route of the Kazoo dialect against every kind of caller, on real Redis and RabbitMQ. */
describe('security matrix: every Kazoo route, every caller (Redis and RabbitMQ)', () => {
  let scratch: Scratch;
  let infra: Infrastructure;
  let app: KazooApp;
  let w: SecurityWorld;
  let media: FakeMediaNode;
  const commands: string[] = [];
  const mine = { user: {} as RowContext['mine'], peer: {} as RowContext['mine'] };
  const recordingDirBefore = process.env['RECORDING_DIR'];
  let recordings: string;

  beforeAll(async () => {
    scratch = scratchNames('matrix');
    infra = createInfrastructure({
      amqpUrl: AMQP_URL, redisUrl: REDIS_URL, appName: 'api-gateway', nodeId: NODE, logger: createLogger('matrix', 'silent'),
      redisPrefix: scratch.redisPrefix, amqpNamespace: scratch.amqpNamespace, secretKeys: scratch.secretKeys,
    });
    await infra.start();
    recordings = await mkdtemp(join(tmpdir(), 'legwork-matrix-recs-'));
    process.env['RECORDING_DIR'] = recordings;
    app = await startKazooApp({ infra, env: { RATE_BUCKET_BURST: '1000000', UNAUTHENTICATED_RATE_LIMIT: '1000000' } });
    w = await securityWorld(app);
    media = new FakeMediaNode(infra.bus, `matrix-media-${randomBytes(3).toString('hex')}`);
    await media.start();
    const ctl = await infra.bus.declareQueue('', { exclusive: true, bindings: [{ exchange: EXCHANGES.callctl.name, routingKey: `callctl.${NODE}` }] });
    // answers as the owning node does, to the command's Server-ID
    await infra.bus.consume(ctl, z.record(z.string(), z.unknown()), async (cmd) => {
      commands.push(String(cmd['Call-ID']));
      const result = { 'Msg-ID': String(cmd['Msg-ID']), 'Call-ID': String(cmd['Call-ID']), 'Application-Name': 'hangup' as const, Result: 'ok' as const };
      await infra.bus.publish(EXCHANGES.targeted.name, String(cmd['Server-ID']), buildMessage(callCommandResult, result, { 'App-Name': 'media-node', 'App-Version': '0' }));
    });
    mine.user = await things(w.a, w.a.userId, `user-${w.a.name}`, w.a.userDeviceId, `mine-${w.a.name}`);
    mine.peer = await things(w.a, w.a.peerId, `peer-${w.a.name}`, w.a.peerDeviceId, `theirs-${w.a.name}`);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await infra?.close();
    await cleanupScratch(scratch);
    if (recordingDirBefore === undefined) delete process.env['RECORDING_DIR'];
    else process.env['RECORDING_DIR'] = recordingDirBefore;
    await rm(recordings, { recursive: true, force: true });
  });

  /** A live call and a CDR of this user's device, so the plain user has (and its peer has) something of its own. */
  async function things(t: SecurityTenant, userId: string, username: string, deviceId: string, deviceUsername: string): Promise<RowContext['mine']> {
    const callId = `${newId()}-quickcall`;
    await infra.calls.calls.create({ callId, accountId: t.id, nodeId: NODE, leg: 'a', endpointId: deviceId, ownerId: userId });
    const cdrId = `${newId()}-quickcall`;
    const ccv = { 'Account-ID': t.id, 'Owner-ID': userId, 'Authorizing-ID': deviceId, 'Authorizing-Type': 'device' };
    const body = { 'Call-ID': cdrId, 'Custom-Channel-Vars': ccv, 'Hangup-Cause': 'NORMAL_CLEARING', 'Duration-Seconds': 1, 'Billing-Seconds': 1, 'Ringing-Seconds': 0, 'Channel-Created-Time': Date.now() };
    const msg = buildMessage(callEvents.CHANNEL_DESTROY, body as MessageBody<typeof callEvents.CHANNEL_DESTROY>, { 'App-Name': 'media-node', 'App-Version': '0' });
    const { exchange, routingKey } = routeFor(callEvents.CHANNEL_DESTROY, msg);
    await infra.bus.publish(exchange, routingKey, msg);
    await waitFor(async () => ((await app.call('GET', `/v2/accounts/${t.id}/cdrs/${cdrId}`, { token: t.keyToken })).status === 200 ? true : undefined));
    // a recording of the account, as a media node leaves it in the shared directory
    const recordingId = randomUUID();
    await mkdir(join(recordings, t.id), { recursive: true });
    await writeFile(join(recordings, t.id, `${recordingId}.wav`), Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(40, 1)]));
    await writeFile(join(recordings, t.id, `${recordingId}.json`), JSON.stringify({ id: recordingId, call_id: cdrId, media_name: `${recordingId}.wav`, content_type: 'audio/wav', duration_ms: 100, size_bytes: 44, started_at: Date.now(), stopped_at: Date.now() + 100 }));
    return { userId, username, deviceId, deviceUsername, callId, cdrId, recordingId };
  }

  const tokenOf = (who: Who): string | undefined =>
    ({ master: w.masterToken, key: w.a.keyToken, admin: w.a.adminToken, user: w.a.userToken, peer: w.a.userToken, 'b-key': w.b.keyToken, 'b-admin': w.b.adminToken, 'b-user': w.b.userToken, anonymous: undefined })[who];

  async function freshToken(who: Who): Promise<string | undefined> {
    const issue = (accountId: string, ownerId?: string) => app.directory.credentials.issueToken({ accountId, method: ownerId === undefined ? 'api_key' : 'user_auth', ...(ownerId !== undefined ? { ownerId } : {}) });
    const by: Record<Who, () => Promise<string | undefined>> = {
      master: () => issue(w.masterId), key: () => issue(w.a.id), admin: () => issue(w.a.id, w.a.adminId), user: () => issue(w.a.id, w.a.userId), peer: () => issue(w.a.id, w.a.userId),
      'b-key': () => issue(w.b.id), 'b-admin': () => issue(w.b.id, w.b.adminId), 'b-user': () => issue(w.b.id, w.b.userId), anonymous: async () => undefined,
    };
    return by[who]();
  }

  async function fresh(kind: 'user' | 'device' | 'resource' | 'webhook' | 'group' | 'api_client' | 'child'): Promise<string> {
    const d = app.directory;
    const t = w.a;
    const tag = randomBytes(3).toString('hex');
    if (kind === 'user') return (await d.users.create(t.id, { first_name: 'Gone', last_name: tag })).id;
    if (kind === 'device') return (await d.devices.create(t.id, { name: 'gone', sip: { username: `gone-${tag}`, password: 'pw' } })).id;
    if (kind === 'resource') return (await d.resources.create(t.id, { name: 'gone', gateways: [{ server: '192.0.2.3' }] })).id;
    if (kind === 'group') return (await d.groups.create(t.id, { name: `gone-${tag}` })).id;
    if (kind === 'webhook') return (await d.webhooks.create(t.id, { name: 'gone', uri: 'http://127.0.0.1:9/gone', hook: 'all' })).id;
    if (kind === 'api_client') return (await d.apiClients.create(t.id, { name: `gone-${tag}`, dialect: 'voipnow' })).client_id;
    return (await d.accounts.create({ name: `gone-${tag}`, realm: `gone-${tag}.matrix.local` }, t.id)).id;
  }

  /** Everything a refused request could have touched: tenant A's documents, its calls, published originations and commands. */
  async function snapshot(): Promise<string> {
    const d = app.directory;
    const id = w.a.id;
    const [account, children, users, devices, resources, webhooks, groups, apiClients, calls] = await Promise.all([
      d.accounts.get(id), d.accounts.listChildren(id), d.users.list(id), d.devices.list(id), d.resources.list(id), d.webhooks.list(id), d.groups.list(id), d.apiClients.list(id), infra.calls.calls.listByAccount(id),
    ]);
    return JSON.stringify({ account, children, users, devices, resources, webhooks, groups, apiClients, calls, originations: media.requests.length, commands: commands.length });
  }

  /** Lets the asynchronous effects of an allowed request (an origination, a hangup command) land before the next snapshot. */
  async function settle(before: { originations: number; commands: number }, row: MatrixRow): Promise<void> {
    if (row.route.includes('/quickcall/')) await waitFor(async () => (media.requests.length > before.originations ? true : undefined));
    if (row.route.includes('/channels/:callId') && !row.route.startsWith('get')) await waitFor(async () => (commands.length > before.commands ? true : undefined));
  }

  it('lists every registered /v2 route exactly once in the table', () => {
    expect(MATRIX.map((r) => r.route).sort()).toEqual(kazooRoutes(app).map((r) => r.key).sort());
  });

  describe.each(MATRIX.map((row) => [row.route, row] as const))('%s', (_route, row) => {
    const callers = EVERYONE.filter((who) => who !== 'peer' || row.perUser === true);
    it.each(callers)('as %s', async (who) => {
      const ctx: RowContext = { t: w.a, who, mine: who === 'peer' ? mine.peer : mine.user, fresh };
      const { path, body } = await row.request(ctx);
      const allowed = row.allow.includes(who);
      const before = allowed ? '' : await snapshot();
      const counts = { originations: media.requests.length, commands: commands.length };
      const token = row.ownToken === true ? await freshToken(who) : tokenOf(who);
      const res: KazooResponse = await app.call(row.route.split(' ')[0]?.toUpperCase() ?? 'GET', token === undefined ? path : path.replace(OWN_TOKEN, token), { ...(token !== undefined ? { token } : {}), ...(body !== undefined ? { body } : {}) });
      if (allowed) {
        expect({ who, success: res.status >= 200 && res.status < 300, status: res.status, envelope: res.body.status }).toEqual({ who, success: true, status: res.status, envelope: 'success' });
        if (who === 'user') row.scoped?.(res, ctx);
        await settle(counts, row);
        return;
      }
      const refused = who === 'anonymous' ? 401 : 403;
      expect({ who, status: res.status, envelope: res.body.status, error: res.body.error }).toEqual({ who, status: refused, envelope: 'error', error: String(refused) });
      expect(await snapshot()).toEqual(before);
    });
  });
});
