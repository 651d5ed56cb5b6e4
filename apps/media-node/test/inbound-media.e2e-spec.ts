import { waitFor } from '@legwork/common/testing';
import { createRtpengineClient, type RtpengineClient } from '@legwork/originate';
import { RtpProbe, SippCarrierCall, header, parseSippLog, receivedRequests, sdpAudio, type LoggedSipMessage, type SippPhone } from '@legwork/originate/testing';
import { MediaNodeFixture } from './media-node.fixture';

jest.setTimeout(90_000);

const RTPENGINE_NG = process.env['RTPENGINE_NG'] ?? '127.0.0.1:2223';

type Audio = { address: string; port: number };

/** Carrier calls to DIDs on a node with rtpengine: media anchored there by default, bypassed when the resource says so. */
describe('media node inbound calls: media through rtpengine', () => {
  const node = new MediaNodeFixture('inmedia', { RTPENGINE_NG });
  const carriers: SippCarrierCall[] = [];
  const probes: RtpProbe[] = [];
  let accountId = '';
  let n = 0;
  let rtpengine: RtpengineClient;
  const did = (k: number): string => `+1556${String(parseInt(node.tag.slice(0, 4), 16) % 1000).padStart(3, '0')}${String(k).padStart(4, '0')}`;

  /** A user with one device on `number`, its sipp phone answering with its SDP pointed at a fresh probe. */
  async function answeringPhone(number: string, hold = false): Promise<{ phone: SippPhone; probe: RtpProbe }> {
    const name = `inm${(n += 1)}`;
    const user = await node.infra.directory.users.create(accountId, { first_name: 'In', last_name: `Media${n}`, dids: [number] });
    await node.infra.directory.devices.create(accountId, { name, owner_id: user.id, sip: { username: name, password: `pw-${name}` } });
    const probe = await RtpProbe.create();
    probes.push(probe);
    const behaviour = hold ? { behaviour: 'hold' as const, holdAfterMs: 800, unholdAfterMs: 800 } : { behaviour: 'answer' as const };
    const phone = await node.phone({ username: name, password: `pw-${name}`, ...behaviour, answerDelayMs: 200, sdp: { ip: probe.address, port: probe.port } });
    return { phone, probe };
  }

  async function carrierCall(from: string, number: string, lateOffer: boolean): Promise<{ carrier: SippCarrierCall; probe: RtpProbe }> {
    const probe = await RtpProbe.create();
    probes.push(probe);
    const carrier = await SippCarrierCall.start({ target: node.registrar(), from, did: number, caller: '+14155550123', expect: 200, lateOffer, sdp: { ip: probe.address, port: probe.port } });
    carriers.push(carrier);
    return { carrier, probe };
  }

  const okTo = (carrier: SippCarrierCall): LoggedSipMessage | undefined =>
    parseSippLog(carrier.messages()).find((m) => m.direction === 'received' && m.startLine.startsWith('SIP/2.0 200') && /INVITE/.test(m.headers['cseq']?.[0] ?? ''));

  /** What each side was told to send RTP to: the phone by its INVITE (early offer) or its ACK (late offer), the carrier by our 200. */
  async function delivered(phone: SippPhone, carrier: SippCarrierCall, lateOffer: boolean): Promise<{ toPhone: Audio; toCarrier: Audio }> {
    const phoneSdp = (): string | undefined => (lateOffer ? receivedRequests(phone.messages(), 'ACK').find((m) => m.body !== '')?.body : receivedRequests(phone.messages(), 'INVITE')[0]?.body);
    await waitFor(() => okTo(carrier) !== undefined && phoneSdp() !== undefined, { message: `SDP to both sides\n${phone.log}\n${carrier.messages()}`, timeoutMs: 20_000 });
    const toPhone = sdpAudio(phoneSdp() ?? '');
    const toCarrier = sdpAudio(okTo(carrier)?.body ?? '');
    if (toPhone === undefined || toCarrier === undefined) throw new Error(`no audio in the SDP delivered\n${phone.messages()}\n${carrier.messages()}`);
    return { toPhone, toCarrier };
  }

  /** RTP from each probe reaches the other, coming from the port the receiving side was given (rtpengine's). */
  async function expectRtpThrough(carrierProbe: RtpProbe, phoneProbe: RtpProbe, sdp: { toPhone: Audio; toCarrier: Audio }): Promise<void> {
    await carrierProbe.send(sdp.toCarrier, 20);
    const atPhone = await phoneProbe.waitFor(10, { ssrc: carrierProbe.ssrc, timeoutMs: 10_000 });
    expect(atPhone[0].from.port).toBe(sdp.toPhone.port);
    await phoneProbe.send(sdp.toPhone, 20);
    const atCarrier = await carrierProbe.waitFor(10, { ssrc: phoneProbe.ssrc, timeoutMs: 10_000 });
    expect(atCarrier[0].from.port).toBe(sdp.toCarrier.port);
  }

  /** Hangs up from the node; an anchored call's rtpengine session (ng call-id: the caller's leg) is deleted with it. */
  async function hangUp(number: string, phone: SippPhone, carrier: SippCarrierCall, anchored = true): Promise<void> {
    const callerId = String(node.events.find((e) => e['Event-Name'] === 'CHANNEL_CREATE' && e['Call-Direction'] === 'inbound' && e['Callee-ID-Number'] === number)?.['Call-ID']);
    await node.waitEvent(callerId, 'CHANNEL_BRIDGE');
    if (anchored) expect(await rtpengine.query(callerId)).toMatchObject({ result: 'ok' });
    expect(await node.app.originate.engine.hangup(callerId)).toBe(true);
    expect(await carrier.exited).toMatchObject({ code: 0 });
    await waitFor(() => receivedRequests(phone.messages(), 'BYE').length > 0, { message: `BYE to the phone\n${phone.log}`, timeoutMs: 15_000 });
    await node.waitEvent(callerId, 'CHANNEL_DESTROY');
    await waitFor(async () => (await node.infra.calls.limits.inUse(accountId)) === 0, { message: 'channels given back', timeoutMs: 15_000 });
    if (anchored) await waitFor(() => rtpengine.query(callerId).then(() => false, () => true), { message: `rtpengine session ${callerId} deleted`, timeoutMs: 10_000 });
  }

  beforeAll(async () => {
    await node.start();
    const [host = '127.0.0.1', port = '2223'] = RTPENGINE_NG.split(':');
    rtpengine = createRtpengineClient({ host, port: Number(port) });
    accountId = (await node.infra.directory.accounts.create({ name: `inmedia-${node.tag}`, realm: node.realm, country: 'US', limits: { max_concurrent_channels: 10 } })).id;
    await node.infra.directory.resources.create(accountId, { name: 'anchored', gateways: [{ server: '127.0.0.1:5999' }], inbound: { enabled: true, sources: ['127.0.0.1'] } });
    await node.infra.directory.resources.create(accountId, { name: 'bypassed', gateways: [{ server: '127.0.0.1:5998' }], inbound: { enabled: true, sources: ['127.0.0.6'], media: 'bypass' } });
  });

  afterAll(async () => {
    for (const c of carriers) await c.stop().catch(() => undefined);
    for (const p of probes) await p.close();
    await rtpengine?.close();
    await node.close();
  });

  it("an offer in the INVITE: the phone's INVITE and the carrier's 200 name rtpengine, never the other side, and RTP flows both ways through it", async () => {
    const number = did(1);
    const phone = await answeringPhone(number);
    const carrier = await carrierCall('127.0.0.1', number, false);
    const sdp = await delivered(phone.phone, carrier.carrier, false);
    for (const port of [carrier.probe.port, phone.probe.port]) expect([sdp.toPhone.port, sdp.toCarrier.port]).not.toContain(port);
    expect(sdp.toPhone.port).not.toBe(sdp.toCarrier.port);
    await expectRtpThrough(carrier.probe, phone.probe, sdp);
    await hangUp(number, phone.phone, carrier.carrier);
  });

  it("late offer: the phone's offer reaches the carrier's 200 rewritten by rtpengine, the carrier's ACK answer reaches the phone's ACK rewritten, and RTP flows", async () => {
    const number = did(2);
    const phone = await answeringPhone(number);
    const carrier = await carrierCall('127.0.0.1', number, true);
    const sdp = await delivered(phone.phone, carrier.carrier, true);
    expect(receivedRequests(phone.phone.messages(), 'INVITE')[0]?.body).toBe('');
    for (const port of [carrier.probe.port, phone.probe.port]) expect([sdp.toPhone.port, sdp.toCarrier.port]).not.toContain(port);
    expect(header(receivedRequests(phone.phone.messages(), 'ACK').find((m) => m.body !== ''), 'Content-Type')).toBe('application/sdp');
    await expectRtpThrough(carrier.probe, phone.probe, sdp);
    await hangUp(number, phone.phone, carrier.carrier);
  });

  it("the phone holds and resumes: its re-INVITEs reach the carrier through rtpengine on the anchored port, CHANNEL_HOLD/UNHOLD on both legs, RTP flows after", async () => {
    const number = did(4);
    const phone = await answeringPhone(number, true);
    const carrier = await carrierCall('127.0.0.1', number, false);
    const sdp = await delivered(phone.phone, carrier.carrier, false);
    const callerId = String(node.events.find((e) => e['Event-Name'] === 'CHANNEL_CREATE' && e['Call-Direction'] === 'inbound' && e['Callee-ID-Number'] === number)?.['Call-ID']);
    const phoneLeg = String(header(receivedRequests(phone.phone.messages(), 'INVITE')[0], 'Call-ID'));
    // re-INVITEs the carrier got from us (it set the call up itself, so every INVITE it received is one)
    const reinvites = (): LoggedSipMessage[] => receivedRequests(carrier.carrier.messages(), 'INVITE').filter((m, i, all) => all.findIndex((o) => o.headers['cseq']?.[0] === m.headers['cseq']?.[0]) === i);
    await waitFor(() => reinvites().length >= 2, { message: `hold and resume at the carrier\n${carrier.carrier.messages()}\n${phone.phone.log}`, timeoutMs: 20_000 });
    const [hold, resume] = reinvites();
    expect(hold?.body).toContain('a=sendonly');
    expect(resume?.body).not.toMatch(/a=(sendonly|inactive)/);
    for (const m of [hold, resume]) expect(sdpAudio(m?.body ?? '')).toEqual(sdp.toCarrier);
    for (const leg of [callerId, phoneLeg]) {
      await node.waitEvent(leg, 'CHANNEL_HOLD');
      await node.waitEvent(leg, 'CHANNEL_UNHOLD');
    }
    const toPhone = sdpAudio(parseSippLog(phone.phone.messages()).filter((m) => m.direction === 'received' && m.startLine.startsWith('SIP/2.0 200') && / INVITE$/.test(m.headers['cseq']?.[0] ?? '')).at(-1)?.body ?? '');
    if (toPhone === undefined) throw new Error(`no answer to the resume\n${phone.phone.messages()}`);
    await expectRtpThrough(carrier.probe, phone.probe, { toPhone, toCarrier: sdp.toCarrier });
    await hangUp(number, phone.phone, carrier.carrier);
  });

  it("a resource with inbound.media bypass: the endpoints' own SDP crosses as it is, even on a node with rtpengine", async () => {
    const number = did(3);
    const phone = await answeringPhone(number);
    const carrier = await carrierCall('127.0.0.6', number, false);
    const sdp = await delivered(phone.phone, carrier.carrier, false);
    expect(sdp.toPhone).toEqual({ address: carrier.probe.address, port: carrier.probe.port });
    expect(sdp.toCarrier).toEqual({ address: phone.probe.address, port: phone.probe.port });
    await hangUp(number, phone.phone, carrier.carrier, false);
  });
});
