import { waitFor } from '@legwork/common/testing';
import { nodeOriginateRoutingKey } from '@legwork/originate';
import { createPushClient } from '@legwork/originate-client';
import { freePort, LocalPushGateway, parseSippLog, receivedRequests, SippCarrier, SippPhone, type GatewayPush } from '@legwork/originate/testing';
import { AMQP_URL, MediaNodeFixture, REDIS_URL } from './media-node.fixture';
import { MediaNodeChild, ensureMediaNodeBuilt } from './media-node-child';

jest.setTimeout(90_000);

const GATEWAY_SECRET = 'push-gateway-secret-multi';
// one cluster: nonces and relay routes are signed with the same key on both nodes
const NONCE_SECRET = 'push-multinode-nonce-secret-0123456789';

/**
 * The REGISTER that wakes a parked leg lands on another media node (a separate process): that node announces the
 * binding on the bus, and the node holding the leg INVITEs the device directly over UDP and bridges the call.
 */
describe('push wake-up across media nodes', () => {
  let gateway: LocalPushGateway;
  let node: MediaNodeFixture;
  let other: MediaNodeChild;
  let otherPort = 0;
  let otherTcpPort = 0;
  let accountId = '';
  let deviceId = '';
  const phones: SippPhone[] = [];
  const otherId = (): string => `${node.config.NODE_ID}-b`;

  beforeAll(async () => {
    ensureMediaNodeBuilt();
    gateway = await LocalPushGateway.start(GATEWAY_SECRET);
    node = new MediaNodeFixture('pushmulti', { PUSH_GATEWAY_URL: gateway.url, PUSH_GATEWAY_SECRET: GATEWAY_SECRET, SIP_NONCE_SECRET: NONCE_SECRET });
    await node.start();
    other = MediaNodeChild.start(otherId(), {
      AMQP_URL, REDIS_URL, AMQP_NAMESPACE: node.ns, REDIS_PREFIX: node.prefix, LEGWORK_SECRET_KEYS: node.secretKeys, HOST: '127.0.0.1', LOG_LEVEL: 'info',
      MEDIA_NODE_HTTP_PORT: '0', SIP_UDP_PORT: '0', SIP_TCP_PORT: '0', SIP_WS_PORT: '0', DRAIN_TIMEOUT_MS: '1000', SIP_NONCE_SECRET: NONCE_SECRET,
      // the same push settings on every node: its registrar accepts only pn-providers the cluster can push to
      PUSH_GATEWAY_URL: gateway.url, PUSH_GATEWAY_SECRET: GATEWAY_SECRET,
    });
    await other.waitForLog((l) => l.msg === 'registered in node registry');
    otherPort = await other.sipUdpPort();
    otherTcpPort = await other.sipPort('tcp');
    accountId = (await node.infra.directory.accounts.create({ name: `pushmulti-${node.tag}`, realm: node.realm, limits: { max_concurrent_channels: 10 } })).id;
    deviceId = (await node.infra.directory.devices.create(accountId, {
      name: 'roamer', device_type: 'smartphone', sip: { username: 'roamer', password: 'roamer-secret' }, push: { provider: 'fcm', prid: `fcm-${node.tag}`, param: 'legwork-test' },
    })).id;
  });

  afterAll(async () => {
    for (const p of phones) await p.stop();
    await other?.stop();
    await node?.close();
    await gateway?.close();
  });

  it('the device registers on the other node; the parked leg here gets DEVICE_REGISTERED from it, INVITEs over UDP and is bridged', async () => {
    gateway.onPush = (push: GatewayPush) => {
      if (push.kind !== 'call') return;
      const contactParams = `;pn-provider=fcm;pn-prid=${push.prid};pn-param=legwork-test`;
      void SippPhone.start({ username: 'roamer', password: 'roamer-secret', registrar: `127.0.0.1:${otherPort}`, realm: node.realm, behaviour: 'answer', contactParams }).then((p) => phones.push(p));
    };
    const carrierPort = await freePort();
    await node.infra.directory.resources.create(accountId, { name: 'carrier', gateways: [{ server: `127.0.0.1:${carrierPort}` }], rules: ['^\\+15552000001$'] });
    const carrier = node.own(await SippCarrier.start({ behaviour: 'answer-bye', port: carrierPort }));
    const aLeg = `roam-${node.tag}`;
    const req = node.publishOriginate({
      'Application-Name': 'transfer', 'Application-Data': { Route: '+15552000001' }, Endpoints: [node.endpoint('roamer', deviceId)], 'Outbound-Call-ID': aLeg,
      'Custom-Channel-Vars': { 'Account-ID': accountId }, Timeout: 20,
    }, nodeOriginateRoutingKey(node.config.NODE_ID));
    expect(await node.finalReply(req, 30_000)).toMatchObject({ 'Application-Response': 'SUCCESS', 'Call-ID': aLeg, Node: node.config.NODE_ID });
    await waitFor(() => node.events.some((e) => e['Event-Name'] === 'CHANNEL_BRIDGE' && e['Other-Leg-Call-ID'] === aLeg), { message: () => `carrier bridged\n${carrier.log}\n${other.output}`, timeoutMs: 15_000 });

    const binding = (await node.infra.calls.registrations.list(`roamer@${node.realm}`))[0];
    expect(binding).toMatchObject({ nodeId: otherId(), transport: 'udp', pushProvider: 'fcm', pushPrid: `fcm-${node.tag}` });
    expect(node.eventNames(aLeg).slice(0, 4)).toEqual(['CHANNEL_CREATE', 'PUSH_SENT', 'DEVICE_REGISTERED', 'CHANNEL_PROGRESS']);
    expect(node.event(aLeg, 'DEVICE_REGISTERED')).toMatchObject({ 'Registrar-Node': otherId(), Node: node.config.NODE_ID, 'Push-Provider': 'fcm' });
    const [invite] = receivedRequests(phones[0]?.messages() ?? '', 'INVITE');
    const viaPort = Number(/SIP\/2\.0\/UDP 127\.0\.0\.1:(\d+)/.exec(invite?.headers['via']?.[0] ?? '')?.[1]);
    expect(viaPort).toBe(Number(node.registrar().split(':')[1]));
    expect(viaPort).not.toBe(otherPort);
    expect(await carrier.exited).toBe(0);
  });

  it("push requests for a leg parked here reach this node, though the other one shares the push queue: call pushes on the leg, then cancel-call ends it LOSE_RACE", async () => {
    gateway.onPush = () => undefined;
    const prid = `fcm-sleeper-${node.tag}`;
    const sleeper = (await node.infra.directory.devices.create(accountId, {
      name: 'sleeper', device_type: 'smartphone', sip: { username: 'sleeper', password: 'sleeper-secret' }, push: { provider: 'fcm', prid, param: 'legwork-test' },
    })).id;
    const aLeg = `held-${node.tag}`;
    node.publishOriginate({
      'Application-Name': 'transfer', 'Application-Data': { Route: '+15552000001' }, Endpoints: [node.endpoint('sleeper', sleeper)], 'Outbound-Call-ID': aLeg,
      'Custom-Channel-Vars': { 'Account-ID': accountId }, Timeout: 30,
    });
    await node.waitEvent(aLeg, 'PUSH_SENT');
    // the gateway's side: call-state names the holder, so every request lands there and never on the other node
    const pushes = createPushClient({ bus: node.infra.bus, calls: node.infra.calls, nodeId: `gw-${node.tag}`, appName: 'push-test' });
    const device = { accountId, deviceId: sleeper, push: { provider: 'fcm', prid, param: 'legwork-test' }, callId: aLeg };
    for (let i = 0; i < 4; i++) expect(await pushes.push({ ...device, kind: 'call', callerName: `Dr ${i}` })).toEqual({ result: 'sent', heldLeg: true, nodeId: node.config.NODE_ID });
    expect(await pushes.push({ ...device, kind: 'cancel', reason: 'answered_elsewhere' })).toEqual({ result: 'sent', heldLeg: true, nodeId: node.config.NODE_ID });
    await node.waitEvent(aLeg, 'CHANNEL_DESTROY');
    expect(node.event(aLeg, 'CHANNEL_DESTROY')).toMatchObject({ 'Hangup-Cause': 'LOSE_RACE' });
    await waitFor(() => gateway.pushesOf(aLeg, 'cancel').length === 1, { message: 'the cancel push', timeoutMs: 10_000 });
    expect(gateway.pushesOf(aLeg).map((p) => [p.kind, p.caller_name, p.reason])).toEqual([
      ['call', null, null], ['call', 'Dr 0', null], ['call', 'Dr 1', null], ['call', 'Dr 2', null], ['call', 'Dr 3', null], ['cancel', null, 'answered_elsewhere'],
    ]);
    expect(node.eventsOf(aLeg).filter((e) => e['Event-Name'] === 'PUSH_SENT').map((e) => e['Push-Kind'])).toEqual(['call', 'call', 'call', 'call', 'call', 'cancel']);
  });

  it.each([
    ['the carrier hangs up: our BYE reaches the phone through the other node', 'carrier', 2] as const,
    ["the phone hangs up: its BYE follows the Record-Route to the other node, which sends it here only", 'phone', 3] as const,
  ])('the device registers over TCP on the other node: the leg here INVITEs it through that node, which relays over the connection it holds; %s', async (_title, hangsUp, n) => {
    const prid = `fcm-tcp${n}-${node.tag}`;
    const username = `tcproamer${n}`;
    const tcpDevice = (await node.infra.directory.devices.create(accountId, {
      name: username, device_type: 'smartphone', sip: { username, password: 'tcproamer-secret' }, push: { provider: 'fcm', prid, param: 'legwork-test' },
    })).id;
    gateway.onPush = (push: GatewayPush) => {
      if (push.kind !== 'call' || push.prid !== prid) return;
      const contactParams = `;pn-provider=fcm;pn-prid=${push.prid};pn-param=legwork-test`;
      void SippPhone.start({
        username, password: 'tcproamer-secret', registrar: `127.0.0.1:${otherTcpPort}`, transport: 'tcp', realm: node.realm, behaviour: 'answer', contactParams, ...(hangsUp === 'phone' ? { byeAfterMs: 1500 } : {}),
      }).then((p) => phones.push(p));
    };
    const carrierPort = await freePort();
    const route = `+1555200000${n}`;
    await node.infra.directory.resources.create(accountId, { name: `carrier ${n}`, gateways: [{ server: `127.0.0.1:${carrierPort}` }], rules: [`^\\${route}$`] });
    const carrier = node.own(await SippCarrier.start({ behaviour: hangsUp === 'carrier' ? 'answer-bye' : 'answer', port: carrierPort }));
    const aLeg = `roamtcp${n}-${node.tag}`;
    const req = node.publishOriginate({
      'Application-Name': 'transfer', 'Application-Data': { Route: route }, Endpoints: [node.endpoint(username, tcpDevice)], 'Outbound-Call-ID': aLeg,
      'Custom-Channel-Vars': { 'Account-ID': accountId }, Timeout: 20,
    }, nodeOriginateRoutingKey(node.config.NODE_ID));
    expect(await node.finalReply(req, 30_000)).toMatchObject({ 'Application-Response': 'SUCCESS', 'Call-ID': aLeg, Node: node.config.NODE_ID });
    await waitFor(() => node.events.some((e) => e['Event-Name'] === 'CHANNEL_BRIDGE' && e['Other-Leg-Call-ID'] === aLeg), { message: () => `carrier bridged\n${carrier.log}\n${other.output}`, timeoutMs: 15_000 });

    const binding = (await node.infra.calls.registrations.list(`${username}@${node.realm}`))[0];
    expect(binding).toMatchObject({ nodeId: otherId(), transport: 'tcp', flowToken: expect.any(String), pushPrid: prid });
    expect(node.event(aLeg, 'DEVICE_REGISTERED')).toMatchObject({ 'Registrar-Node': otherId(), Node: node.config.NODE_ID });
    const phone = phones.find((p) => p.username === username);
    const [invite] = receivedRequests(phone?.messages() ?? '', 'INVITE');
    // over the phone's own TCP connection to the other node: that node's Via on top, then ours; the route kept
    const vias = invite?.headers['via'] ?? [];
    expect(vias[0]).toMatch(new RegExp(`^SIP/2\\.0/TCP 127\\.0\\.0\\.1:${otherTcpPort};branch=z9hG4bK-lwr-`));
    expect(vias.join(',')).toContain(`SIP/2.0/UDP 127.0.0.1:${node.registrar().split(':')[1]}`);
    expect(invite?.headers['record-route']?.[0]).toContain(`sip:127.0.0.1:${otherPort};lr;lw-flow=${binding?.flowToken}`);
    // in the dialog too: the ACK, and the re-INVITE with the carrier's answer (RFC 3725) and its ACK, come the same way
    const acks = receivedRequests(phone?.messages() ?? '', 'ACK');
    expect(acks.map((m) => m.headers['cseq']?.[0])).toEqual(['1 ACK', '2 ACK']);
    const reinvite = receivedRequests(phone?.messages() ?? '', 'INVITE')[1];
    for (const m of [...acks, reinvite]) expect(m?.headers['via']?.[0]).toMatch(/^SIP\/2\.0\/TCP 127\.0\.0\.1:\d+;branch=z9hG4bK-lwr-/);

    if (hangsUp === 'carrier') {
      expect(await carrier.exited).toBe(0);
      await waitFor(() => receivedRequests(phone?.messages() ?? '', 'BYE').length > 0, { message: () => `BYE at the phone\n${phone?.log}`, timeoutMs: 15_000 });
    } else {
      // the phone's BYE is answered 200 by this node, back over the relay
      const byeAnswered = (): boolean => parseSippLog(phone?.messages() ?? '').some((m) => m.direction === 'received' && m.startLine.startsWith('SIP/2.0 200') && / BYE$/.test(m.headers['cseq']?.[0] ?? ''));
      await waitFor(byeAnswered, { message: () => `200 to the phone's BYE\n${phone?.log}\n${other.output}`, timeoutMs: 15_000 });
      const bye = parseSippLog(phone?.messages() ?? '').find((m) => m.direction === 'sent' && m.startLine.startsWith('BYE '));
      expect(bye?.headers['route']?.[0]).toContain(`lw-flow=${binding?.flowToken}`);
      await waitFor(() => receivedRequests(carrier.messages(), 'BYE').length > 0, { message: () => `BYE at the carrier\n${carrier.log}`, timeoutMs: 15_000 });
    }
    await node.waitEvent(aLeg, 'CHANNEL_DESTROY');
    expect(node.event(aLeg, 'CHANNEL_DESTROY')).toMatchObject({ 'Hangup-Cause': 'NORMAL_CLEARING' });
  });
});
