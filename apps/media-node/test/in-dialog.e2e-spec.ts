import { waitFor } from '@legwork/common/testing';
import { RtpProbe, freePort, type LoggedSipMessage, parseSippLog, receivedRequests, sdpAudio, SippCarrier, type SippPhone } from '@legwork/originate/testing';
import { MediaNodeFixture, type Msg } from './media-node.fixture';

jest.setTimeout(60_000);

const RTPENGINE_NG = process.env['RTPENGINE_NG'] ?? '127.0.0.1:2223';
const ROUTE = '+15553334444';

async function setUp(node: MediaNodeFixture): Promise<{ accountId: string; deviceId: string; carrierPort: number }> {
  await node.start();
  const accountId = (await node.infra.directory.accounts.create({ name: node.ns, realm: node.realm, limits: { max_concurrent_channels: 4 } })).id;
  const deviceId = (await node.infra.directory.devices.create(accountId, { name: 'hold desk', sip: { username: 'holddesk', password: 'pw-holddesk' } })).id;
  const carrierPort = await freePort();
  await node.infra.directory.resources.create(accountId, { name: 'carrier', gateways: [{ server: `127.0.0.1:${carrierPort}` }], rules: ['^\\+1555\\d{7}$'] });
  return { accountId, deviceId, carrierPort };
}

/** The phone's own re-INVITE with this CSeq and the final response it got to it. */
function phoneExchange(phone: SippPhone, cseq: number): { sent?: LoggedSipMessage; answer?: LoggedSipMessage } {
  const log = parseSippLog(phone.messages());
  const ofCseq = (m: LoggedSipMessage): boolean => (m.headers['cseq']?.[0] ?? '').replace(/\s+/g, ' ') === `${cseq} INVITE`;
  return {
    sent: log.find((m) => m.direction === 'sent' && m.startLine.startsWith('INVITE ') && ofCseq(m)),
    answer: log.find((m) => m.direction === 'received' && /^SIP\/2\.0 [2-6]\d\d /.test(m.startLine) && ofCseq(m)),
  };
}

/** Re-INVITEs the carrier received after the one that set the call up. */
const carrierReinvites = (carrier: SippCarrier): LoggedSipMessage[] => {
  const invites = receivedRequests(carrier.messages(), 'INVITE');
  const byCseq = new Map(invites.map((m) => [m.headers['cseq']?.[0], m]));
  return [...byCseq.values()].slice(1);
};

/** A transfer from the holding phone to the carrier; resolves with both leg ids once both are bridged. */
async function holdingCall(node: MediaNodeFixture, ctx: { accountId: string; deviceId: string }, media: string, phone: SippPhone, carrier: SippCarrier): Promise<{ a: string; b: string }> {
  const a = `hold-${media}-${node.tag}`;
  const req: Msg = node.publishOriginate({
    'Application-Name': 'transfer', 'Application-Data': { Route: ROUTE }, Endpoints: [node.endpoint('holddesk', ctx.deviceId)], Media: media,
    'Outbound-Call-ID': a, 'Custom-Channel-Vars': { 'Account-ID': ctx.accountId }, Timeout: 15,
  });
  expect(await node.finalReply(req)).toMatchObject({ 'Application-Response': 'SUCCESS', 'Call-ID': a });
  await waitFor(() => node.events.some((e) => e['Event-Name'] === 'CHANNEL_BRIDGE' && e['Other-Leg-Call-ID'] === a), { message: `B-leg bridged\n${phone.log}\n${carrier.log}`, timeoutMs: 15_000 });
  const b = String(node.events.find((e) => e['Event-Name'] === 'CHANNEL_BRIDGE' && e['Other-Leg-Call-ID'] === a)?.['Call-ID']);
  return { a, b };
}

/** The phone's hold (CSeq 101) is answered 200 recvonly, reaches the carrier as sendonly and is answered recvonly there; both legs publish CHANNEL_HOLD. */
async function expectHold(node: MediaNodeFixture, call: { a: string; b: string }, phone: SippPhone, carrier: SippCarrier): Promise<void> {
  await waitFor(() => phoneExchange(phone, 101).answer !== undefined, { message: `answer to the phone's hold\n${phone.log}`, timeoutMs: 15_000 });
  const hold = phoneExchange(phone, 101);
  expect(hold.sent?.body).toContain('a=sendonly');
  expect(hold.answer?.startLine).toMatch(/^SIP\/2\.0 200 /);
  expect(hold.answer?.body).toContain('a=recvonly');
  const [relayed] = carrierReinvites(carrier);
  expect(relayed?.body).toContain('a=sendonly');
  const carrierAnswer = parseSippLog(carrier.messages()).find((m) => m.direction === 'sent' && m.startLine.startsWith('SIP/2.0 200 ') && m.headers['cseq']?.[0] === relayed?.headers['cseq']?.[0]);
  expect(carrierAnswer?.body).toContain('a=recvonly');
  await node.waitEvent(call.a, 'CHANNEL_HOLD');
  await node.waitEvent(call.b, 'CHANNEL_HOLD');
  expect(node.event(call.a, 'CHANNEL_HOLD')).toMatchObject({ 'Other-Leg-Call-ID': call.b, 'Custom-Channel-Vars': expect.objectContaining({ 'Account-ID': expect.any(String) }) });
}

/** The resume (CSeq 102): sendrecv on both sides, CHANNEL_UNHOLD on both legs. */
async function expectUnhold(node: MediaNodeFixture, call: { a: string; b: string }, phone: SippPhone, carrier: SippCarrier): Promise<void> {
  await waitFor(() => phoneExchange(phone, 102).answer !== undefined, { message: `answer to the phone's resume\n${phone.log}`, timeoutMs: 15_000 });
  const resume = phoneExchange(phone, 102);
  expect(resume.answer?.startLine).toMatch(/^SIP\/2\.0 200 /);
  expect(resume.answer?.body).toContain('a=sendrecv');
  expect(carrierReinvites(carrier)[1]?.body).toContain('a=sendrecv');
  await node.waitEvent(call.a, 'CHANNEL_UNHOLD');
  await node.waitEvent(call.b, 'CHANNEL_UNHOLD');
}

async function hangUp(node: MediaNodeFixture, call: { a: string; b: string }): Promise<void> {
  expect(await node.app.originate.engine.hangup(call.a)).toBe(true);
  await node.waitEvent(call.a, 'CHANNEL_DESTROY');
  await node.waitEvent(call.b, 'CHANNEL_DESTROY');
}

describe('in-dialog requests: a phone holds a bridged call (bypass)', () => {
  const node = new MediaNodeFixture('holdbp');
  let ctx: { accountId: string; deviceId: string; carrierPort: number };

  beforeAll(async () => {
    ctx = await setUp(node);
  });
  afterAll(() => node.close());

  it('re-INVITE a=sendonly → 200 (not 488), the carrier gets a=sendonly and answers recvonly, CHANNEL_HOLD on both legs; sendrecv → CHANNEL_UNHOLD', async () => {
    const phone = await node.phone({ username: 'holddesk', password: 'pw-holddesk', behaviour: 'hold', holdAfterMs: 1000, unholdAfterMs: 1000 });
    const carrier = node.own(await SippCarrier.start({ behaviour: 'answer-mirror', port: ctx.carrierPort }));
    const call = await holdingCall(node, ctx, 'bypass', phone, carrier);
    await expectHold(node, call, phone, carrier);
    // bypass relays the phone's own SDP: the carrier is told where the phone is, and the phone where the carrier is
    const [relayed] = carrierReinvites(carrier);
    expect(sdpAudio(relayed?.body ?? '')).toEqual(sdpAudio(phoneExchange(phone, 101).sent?.body ?? ''));
    await expectUnhold(node, call, phone, carrier);
    await hangUp(node, call);
  });
});

describe('in-dialog requests: a phone holds a bridged call (process, rtpengine)', () => {
  const node = new MediaNodeFixture('holdproc', { RTPENGINE_NG });
  let ctx: { accountId: string; deviceId: string; carrierPort: number };
  const probes: RtpProbe[] = [];

  beforeAll(async () => {
    ctx = await setUp(node);
  });
  afterAll(async () => {
    for (const probe of probes) await probe.close();
    await node.close();
  });

  it('rtpengine is updated on hold and unhold, each side keeps talking to rtpengine, and RTP flows both ways after unhold', async () => {
    const [probeA, probeB] = await Promise.all([RtpProbe.create(), RtpProbe.create()]);
    probes.push(probeA, probeB);
    const phone = await node.phone({ username: 'holddesk', password: 'pw-holddesk', behaviour: 'hold', holdAfterMs: 1000, unholdAfterMs: 1000, sdp: { ip: probeA.address, port: probeA.port } });
    const carrier = node.own(await SippCarrier.start({ behaviour: 'answer-mirror', port: ctx.carrierPort, sdp: { ip: probeB.address, port: probeB.port } }));
    const call = await holdingCall(node, ctx, 'process', phone, carrier);
    await expectHold(node, call, phone, carrier);
    const anchoredForCarrier = sdpAudio(receivedRequests(carrier.messages(), 'INVITE')[0]?.body ?? '');
    const [relayed] = carrierReinvites(carrier);
    // the carrier's re-INVITE is rtpengine's, on the port the call was anchored on, never the phone's probe
    expect(sdpAudio(relayed?.body ?? '')).toEqual(anchoredForCarrier);
    expect(sdpAudio(relayed?.body ?? '')?.port).not.toBe(probeA.port);
    await expectUnhold(node, call, phone, carrier);

    const toRtpengineFromPhone = sdpAudio(phoneExchange(phone, 102).answer?.body ?? '');
    const toRtpengineFromCarrier = sdpAudio(carrierReinvites(carrier)[1]?.body ?? '');
    if (toRtpengineFromPhone === undefined || toRtpengineFromCarrier === undefined) throw new Error(`no SDP after unhold\n${phone.messages()}\n${carrier.messages()}`);
    expect([probeA.port, probeB.port]).not.toContain(toRtpengineFromPhone.port);
    await probeA.send(toRtpengineFromPhone, 20);
    const atCarrier = await probeB.waitFor(10, { ssrc: probeA.ssrc, timeoutMs: 10_000 });
    expect(atCarrier[0].from.port).toBe(toRtpengineFromCarrier.port);
    await probeB.send(toRtpengineFromCarrier, 20);
    const atPhone = await probeA.waitFor(10, { ssrc: probeB.ssrc, timeoutMs: 10_000 });
    expect(atPhone[0].from.port).toBe(toRtpengineFromPhone.port);
    await hangUp(node, call);
  });
});
