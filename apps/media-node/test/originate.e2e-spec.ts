import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { connect, type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { Redis } from 'ioredis';
import { BUS_EXCHANGES, DEAD_LETTER_QUEUE } from '@legwork/bus';
import { createInfrastructure, createLogger, loadConfig, type Infrastructure } from '@legwork/platform';
import { SHARED_ORIGINATE_QUEUE } from '@legwork/originate';
import { bootstrapMediaNode, type MediaNodeHandle } from '../src/bootstrap';
import { mediaNodeConfigSchema } from '../src/media-node.config';
import { SippPeer } from './sipp-peer';
import { freePort } from './sipp-process';

jest.setTimeout(60_000);

const AMQP_URL = process.env['AMQP_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const SCENARIOS = join(__dirname, 'scenarios');
type Msg = Record<string, unknown>;

/**
 * A media node on RabbitMQ + Redis driven the way a Kazoo application drives it: raw AMQP, Title-Case JSON.
 * The test namespace prefixes every exchange (`<ns>.callmgr`); production runs without a namespace (`callmgr`).
 */
describe('media node originate over RabbitMQ, Redis and sipp', () => {
  const tag = randomBytes(5).toString('hex');
  const ns = `t-orig-${tag}`;
  const prefix = `t-orig-${tag}:`;
  const realm = `orig-${tag}.legwork.test`;
  const logger = createLogger('media-node', 'silent');
  const config = loadConfig(mediaNodeConfigSchema, {
    NODE_ID: `orig-${tag}`, HOST: '127.0.0.1', MEDIA_NODE_HTTP_PORT: '0', SIP_UDP_PORT: '0', SIP_TCP_PORT: '0', SIP_WS_PORT: '0', DRAIN_TIMEOUT_MS: '2000',
  });
  const replyQueue = `kazoo-tool-${tag}`;
  const replies: Msg[] = [];
  const events: Msg[] = [];
  const peers: SippPeer[] = [];
  let infra: Infrastructure;
  let app: MediaNodeHandle;
  let conn: ChannelModel;
  let ch: Channel;
  let accountId = '';
  let deviceId = '';
  let idleDeviceId = '';
  let carrierPort = 0;

  const json = (m: Pick<ConsumeMessage, 'content'> | null): Msg => (m === null ? {} : (JSON.parse(m.content.toString()) as Msg));
  const until = async (check: () => boolean, what: string, ms = 15_000): Promise<void> => {
    const start = Date.now();
    while (!check()) {
      if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const eventsOf = (callId: string): string[] => events.filter((e) => e['Call-ID'] === callId).map((e) => String(e['Event-Name']));
  /** Exactly what a Kazoo app publishes: envelope, Title-Case keys, JSON, on callmgr / originate.resource.req. */
  const publishOriginate = (body: Msg): Msg => {
    const msg = { 'App-Name': 'kazoo-tool', 'App-Version': '4.3.0', 'Event-Category': 'resource', 'Event-Name': 'originate_req', 'Msg-ID': randomBytes(8).toString('hex'), 'Server-ID': replyQueue, ...body };
    ch.publish(`${ns}.callmgr`, 'originate.resource.req', Buffer.from(JSON.stringify(msg)), { contentType: 'application/json', mandatory: true });
    return msg;
  };
  const endpoint = (username: string, id: string): Msg => ({ 'Invite-Format': 'username', 'To-Username': username, 'To-Realm': realm, 'Endpoint-ID': id });

  beforeAll(async () => {
    infra = createInfrastructure({ appName: 'media-node', nodeId: config.NODE_ID, logger, amqpUrl: AMQP_URL, redisUrl: REDIS_URL, amqpNamespace: ns, redisPrefix: prefix });
    await infra.start();
    const account = await infra.directory.accounts.create({ name: `orig-${tag}`, realm, limits: { max_concurrent_channels: 4 } });
    accountId = account.id;
    deviceId = (await infra.directory.devices.create(accountId, { name: 'desk 101', sip: { username: 'desk101', password: 'desk-secret-101' }, caller_id: { external: { name: 'Desk 101', number: '+15550001111' } } })).id;
    idleDeviceId = (await infra.directory.devices.create(accountId, { name: 'desk 102', sip: { username: 'desk102', password: 'desk-secret-102' } })).id;
    carrierPort = await freePort();
    await infra.directory.resources.create(accountId, { name: 'test carrier', gateways: [{ server: `127.0.0.1:${carrierPort}` }], rules: ['^\\+1555\\d{7}$'] });
    app = await bootstrapMediaNode({ config, infra, logger });

    conn = await connect(AMQP_URL);
    ch = await conn.createChannel();
    await ch.assertQueue(replyQueue, { exclusive: true });
    await ch.bindQueue(replyQueue, `${ns}.targeted`, replyQueue);
    await ch.consume(replyQueue, (m) => void replies.push(json(m)), { noAck: true });
    const evq = await ch.assertQueue('', { exclusive: true });
    await ch.bindQueue(evq.queue, `${ns}.callevt`, 'call.*.*');
    await ch.consume(evq.queue, (m) => void events.push(json(m)), { noAck: true });
  });

  afterAll(async () => {
    for (const peer of peers) await peer.stop();
    await conn?.close().catch(() => undefined);
    await app?.close();
    await infra?.close();
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    redis.disconnect();
    const admin = await connect(AMQP_URL);
    const ach = await admin.createChannel();
    for (const q of [SHARED_ORIGINATE_QUEUE, DEAD_LETTER_QUEUE]) await ach.deleteQueue(`${ns}.${q}`);
    for (const x of Object.values(BUS_EXCHANGES)) await ach.deleteExchange(`${ns}.${x}`);
    await admin.close();
  });

  it('transfer: the registered phone answers, the carrier gets the number with the device caller id, both legs bridge and end on the carrier BYE', async () => {
    const udp = app.sip.listening().find((l) => l.protocol === 'udp')?.port ?? 0;
    const phone = await SippPeer.start([`127.0.0.1:${udp}`, '-sf', join(SCENARIOS, 'phone-register.xml'), '-oocsf', join(SCENARIOS, 'phone-answer.xml'), '-t', 'u1', '-m', '1', '-au', 'desk101', '-ap', 'desk-secret-101', '-s', 'desk101', '-set', 'domain', realm]);
    peers.push(phone);
    const carrier = await SippPeer.start(['-sf', join(SCENARIOS, 'carrier-answer-bye.xml'), '-t', 'u1', '-m', '1'], carrierPort);
    peers.push(carrier);
    let registered = false;
    const pollRegistration = setInterval(() => void infra.calls.registrations.list(`desk101@${realm}`).then((b) => (registered = b.length > 0)), 50);
    try {
      await until(() => registered, `phone registration\n${phone.log}`);
    } finally {
      clearInterval(pollRegistration);
    }

    const aCallId = `kazoo-a-${tag}`;
    const req = publishOriginate({
      'Application-Name': 'transfer', 'Application-Data': { Route: '+15551234567' }, Endpoints: [endpoint('desk101', deviceId)],
      'Outbound-Call-ID': aCallId, 'Outbound-Caller-ID-Name': 'Click To Call', 'Outbound-Caller-ID-Number': '5550000',
      'Custom-Channel-Vars': { 'Account-ID': accountId }, 'Custom-Application-Vars': { Campaign: 'spring' }, Timeout: 20,
    });
    await until(() => replies.some((r) => r['Event-Name'] === 'originate_resp'), `originate_resp\n${phone.log}\n${carrier.log}`);
    expect(replies.map((r) => r['Event-Name'])).toEqual(['originate_uuid', 'originate_resp']);
    expect(replies[0]).toMatchObject({ 'Msg-ID': req['Msg-ID'], 'Outbound-Call-ID': aCallId });
    expect(replies[1]).toMatchObject({ 'Msg-ID': req['Msg-ID'], 'Application-Response': 'SUCCESS', 'Call-ID': aCallId });

    await until(() => events.some((e) => e['Event-Name'] === 'CHANNEL_BRIDGE' && e['Call-ID'] !== aCallId), 'B-leg bridge');
    const bCallId = String(events.find((e) => e['Event-Name'] === 'CHANNEL_CREATE' && e['Call-ID'] !== aCallId)?.['Call-ID']);
    for (const id of [aCallId, bCallId]) {
      expect(eventsOf(id)).toEqual(expect.arrayContaining(['CHANNEL_CREATE', 'CHANNEL_ANSWER', 'CHANNEL_BRIDGE']));
      for (const e of events.filter((x) => x['Call-ID'] === id)) expect(e).toMatchObject({ 'Custom-Application-Vars': { Campaign: 'spring' }, 'Custom-Channel-Vars': { 'Account-ID': accountId } });
    }
    expect(events.find((e) => e['Call-ID'] === bCallId && e['Event-Name'] === 'CHANNEL_BRIDGE')?.['Other-Leg-Call-ID']).toBe(aCallId);

    const invite = /INVITE sip:[^\n]*\n[\s\S]*?\n\n/.exec(carrier.messages())?.[0] ?? '';
    expect(invite).toMatch(/^INVITE sip:\+15551234567@127\.0\.0\.1:\d+/);
    expect(invite).toMatch(/^From:\s*"Desk 101"\s*<sip:\+15550001111@[^>]+>;tag=/m);
    expect(invite).toMatch(/^To:\s*<sip:\+15551234567@[^>]+>/m);

    await until(() => eventsOf(aCallId).includes('CHANNEL_DESTROY') && eventsOf(bCallId).includes('CHANNEL_DESTROY'), 'both CHANNEL_DESTROY');
    expect(events.find((e) => e['Call-ID'] === bCallId && e['Event-Name'] === 'CHANNEL_DESTROY')).toMatchObject({ 'Hangup-Cause': 'NORMAL_CLEARING' });
    expect(await carrier.exited).toBe(0);
    await until(() => /BYE sip:/.test(phone.messages()), 'BYE to the phone');
    expect(await infra.calls.limits.inUse(accountId)).toBe(0);
    expect(await infra.calls.calls.listByNode(config.NODE_ID)).toEqual([]);
  });

  it('an unregistered device: error reply DESTINATION_OUT_OF_ORDER and an originate_failed event', async () => {
    replies.length = 0;
    const outbound = `kazoo-idle-${tag}`;
    const req = publishOriginate({ 'Application-Name': 'park', Endpoints: [endpoint('desk102', idleDeviceId)], 'Outbound-Call-ID': outbound, 'Custom-Channel-Vars': { 'Account-ID': accountId } });
    await until(() => replies.length > 0 && events.some((e) => e['Event-Name'] === 'originate_failed' && e['Call-ID'] === outbound), 'refusal');
    expect(replies).toEqual([expect.objectContaining({ 'Event-Category': 'error', 'Event-Name': 'originate_resp', 'Msg-ID': req['Msg-ID'], 'Error-Message': 'DESTINATION_OUT_OF_ORDER' })]);
    expect(events.find((e) => e['Event-Name'] === 'originate_failed' && e['Call-ID'] === outbound)).toMatchObject({ 'Error-Message': 'DESTINATION_OUT_OF_ORDER', 'Account-ID': accountId });
    expect(await infra.calls.limits.inUse(accountId)).toBe(0);
  });

  it('an invalid originate_req (no Endpoints): error reply naming the field, originate_failed, dead-lettered with the reason', async () => {
    replies.length = 0;
    const outbound = `kazoo-bad-${tag}`;
    const req = publishOriginate({ 'Application-Name': 'park', 'Outbound-Call-ID': outbound, 'Custom-Channel-Vars': { 'Account-ID': accountId } });
    await until(() => replies.length > 0 && events.some((e) => e['Event-Name'] === 'originate_failed' && e['Call-ID'] === outbound), 'refusal');
    expect(replies[0]).toMatchObject({ 'Event-Category': 'error', 'Msg-ID': req['Msg-ID'], 'Error-Code': 'originate_invalid' });
    expect(String(replies[0]['Error-Message'])).toContain('Endpoints: is required');
    let reason: unknown;
    for (let i = 0; i < 200 && reason === undefined; i += 1) {
      const got = await ch.get(`${ns}.${DEAD_LETTER_QUEUE}`, { noAck: true });
      if (got !== false && json(got)['Msg-ID'] === req['Msg-ID']) reason = got.properties.headers?.['x-legwork-reason'];
      else if (got === false) await new Promise((r) => setTimeout(r, 25));
    }
    expect(String(reason)).toContain('Endpoints: is required');
  });
});
