import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@legwork/common/testing';
import { type LoggedSipMessage, RtpProbe, SippCarrier, type SippPhone, freePort, readWav, receivedRequests, sdpAudio, soundMs } from '@legwork/originate/testing';
import { MediaNodeFixture, type Msg } from './media-node.fixture';

jest.setTimeout(90_000);

const RTPENGINE_NG = process.env['RTPENGINE_NG'] ?? '127.0.0.1:2223';
// µ-law bytes that decode to sound of opposite signs: each side is told apart in the file
const PHONE_SOUND = 0x10;
const CARRIER_SOUND = 0x90;

/** INVITEs a sipp peer got, one per CSeq (UDP retransmissions counted once), in order. */
const invitesOf = (peer: { messages(): string }): LoggedSipMessage[] => {
  const byCseq = new Map<string, LoggedSipMessage>();
  for (const m of receivedRequests(peer.messages(), 'INVITE')) byCseq.set(m.headers['cseq']?.[0] ?? '', byCseq.get(m.headers['cseq']?.[0] ?? '') ?? m);
  return [...byCseq.values()];
};

describe('recording a bypass call: both parties re-INVITEd onto rtpengine (sipp peers, real rtpengine)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'legwork-rec-bypass-'));
  const node = new MediaNodeFixture('recbypass', { RTPENGINE_NG, RECORDING_DIR: dir });
  const probes: RtpProbe[] = [];
  let accountId = '';

  beforeAll(async () => {
    await node.start();
    accountId = (await node.infra.directory.accounts.create({ name: node.ns, realm: node.realm, limits: { max_concurrent_channels: 4 } })).id;
  });
  afterAll(async () => {
    for (const probe of probes) await probe.close();
    await node.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** phone (leg a) → carrier (leg b) with Media: bypass, each party's RTP on its own probe. */
  async function bypassCall(name: string, route: string, carrierBehaviour: 'answer-mirror' | 'answer-refuse-reinvite') {
    // a phone and a carrier of its own per call: nothing of another test rings or answers
    const username = `rec-${name}`;
    const deviceId = (await node.infra.directory.devices.create(accountId, { name: username, sip: { username, password: `pw-${name}` } })).id;
    const carrierPort = await freePort();
    await node.infra.directory.resources.create(accountId, { name: `carrier ${name}`, gateways: [{ server: `127.0.0.1:${carrierPort}` }], rules: [`^\\${route}$`] });
    const [probeA, probeB] = await Promise.all([RtpProbe.create(), RtpProbe.create()]);
    probes.push(probeA, probeB);
    const phone: SippPhone = await node.phone({ username, password: `pw-${name}`, sdp: { ip: probeA.address, port: probeA.port } });
    const carrier = node.own(await SippCarrier.start({ behaviour: carrierBehaviour, port: carrierPort, sdp: { ip: probeB.address, port: probeB.port } }));
    const a = `recbp-${name}-${node.tag}`;
    const req: Msg = node.publishOriginate({
      'Application-Name': 'transfer', 'Application-Data': { Route: route }, Endpoints: [node.endpoint(username, deviceId)], Media: 'bypass',
      'Outbound-Call-ID': a, 'Custom-Channel-Vars': { 'Account-ID': accountId }, Timeout: 15,
    });
    expect(await node.finalReply(req)).toMatchObject({ 'Application-Response': 'SUCCESS', 'Call-ID': a });
    const bridge = () => node.events.find((e) => e['Event-Name'] === 'CHANNEL_BRIDGE' && e['Other-Leg-Call-ID'] === a);
    await waitFor(() => bridge() !== undefined, { message: `B-leg bridged\n${phone.log}\n${carrier.log}`, timeoutMs: 15_000 });
    // bypass: the phone was re-INVITEd (offerless: the carrier's own SDP went in the ACK) before the call counts as set up
    await waitFor(() => invitesOf(phone).length >= 2, { message: `bypass re-INVITE of the phone\n${phone.log}`, timeoutMs: 15_000 });
    return { a, b: String(bridge()?.['Call-ID']), phone, carrier, probeA, probeB };
  }

  async function hangUp(call: { a: string; b: string }): Promise<void> {
    expect(await node.app.originate.engine.hangup(call.a)).toBe(true);
    await node.waitEvent(call.a, 'CHANNEL_DESTROY');
    await node.waitEvent(call.b, 'CHANNEL_DESTROY');
  }

  it('record_start: both parties get a re-INVITE to rtpengine, RTP from both lands in the WAV, record_stop → RECORDING_SAVED', async () => {
    const call = await bypassCall('ok', '+15553334401', 'answer-mirror');
    const { phone, carrier, probeA, probeB } = call;
    const started = await node.command({ 'Application-Name': 'record_start', 'Call-ID': call.a });
    expect(started).toMatchObject({ Result: 'ok', 'Result-Data': { 'Recording-State': 'recording' } });
    const toPhone = sdpAudio(invitesOf(phone)[2]?.body ?? '');
    const toCarrier = sdpAudio(invitesOf(carrier)[1]?.body ?? '');
    if (toPhone === undefined || toCarrier === undefined) throw new Error(`no anchoring re-INVITE\n${phone.messages()}\n${carrier.messages()}`);
    // c=/m= of each re-INVITE are rtpengine's: not the other party's probe, one port per side
    expect(toPhone.port).not.toBe(probeB.port);
    expect(toCarrier.port).not.toBe(probeA.port);
    expect(toPhone.port).not.toBe(toCarrier.port);

    await Promise.all([probeA.send(toPhone, 50, { fill: PHONE_SOUND }), probeB.send(toCarrier, 50, { fill: CARRIER_SOUND })]);
    const [atCarrier, atPhone] = await Promise.all([probeB.waitFor(50, { ssrc: probeA.ssrc, timeoutMs: 10_000 }), probeA.waitFor(50, { ssrc: probeB.ssrc, timeoutMs: 10_000 })]);
    // relayed by rtpengine, from the port it gave the receiving party
    expect(atCarrier[0].from.port).toBe(toCarrier.port);
    expect(atPhone[0].from.port).toBe(toPhone.port);
    await new Promise((r) => setTimeout(r, 300));

    expect(await node.command({ 'Application-Name': 'record_stop', 'Call-ID': call.a })).toMatchObject({ Result: 'ok', 'Result-Data': { 'Recording-State': 'idle' } });
    await node.waitEvent(call.a, 'RECORDING_SAVED');
    const saved = node.event(call.a, 'RECORDING_SAVED') ?? {};
    expect(saved).toMatchObject({ 'Content-Type': 'audio/wav', 'Media-Recording-ID': (started['Result-Data'] as Msg)['Media-Recording-ID'] });
    expect(String(saved['Recording-Location'])).toBe(join(dir, accountId, `${String(saved['Media-Recording-ID'])}.wav`));
    const wav = await readWav(String(saved['Recording-Location']));
    expect({ channels: wav.channels, rate: wav.sampleRate }).toEqual({ channels: 2, rate: 8000 });
    // 50 packets of 20 ms from each side: the phone (the leg named) left, the carrier right
    expect(soundMs(wav, 0)).toBe(1000);
    expect(soundMs(wav, 1)).toBe(1000);
    expect(node.eventNames(call.a).filter((n) => n.startsWith('RECORD'))).toEqual(['RECORD_START', 'RECORD_STOP', 'RECORDING_SAVED']);
    await hangUp(call);
  });

  it('the carrier refusing the re-INVITE (488): not_supported, and the phone is re-INVITEd back to the carrier', async () => {
    const call = await bypassCall('refused', '+15553334402', 'answer-refuse-reinvite');
    const { phone, carrier, probeA, probeB } = call;
    const started = await node.command({ 'Application-Name': 'record_start', 'Call-ID': call.a });
    expect(started).toMatchObject({ Result: 'not_supported' });
    expect(String(started['Result-Message'])).toContain(`the party of call ${call.b} refused to move its media to rtpengine for recording (488`);
    const invites = invitesOf(phone);
    // set-up, bypass re-INVITE, onto rtpengine, back to the carrier
    expect(invites).toHaveLength(4);
    expect(sdpAudio(invites[2]?.body ?? '')?.port).not.toBe(probeB.port);
    expect(sdpAudio(invites[3]?.body ?? '')).toEqual({ address: probeB.address, port: probeB.port });
    expect(invitesOf(carrier)).toHaveLength(2);
    expect(node.eventNames(call.a).filter((n) => n.startsWith('RECORD'))).toEqual([]);
    // the parties reach each other directly again
    await probeA.send({ address: probeB.address, port: probeB.port }, 5);
    await probeB.waitFor(5, { ssrc: probeA.ssrc, timeoutMs: 10_000 });
    await hangUp(call);
  });
});
