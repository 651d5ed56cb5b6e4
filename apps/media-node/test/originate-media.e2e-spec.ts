import { waitFor } from '@legwork/common/testing';
import { RtpProbe, freePort, type LoggedSipMessage, header, parseSippLog, receivedRequests, sdpAudio, SippCarrier, type SippPhone } from '@legwork/originate/testing';
import { MEDIA_PROCESS_INFO } from '@legwork/call-state';
import { MediaNodeFixture, type Msg } from './media-node.fixture';

jest.setTimeout(60_000);

const RTPENGINE_NG = process.env['RTPENGINE_NG'] ?? '127.0.0.1:2223';
const ROUTE = '+15554443322';

/** A node with one device and one carrier route; `transfer` calls from the device's phone to the carrier. */
async function setUp(node: MediaNodeFixture): Promise<{ accountId: string; deviceId: string; carrierPort: number }> {
  await node.start();
  const accountId = (await node.infra.directory.accounts.create({ name: node.ns, realm: node.realm, limits: { max_concurrent_channels: 4 } })).id;
  const deviceId = (await node.infra.directory.devices.create(accountId, { name: 'media desk', sip: { username: 'mediadesk', password: 'pw-mediadesk' } })).id;
  const carrierPort = await freePort();
  await node.infra.directory.resources.create(accountId, { name: 'carrier', gateways: [{ server: `127.0.0.1:${carrierPort}` }], rules: ['^\\+1555\\d{7}$'] });
  return { accountId, deviceId, carrierPort };
}

/** What this node advertises in the node registry about Media: process (the gateway's quickcall default reads it). */
async function advertised(node: MediaNodeFixture): Promise<string | undefined> {
  const entry = (await node.infra.calls.nodes.liveNodes()).find((n) => n.nodeId === node.config.NODE_ID);
  return entry?.info[MEDIA_PROCESS_INFO];
}

/** Requests the phone received that carried SDP (the ACKs and re-INVITEs of third-party call control). */
const sdpTo = (phone: SippPhone): LoggedSipMessage[] => parseSippLog(phone.messages()).filter((m) => m.direction === 'received' && /^(ACK|INVITE) /.test(m.startLine) && m.body.includes('m=audio'));

/** Places a transfer call phone → carrier with this Media mode; resolves with the A and B call ids once both legs are bridged. */
async function bridgedCall(node: MediaNodeFixture, ctx: { accountId: string; deviceId: string }, media: string, phone: SippPhone, carrier: SippCarrier, extra: Msg = {}): Promise<{ a: string; b: string }> {
  const a = `media-${media}-${phone.username}-${node.tag}`;
  const req: Msg = node.publishOriginate({
    'Application-Name': 'transfer', 'Application-Data': { Route: ROUTE }, Endpoints: [node.endpoint(phone.username, ctx.deviceId)], Media: media,
    'Outbound-Call-ID': a, 'Custom-Channel-Vars': { 'Account-ID': ctx.accountId }, Timeout: 15, ...extra,
  });
  expect(await node.finalReply(req)).toMatchObject({ 'Application-Response': 'SUCCESS', 'Call-ID': a });
  await waitFor(() => node.events.some((e) => e['Event-Name'] === 'CHANNEL_BRIDGE' && e['Other-Leg-Call-ID'] === a), { message: `B-leg bridge\n${phone.log}\n${carrier.log}`, timeoutMs: 15_000 });
  const b = String(node.events.find((e) => e['Event-Name'] === 'CHANNEL_BRIDGE' && e['Other-Leg-Call-ID'] === a)?.['Call-ID']);
  return { a, b };
}

/** The port of every m=video line of an SDP body, in order. */
const videoPorts = (sdp: string | undefined): number[] => [...(sdp ?? '').matchAll(/^m=video (\d+) /gm)].map((m) => Number(m[1]));

/**
 * A phone whose answer offers audio and video (third-party call control: its 200 carries the offer), called to the
 * carrier under `media` with `extra` on the request; what the carrier's INVITE and the phone's SDP said, then hung up.
 */
async function videoCall(node: MediaNodeFixture, ctx: { accountId: string; carrierPort: number }, username: string, media: string, extra: Msg): Promise<{ toCarrier: string; toPhone: string[] }> {
  const deviceId = (await node.infra.directory.devices.create(ctx.accountId, { name: username, sip: { username, password: `pw-${username}` } })).id;
  const phone = await node.phone({ username, password: `pw-${username}`, behaviour: 'answer', videoPort: await freePort() });
  const carrier = node.own(await SippCarrier.start({ behaviour: 'answer', port: ctx.carrierPort }));
  const call = await bridgedCall(node, { accountId: ctx.accountId, deviceId }, media, phone, carrier, extra);
  const toCarrier = receivedRequests(carrier.messages(), 'INVITE')[0]?.body ?? '';
  const toPhone = sdpTo(phone).map((m) => m.body);
  await hangUp(node, call, phone, carrier);
  return { toCarrier, toPhone };
}

async function hangUp(node: MediaNodeFixture, call: { a: string; b: string }, phone: SippPhone, carrier: SippCarrier): Promise<void> {
  expect(await node.app.originate.engine.hangup(call.a)).toBe(true);
  await waitFor(() => receivedRequests(phone.messages(), 'BYE').length > 0 && receivedRequests(carrier.messages(), 'BYE').length > 0, { message: 'BYE to both ends', timeoutMs: 15_000 });
  await node.waitEvent(call.a, 'CHANNEL_DESTROY');
  await node.waitEvent(call.b, 'CHANNEL_DESTROY');
  // the next test's carrier binds the same port
  await carrier.stop();
}

describe('media node media: bypass (third-party call control)', () => {
  const node = new MediaNodeFixture('bypass');
  let ctx: { accountId: string; deviceId: string; carrierPort: number };

  beforeAll(async () => {
    ctx = await setUp(node);
  });

  afterAll(() => node.close());

  it("the phone's SDP reaches the carrier's INVITE and the carrier's SDP reaches the phone", async () => {
    const phoneSdp = { ip: '127.0.0.1', port: await freePort() };
    const carrierSdp = { ip: '127.0.0.1', port: await freePort() };
    const phone = await node.phone({ username: 'mediadesk', password: 'pw-mediadesk', behaviour: 'answer', sdp: phoneSdp });
    const carrier = node.own(await SippCarrier.start({ behaviour: 'answer', port: ctx.carrierPort, sdp: carrierSdp }));
    const call = await bridgedCall(node, ctx, 'bypass', phone, carrier);

    const carrierInvite = receivedRequests(carrier.messages(), 'INVITE')[0];
    expect(sdpAudio(carrierInvite?.body ?? '')).toEqual({ address: phoneSdp.ip, port: phoneSdp.port });
    await waitFor(() => sdpTo(phone).some((m) => sdpAudio(m.body)?.port === carrierSdp.port), { message: `carrier SDP at the phone\n${phone.messages()}`, timeoutMs: 15_000 });
    const delivered = sdpTo(phone).find((m) => sdpAudio(m.body)?.port === carrierSdp.port);
    expect(sdpAudio(delivered?.body ?? '')).toEqual({ address: carrierSdp.ip, port: carrierSdp.port });
    // the carrier's answer is re-stamped under the node's own o= line, so the phone sees one consistent session
    expect(delivered?.body).not.toMatch(/^o=carrier /m);
    await hangUp(node, call, phone, carrier);
  });

  it("Media-Video: false: the phone's video reaches the carrier refused (port 0), and the phone's offer is answered refusing it", async () => {
    const { toCarrier, toPhone } = await videoCall(node, ctx, 'novideo', 'bypass', { 'Media-Video': false });
    expect(sdpAudio(toCarrier)?.port).toBeGreaterThan(0);
    expect(videoPorts(toCarrier)).toEqual([0]);
    // the answer in the phone's ACK keeps its video m-line, refused; no later SDP opens it (the carrier's names no video)
    expect(videoPorts(toPhone[0])).toEqual([0]);
    for (const sdp of toPhone) expect(videoPorts(sdp).filter((port) => port !== 0)).toEqual([]);
  });

  it('without Media-Video (or with true) the video stream is relayed as the phone offered it', async () => {
    const { toCarrier } = await videoCall(node, ctx, 'withvideo', 'bypass', { 'Media-Video': true });
    expect(videoPorts(toCarrier)).toHaveLength(1);
    expect(videoPorts(toCarrier)[0]).toBeGreaterThan(0);
  });

  it('Media: process without a configured rtpengine is refused MEDIA_SERVER_UNAVAILABLE, never bypassed', async () => {
    const calls = (): number => node.events.filter((e) => e['Event-Name'] === 'CHANNEL_CREATE').length;
    const before = calls();
    const req = node.publishOriginate({ 'Application-Name': 'park', Endpoints: [node.endpoint('mediadesk', ctx.deviceId)], Media: 'process', 'Outbound-Call-ID': `noproc-${node.tag}`, 'Custom-Channel-Vars': { 'Account-ID': ctx.accountId } });
    expect(await node.finalReply(req)).toMatchObject({ 'Event-Category': 'error', 'Error-Message': 'MEDIA_SERVER_UNAVAILABLE' });
    expect(calls()).toBe(before);
  });

  it('advertises media_process=false in the node registry: it has no rtpengine', async () => {
    expect(await advertised(node)).toBe('false');
  });
});

describe('media node media: process (anchored on rtpengine)', () => {
  const node = new MediaNodeFixture('process', { RTPENGINE_NG });
  let ctx: { accountId: string; deviceId: string; carrierPort: number };
  const probes: RtpProbe[] = [];

  beforeAll(async () => {
    ctx = await setUp(node);
  });

  afterAll(async () => {
    for (const probe of probes) await probe.close();
    await node.close();
  });

  it('advertises media_process=true in the node registry: it anchors RTP on rtpengine', async () => {
    expect(await advertised(node)).toBe('true');
  });

  it("Media-Video: false through rtpengine: the carrier's INVITE carries the video stream refused (port 0)", async () => {
    const { toCarrier, toPhone } = await videoCall(node, ctx, 'novideo', 'process', { 'Media-Video': false });
    expect(sdpAudio(toCarrier)?.port).toBeGreaterThan(0);
    expect(videoPorts(toCarrier)).toEqual([0]);
    expect(videoPorts(toPhone[0])).toEqual([0]);
    for (const sdp of toPhone) expect(videoPorts(sdp).filter((port) => port !== 0)).toEqual([]);
  });

  it('RTP from the phone side reaches the carrier side through rtpengine, and back', async () => {
    const [probeA, probeB] = await Promise.all([RtpProbe.create(), RtpProbe.create()]);
    probes.push(probeA, probeB);
    const phone = await node.phone({ username: 'mediadesk', password: 'pw-mediadesk', behaviour: 'answer', sdp: { ip: probeA.address, port: probeA.port } });
    const carrier = node.own(await SippCarrier.start({ behaviour: 'answer', port: ctx.carrierPort, sdp: { ip: probeB.address, port: probeB.port } }));
    const call = await bridgedCall(node, ctx, 'process', phone, carrier);

    const toCarrier = sdpAudio(receivedRequests(carrier.messages(), 'INVITE')[0]?.body ?? '');
    const toPhone = sdpAudio(sdpTo(phone)[0]?.body ?? '');
    if (toCarrier === undefined || toPhone === undefined) throw new Error(`no SDP delivered\n${phone.messages()}\n${carrier.messages()}`);
    // each side is pointed at rtpengine, never at the other side's probe
    expect(toCarrier.port).not.toBe(probeA.port);
    expect(toPhone.port).not.toBe(probeB.port);
    expect([probeA.port, probeB.port]).not.toContain(toCarrier.port);
    expect([probeA.port, probeB.port]).not.toContain(toPhone.port);
    expect(toCarrier.port).not.toBe(toPhone.port);

    await probeA.send(toPhone, 20);
    const atB = await probeB.waitFor(10, { ssrc: probeA.ssrc, timeoutMs: 10_000 });
    expect(atB[0].from.port).toBe(toCarrier.port);
    await probeB.send(toCarrier, 20);
    const atA = await probeA.waitFor(10, { ssrc: probeB.ssrc, timeoutMs: 10_000 });
    expect(atA[0].from.port).toBe(toPhone.port);
    expect(header(receivedRequests(carrier.messages(), 'INVITE')[0], 'Content-Type')).toBe('application/sdp');
    await hangUp(node, call, phone, carrier);
  });
});
