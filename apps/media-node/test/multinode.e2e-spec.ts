import { waitFor } from '@legwork/common/testing';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { connect } from 'amqplib';
import { Redis } from 'ioredis';
import { DEAD_LETTER_QUEUE, STANDARD_EXCHANGES } from '@legwork/bus';
import { createInfrastructure, createLogger, type Infrastructure } from '@legwork/platform';
import { scratchSecretKeys } from '@legwork/platform/testing';
import { SHARED_ORIGINATE_QUEUE, SWEEP_CAUSE, nodeOriginateRoutingKey } from '@legwork/originate';
import { BusProbe, type Msg } from './bus-probe';
import { MediaNodeChild, ensureMediaNodeBuilt } from './media-node-child';
import { SippPeer, freePort, SIPP_SCENARIOS } from '@legwork/originate/testing';

jest.setTimeout(90_000);

const AMQP_URL = process.env['AMQP_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const SCENARIOS = SIPP_SCENARIOS;

/**
 * Two media nodes as separate processes on one RabbitMQ + Redis, driven over raw AMQP like a Kazoo app.
 * Short heartbeat (1 s, TTL 3 s) and sweep (1 s) so a dead node's calls end within seconds.
 */
describe('two media nodes: Existing-Call-ID pinning and failover of a killed node', () => {
  const tag = randomBytes(5).toString('hex');
  const ns = `t-multi-${tag}`;
  const prefix = `t-multi-${tag}:`;
  // Every process on the prefix (this probe and both nodes) shares the run's secret key.
  const secretKeys = scratchSecretKeys();
  const realm = `multi-${tag}.legwork.test`;
  const [idA, idB] = [`multi-a-${tag}`, `multi-b-${tag}`];
  const peers: SippPeer[] = [];
  const ids: Record<string, string> = {};
  let infra: Infrastructure;
  let nodeA: MediaNodeChild;
  let nodeB: MediaNodeChild;
  let bus: BusProbe;
  let accountId = '';
  let portA = 0;
  let carrierPort = 0;

  const endpoint = (username: string): Msg => ({ 'Invite-Format': 'username', 'To-Username': username, 'To-Realm': realm, 'Endpoint-ID': ids[username] });
  const ccv = (): Msg => ({ 'Custom-Channel-Vars': { 'Account-ID': accountId } });
  const logged = (node: MediaNodeChild, msg: string, msgId: unknown): boolean => node.logs().some((l) => l.msg === msg && l['msgId'] === msgId);

  /** A sipp phone that REGISTERs to node A's SIP port and answers calls (third-party call control). */
  const phoneOnA = async (user: string): Promise<SippPeer> => {
    const phone = await SippPeer.start([`127.0.0.1:${portA}`, '-sf', join(SCENARIOS, 'phone-register.xml'), '-oocsf', join(SCENARIOS, 'phone-answer.xml'), '-t', 'u1', '-m', '1', '-au', user, '-ap', `${user}-secret`, '-s', user, '-set', 'domain', realm]);
    peers.push(phone);
    await waitFor(async () => (await infra.calls.registrations.list(`${user}@${realm}`)).some((b) => b.nodeId === idA), { message: () => `${user} registered on node A\n${phone.log}`, timeoutMs: 15_000 });
    return phone;
  };

  beforeAll(async () => {
    ensureMediaNodeBuilt();
    infra = createInfrastructure({ appName: 'multinode-test', nodeId: `probe-${tag}`, logger: createLogger('multinode-test', 'silent'), amqpUrl: AMQP_URL, redisUrl: REDIS_URL, amqpNamespace: ns, redisPrefix: prefix, secretKeys });
    await infra.start();
    accountId = (await infra.directory.accounts.create({ name: `multi-${tag}`, realm, limits: { max_concurrent_channels: 20 } })).id;
    for (const user of ['parked', 'joiner', 'absent', 'caller']) {
      ids[user] = (await infra.directory.devices.create(accountId, { name: user, sip: { username: user, password: `${user}-secret` } })).id;
    }
    carrierPort = await freePort();
    await infra.directory.resources.create(accountId, { name: 'carrier', gateways: [{ server: `127.0.0.1:${carrierPort}` }], rules: ['^\\+1555\\d{7}$'] });
    const env = {
      AMQP_URL, REDIS_URL, AMQP_NAMESPACE: ns, REDIS_PREFIX: prefix, LEGWORK_SECRET_KEYS: secretKeys, HOST: '127.0.0.1', LOG_LEVEL: 'info',
      MEDIA_NODE_HTTP_PORT: '0', SIP_UDP_PORT: '0', SIP_TCP_PORT: '0', SIP_WS_PORT: '0', SIP_NONCE_SECRET: `shared-secret-${tag}`,
      HEARTBEAT_INTERVAL_MS: '1000', HEARTBEAT_TTL_MS: '3000', SWEEP_INTERVAL_MS: '1000', DRAIN_TIMEOUT_MS: '1000',
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
    await Promise.all([nodeA?.stop('SIGKILL'), nodeB?.stop('SIGTERM')]);
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

  it('Existing-Call-ID: a request taken by node B is handed to node A, where the call lives, and bridged there', async () => {
    await phoneOnA('parked');
    await phoneOnA('joiner');
    const parkId = `park-${tag}`;
    const park = bus.originate({ 'Application-Name': 'park', Endpoints: [endpoint('parked')], 'Outbound-Call-ID': parkId, ...ccv() }, nodeOriginateRoutingKey(idA));
    await waitFor(() => bus.reply(park['Msg-ID']) !== undefined, { message: 'park answered', timeoutMs: 15_000 });
    expect(bus.reply(park['Msg-ID'])).toMatchObject({ 'Application-Response': 'SUCCESS', 'Call-ID': parkId, Node: idA });
    expect((await infra.calls.calls.get(parkId))?.nodeId).toBe(idA);

    // B receives it on its own queue, as if it had won it on the shared one
    const joinId = `join-${tag}`;
    const join = bus.originate({ 'Application-Name': 'bridge', 'Existing-Call-ID': parkId, Endpoints: [endpoint('joiner')], 'Outbound-Call-ID': joinId, ...ccv() }, nodeOriginateRoutingKey(idB));
    await waitFor(() => bus.event(joinId, 'CHANNEL_BRIDGE') !== undefined && bus.event(parkId, 'CHANNEL_BRIDGE') !== undefined, { message: () => `both legs bridged\n${nodeA.output}`, timeoutMs: 15_000 });
    expect(logged(nodeB, 'originate_req forwarded to the owning node', join['Msg-ID'])).toBe(true);
    expect(nodeB.logs().find((l) => l['msgId'] === join['Msg-ID'])?.['to']).toBe(idA);
    expect(bus.reply(join['Msg-ID'])).toMatchObject({ 'Application-Response': 'SUCCESS', 'Call-ID': joinId, Node: idA });
    expect(bus.event(joinId, 'CHANNEL_CREATE')).toMatchObject({ Node: idA });
    expect(bus.event(joinId, 'CHANNEL_BRIDGE')).toMatchObject({ Node: idA, 'Other-Leg-Call-ID': parkId });
    expect(bus.event(parkId, 'CHANNEL_BRIDGE')).toMatchObject({ 'Other-Leg-Call-ID': joinId });
    expect((await infra.calls.calls.get(joinId))?.nodeId).toBe(idA);
    expect(bus.events.filter((e) => e['Node'] === idB)).toEqual([]);
  });

  it('Existing-Call-ID on the shared queue: whichever node takes each request, all of them run on node A', async () => {
    const parkId = `park-${tag}`;
    // an unregistered endpoint: each request ends quickly with a refusal from the node that ran it
    const sent = Array.from({ length: 8 }, (_, i) => bus.originate({ 'Application-Name': 'bridge', 'Existing-Call-ID': parkId, Endpoints: [endpoint('absent')], 'Outbound-Call-ID': `shared-${i}-${tag}`, ...ccv() }));
    await waitFor(() => sent.every((m) => bus.reply(m['Msg-ID']) !== undefined), { message: 'a reply to every request', timeoutMs: 15_000 });
    // the node logs the failure just after replying
    await waitFor(() => sent.every((m) => logged(nodeA, 'originate failed', m['Msg-ID'])), { message: () => `node A logging every failure\n${nodeA.output}`, timeoutMs: 5000 });
    for (const m of sent) {
      expect(bus.reply(m['Msg-ID'])).toMatchObject({ 'Event-Category': 'error', 'Error-Message': 'DESTINATION_OUT_OF_ORDER', Node: idA });
      expect(logged(nodeB, 'originate failed', m['Msg-ID'])).toBe(false);
    }
    // the shared queue hands them out round-robin, so B took some and forwarded each of those
    const viaB = sent.filter((m) => logged(nodeB, 'originate_req forwarded to the owning node', m['Msg-ID']));
    expect(viaB.length).toBeGreaterThan(0);
    expect(viaB.length).toBeLessThan(sent.length);
  });

  it('a media node killed with SIGKILL mid-call: the survivor ends its calls with NORMAL_TEMPORARY_FAILURE and frees the channels', async () => {
    const carrier = await SippPeer.start(['-sf', join(SCENARIOS, 'carrier-answer-hold.xml'), '-t', 'u1', '-m', '1'], carrierPort);
    peers.push(carrier);
    await phoneOnA('caller');
    const aLeg = `doomed-${tag}`;
    bus.originate({ 'Application-Name': 'transfer', 'Application-Data': { Route: '+15551234567' }, Endpoints: [endpoint('caller')], 'Outbound-Call-ID': aLeg, ...ccv() }, nodeOriginateRoutingKey(idA));
    await waitFor(() => bus.events.some((e) => e['Event-Name'] === 'CHANNEL_BRIDGE' && e['Other-Leg-Call-ID'] === aLeg), { message: () => `carrier leg bridged\n${carrier.log}`, timeoutMs: 15_000 });
    const bLeg = String(bus.events.find((e) => e['Event-Name'] === 'CHANNEL_BRIDGE' && e['Other-Leg-Call-ID'] === aLeg)?.['Call-ID']);
    const onA = (await infra.calls.calls.listByNode(idA)).map((c) => c.callId);
    expect(onA).toEqual(expect.arrayContaining([aLeg, bLeg, `park-${tag}`, `join-${tag}`]));
    expect(await infra.calls.limits.inUse(accountId)).toBe(onA.length);

    const killedAt = Date.now();
    nodeA.signal('SIGKILL');
    expect(await nodeA.exited).toBeNull();
    const left = (): number => Math.max(0, 10_000 - (Date.now() - killedAt));
    await waitFor(() => onA.every((id) => bus.event(id, 'CHANNEL_DESTROY') !== undefined), { message: () => `CHANNEL_DESTROY of every call of the killed node\n${nodeB.output}`, timeoutMs: left() });
    // channels are reaped right after the last CHANNEL_DESTROY is published
    await waitFor(async () => (await infra.calls.limits.inUse(accountId)) === 0, { message: () => `channels released\n${nodeB.output}`, timeoutMs: left() });
    for (const id of onA) expect(bus.event(id, 'CHANNEL_DESTROY')).toMatchObject({ 'Hangup-Cause': SWEEP_CAUSE, Node: idB });
    expect(bus.events.filter((e) => e['Event-Name'] === 'CHANNEL_DESTROY' && onA.includes(String(e['Call-ID'])))).toHaveLength(onA.length);
    // one Event-Sequence over both legs, across the node that died and the node that swept its calls
    const ofCall = bus.events.filter((e) => e['Call-ID'] === aLeg || e['Call-ID'] === bLeg);
    const seq = (e: Msg): number => Number(e['Event-Sequence']);
    expect(new Set(ofCall.map((e) => e['Origination-Call-ID']))).toEqual(new Set([aLeg]));
    expect(ofCall.map(seq).sort((x, y) => x - y)).toEqual(ofCall.map((_, i) => i + 1));
    const lastOfA = Math.max(...ofCall.filter((e) => e['Node'] === idA).map(seq));
    expect(ofCall.filter((e) => e['Node'] === idB).map((e) => [e['Event-Name'], seq(e) > lastOfA])).toEqual([['CHANNEL_DESTROY', true], ['CHANNEL_DESTROY', true]]);
    expect(await infra.calls.calls.listByNode(idA)).toEqual([]);
    expect(await infra.calls.nodes.isLive(idB)).toBe(true);
    expect(nodeB.logs().some((l) => l.msg === 'swept calls of a dead media node' && l['node'] === idA)).toBe(true);
  });
});
