import { waitFor } from '@legwork/common/testing';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { connect } from 'amqplib';
import { Redis } from 'ioredis';
import { DEAD_LETTER_QUEUE, STANDARD_EXCHANGES } from '@legwork/bus';
import { createInfrastructure, createLogger, type Infrastructure } from '@legwork/platform';
import { scratchSecretKeys } from '@legwork/platform/testing';
import { SHARED_ORIGINATE_QUEUE, controlQueueOf, nodeOriginateRoutingKey } from '@legwork/originate';
import { SippPeer, SIPP_SCENARIOS, receivedRequests } from '@legwork/originate/testing';
import { BusProbe, type Msg } from './bus-probe';
import { MediaNodeChild, ensureMediaNodeBuilt } from './media-node-child';

jest.setTimeout(90_000);

const AMQP_URL = process.env['AMQP_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** Two media nodes as separate processes; call_command driven over raw AMQP, answered with call_command_result. */
describe('call_command across media nodes', () => {
  const tag = randomBytes(5).toString('hex');
  const ns = `t-cmd-${tag}`;
  const prefix = `t-cmd-${tag}:`;
  const secretKeys = scratchSecretKeys();
  const realm = `cmd-${tag}.legwork.test`;
  const [idA, idB] = [`cmd-a-${tag}`, `cmd-b-${tag}`];
  const peers: SippPeer[] = [];
  const ids: Record<string, string> = {};
  let infra: Infrastructure;
  let nodeA: MediaNodeChild;
  let nodeB: MediaNodeChild;
  let bus: BusProbe;
  let accountId = '';
  let portA = 0;

  const endpoint = (username: string): Msg => ({ 'Invite-Format': 'username', 'To-Username': username, 'To-Realm': realm, 'Endpoint-ID': ids[username] });
  const result = (cmd: Msg): Msg | undefined => bus.replies.find((r) => r['Msg-ID'] === cmd['Msg-ID'] && r['Event-Name'] === 'command_result');

  beforeAll(async () => {
    ensureMediaNodeBuilt();
    infra = createInfrastructure({ appName: 'cmd-test', nodeId: `probe-${tag}`, logger: createLogger('cmd-test', 'silent'), amqpUrl: AMQP_URL, redisUrl: REDIS_URL, amqpNamespace: ns, redisPrefix: prefix, secretKeys });
    await infra.start();
    accountId = (await infra.directory.accounts.create({ name: `cmd-${tag}`, realm, limits: { max_concurrent_channels: 10 } })).id;
    ids['held'] = (await infra.directory.devices.create(accountId, { name: 'held', sip: { username: 'held', password: 'held-secret' } })).id;
    const env = {
      AMQP_URL, REDIS_URL, AMQP_NAMESPACE: ns, REDIS_PREFIX: prefix, LEGWORK_SECRET_KEYS: secretKeys, HOST: '127.0.0.1', LOG_LEVEL: 'info',
      MEDIA_NODE_HTTP_PORT: '0', SIP_UDP_PORT: '0', SIP_TCP_PORT: '0', SIP_WS_PORT: '0', SIP_NONCE_SECRET: `shared-secret-${tag}`, DRAIN_TIMEOUT_MS: '1000',
    };
    nodeA = MediaNodeChild.start(idA, env);
    nodeB = MediaNodeChild.start(idB, env);
    for (const node of [nodeA, nodeB]) await node.waitForLog((l) => l.msg === 'registered in node registry');
    portA = await nodeA.sipUdpPort();
    bus = await BusProbe.open(AMQP_URL, ns);
  });

  afterAll(async () => {
    for (const peer of peers) await peer.stop();
    await bus?.close();
    await Promise.all([nodeA?.stop('SIGTERM'), nodeB?.stop('SIGTERM')]);
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
    for (const x of STANDARD_EXCHANGES.map((e) => e.name)) await ach.deleteExchange(`${ns}.${x}`);
    await admin.close();
  });

  it('hangup for a call on node B sent to node A: A routes it to B, which hangs up and answers ok', async () => {
    // the phone registers with A; a UDP binding is reachable from B, which runs the call
    const phone = await SippPeer.start([`127.0.0.1:${portA}`, '-sf', join(SIPP_SCENARIOS, 'phone-register.xml'), '-oocsf', join(SIPP_SCENARIOS, 'phone-answer.xml'), '-t', 'u1', '-m', '1', '-au', 'held', '-ap', 'held-secret', '-s', 'held', '-set', 'domain', realm]);
    peers.push(phone);
    await waitFor(async () => (await infra.calls.registrations.list(`held@${realm}`)).length > 0, { message: () => `held registered\n${phone.log}`, timeoutMs: 15_000 });
    const callId = `on-b-${tag}`;
    const park = bus.originate({ 'Application-Name': 'park', Endpoints: [endpoint('held')], 'Outbound-Call-ID': callId, 'Custom-Channel-Vars': { 'Account-ID': accountId } }, nodeOriginateRoutingKey(idB));
    await waitFor(() => bus.reply(park['Msg-ID']) !== undefined, { message: () => `park answered\n${nodeB.output}`, timeoutMs: 15_000 });
    expect(bus.reply(park['Msg-ID'])).toMatchObject({ 'Application-Response': 'SUCCESS', 'Call-ID': callId, Node: idB });

    const hangup = bus.command({ 'Application-Name': 'hangup', 'Call-ID': callId, 'Hangup-Cause': 'NORMAL_CLEARING' }, controlQueueOf(idA));
    await waitFor(() => result(hangup) !== undefined, { message: () => `call_command_result\n${nodeA.output}\n${nodeB.output}`, timeoutMs: 15_000 });
    expect(result(hangup)).toMatchObject({ 'Event-Category': 'call', 'Call-ID': callId, 'Application-Name': 'hangup', Result: 'ok', 'Call-State': 'answered', Node: idB });
    expect(nodeA.logs().some((l) => l.msg === 'call command forwarded to the owning node' && l['to'] === idB)).toBe(true);
    await waitFor(() => bus.event(callId, 'CHANNEL_DESTROY') !== undefined, { message: 'CHANNEL_DESTROY', timeoutMs: 15_000 });
    expect(bus.event(callId, 'CHANNEL_DESTROY')).toMatchObject({ 'Hangup-Cause': 'NORMAL_CLEARING', Node: idB });
    await waitFor(() => receivedRequests(phone.messages(), 'BYE').length > 0, { message: 'BYE to the phone', timeoutMs: 15_000 });
    expect(bus.replies.filter((r) => r['Msg-ID'] === hangup['Msg-ID'])).toHaveLength(1);
  });

  it('a call nobody holds: no_such_call from whichever node is asked, with the reason', async () => {
    const unknown = bus.command({ 'Application-Name': 'hangup', 'Call-ID': `nobody-${tag}` }, controlQueueOf(idA));
    const record = bus.command({ 'Application-Name': 'record_start', 'Call-ID': `live-${tag}` }, controlQueueOf(idB));
    await waitFor(() => result(unknown) !== undefined && result(record) !== undefined, { message: 'both results', timeoutMs: 15_000 });
    expect(result(unknown)).toMatchObject({ Result: 'no_such_call', 'Call-ID': `nobody-${tag}`, Node: idA });
    expect(result(record)).toMatchObject({ Result: 'no_such_call', 'Application-Name': 'record_start', 'Result-Message': `call live-${tag} is not live on any media node`, Node: idB });
  });
});
