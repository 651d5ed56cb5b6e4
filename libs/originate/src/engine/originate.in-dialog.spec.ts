import { waitFor } from '@legwork/common/testing';
import { directionOf, mediaSummary, setDirection, withNextVersion } from '@legwork/sip';
import { createRtpengineClient } from '../media/rtpengine/rtpengine-client';
import { testRtpengineAddress } from '../media/rtpengine/rtpengine-test.env';
import type { RtpengineClient } from '../media/rtpengine/rtpengine.types';
import { EngineHarness } from '../testing/engine-harness';
import { RtpProbe } from '../testing/rtp-probe';
import { TestPhone } from '../testing/test-phone';

const ep = (user: string, id: string) => ({ 'Invite-Format': 'username' as const, 'To-Username': user, 'To-Realm': 'example.com', 'Outbound-Call-ID': id });

/** A transfer device → carrier, both answered and bridged; resolves with the two leg ids. */
async function bridged(h: EngineHarness, device: TestPhone, carrier: TestPhone, aId: string, media: 'bypass' | 'process' = 'bypass'): Promise<{ a: string; b: string }> {
  h.resolver.phones.set('dev', device);
  h.resolver.carrier = carrier;
  const outcome = await h.engine.originate(h.request({ 'Application-Name': 'transfer', 'Application-Data': { Route: '+15550001111' }, Media: media, Endpoints: [ep('dev', aId)] }), { accountId: h.accountId });
  if (!outcome.ok) throw new Error(outcome.cause);
  let b = '';
  await waitFor(() => {
    b = String(h.events.find((e) => e['Event-Name'] === 'CHANNEL_BRIDGE' && e['Other-Leg-Call-ID'] === aId)?.['Call-ID'] ?? '');
    return b !== '' && h.eventsOf(aId).includes('CHANNEL_BRIDGE');
  }, { timeoutMs: 10_000 });
  await waitFor(() => device.dialogs.length === 1 && carrier.dialogs.length === 1 && device.receivedSdp.length >= 2);
  return { a: aId, b };
}

describe('OriginateEngine: in-dialog requests of a live call', () => {
  let h: EngineHarness;
  const closers: Array<{ close(): Promise<void> }> = [];
  const phone = async (): Promise<TestPhone> => {
    const p = await TestPhone.start({ kind: 'answer' });
    closers.push(p);
    return p;
  };

  beforeEach(async () => {
    h = await EngineHarness.start();
  });
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((c) => c.close()));
    await h.close();
  });

  it('bypass: a phone holding (sendonly) reaches the carrier as sendonly, gets its recvonly answer, and both legs publish CHANNEL_HOLD, then CHANNEL_UNHOLD', async () => {
    const [device, carrier] = [await phone(), await phone()];
    const call = await bridged(h, device, carrier, 'hold-a');
    const held = withNextVersion(setDirection(device.sdp, 'sendonly'));
    const reply = await device.dialogs[0].reinvite({ body: held });
    expect(reply.status).toBe(200);
    expect(directionOf(reply.body.toString())).toBe('recvonly');
    // the carrier's answer, under the node's own origin toward the phone
    expect(mediaSummary(reply.body.toString())?.port).toBe(carrier.media.port);
    expect(reply.body.toString()).toMatch(/^o=legwork /m);
    expect(carrier.receivedSdp.at(-1)).toBe(held);
    await waitFor(() => h.eventsOf(call.a).includes('CHANNEL_HOLD') && h.eventsOf(call.b).includes('CHANNEL_HOLD'));
    expect(h.event(call.a, 'CHANNEL_HOLD')).toMatchObject({ 'Other-Leg-Call-ID': call.b });
    expect((await h.store.calls.get(call.a))?.hold).toBe('remote');
    expect((await h.store.calls.get(call.b))?.hold).toBe('local');

    const resumed = await device.dialogs[0].reinvite({ body: withNextVersion(setDirection(held, 'sendrecv')) });
    expect([resumed.status, directionOf(resumed.body.toString())]).toEqual([200, 'sendrecv']);
    await waitFor(() => h.eventsOf(call.a).includes('CHANNEL_UNHOLD') && h.eventsOf(call.b).includes('CHANNEL_UNHOLD'));
    expect((await h.store.calls.get(call.a))?.hold).toBeUndefined();
    await device.hangup();
    await waitFor(() => h.eventsOf(call.b).includes('CHANNEL_DESTROY'));
  });

  it("bypass: the carrier's re-INVITE is relayed to the phone, an UPDATE with an offer is answered with SDP, and an unchanged refresh is answered at once", async () => {
    const [device, carrier] = [await phone(), await phone()];
    const call = await bridged(h, device, carrier, 'relay-a');
    const before = device.receivedSdp.length;
    const fromCarrier = withNextVersion(setDirection(carrier.dialogs[0].localSdp ?? '', 'sendonly'));
    const reply = await carrier.dialogs[0].reinvite({ body: fromCarrier });
    expect([reply.status, directionOf(reply.body.toString())]).toEqual([200, 'recvonly']);
    expect(device.receivedSdp.length).toBe(before + 1);
    expect(directionOf(device.receivedSdp.at(-1) ?? '')).toBe('sendonly');
    await waitFor(() => h.eventsOf(call.b).includes('CHANNEL_HOLD') && h.eventsOf(call.a).includes('CHANNEL_HOLD'));

    const update = await device.dialogs[0].request('UPDATE', { body: withNextVersion(device.dialogs[0].localSdp ?? device.sdp) });
    expect(update.status).toBe(200);
    expect(update.body.toString()).toContain('m=audio');
    const invitesAtCarrier = carrier.transactionsOf('INVITE').length;
    const refresh = await device.dialogs[0].reinvite({ body: device.dialogs[0].localSdp ?? '' });
    expect(refresh.status).toBe(200);
    expect(carrier.transactionsOf('INVITE').length).toBe(invitesAtCarrier);
  });

  it("bypass: an offerless re-INVITE gets the phone's SDP in force as the offer, and the answer in its ACK reaches the carrier", async () => {
    const [device, carrier] = [await phone(), await phone()];
    await bridged(h, device, carrier, 'offerless-a');
    const inForce = device.dialogs[0].remoteSdp;
    const moved = withNextVersion(device.sdp.replace(`m=audio ${device.media.port}`, `m=audio ${device.media.port + 2}`));
    const reply = await device.dialogs[0].reinvite({ answer: () => moved });
    expect([reply.status, reply.body.toString()]).toEqual([200, inForce]);
    await waitFor(() => carrier.receivedSdp.at(-1) === moved);
  });

  it('a parked phone that holds is answered by the node itself (RFC 3725 black hole), never 488', async () => {
    const device = await phone();
    h.resolver.phones.set('parked', device);
    const outcome = await h.engine.originate(h.request({ Endpoints: [ep('parked', 'parked-a')] }), { accountId: h.accountId });
    expect(outcome.ok).toBe(true);
    await waitFor(() => device.dialogs.length === 1);
    const reply = await device.dialogs[0].reinvite({ body: withNextVersion(setDirection(device.sdp, 'sendonly')) });
    expect([reply.status, directionOf(reply.body.toString())]).toEqual([200, 'inactive']);
    await waitFor(() => h.eventsOf('parked-a').includes('CHANNEL_HOLD'));
    await h.engine.hangup('parked-a');
    await waitFor(() => h.eventsOf('parked-a').includes('CHANNEL_DESTROY'));
  });
});

describe('OriginateEngine: in-dialog requests with Media: process (real rtpengine)', () => {
  let h: EngineHarness;
  let rtpengine: RtpengineClient;
  const closers: Array<{ close(): Promise<void> }> = [];

  beforeEach(async () => {
    rtpengine = createRtpengineClient(testRtpengineAddress());
    h = await EngineHarness.start({}, { rtpengine });
  });
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((c) => c.close()));
    await h.close();
    await rtpengine.close();
  });

  it('updates rtpengine on hold and unhold: each side keeps seeing rtpengine, and audio flows again after unhold', async () => {
    const [probeA, probeB] = await Promise.all([RtpProbe.create(), RtpProbe.create()]);
    const [device, carrier] = await Promise.all([TestPhone.start({ kind: 'answer' }), TestPhone.start({ kind: 'answer' })]);
    closers.push(probeA, probeB, device, carrier);
    device.useMedia(probeA);
    carrier.useMedia(probeB);
    h.resolver.phones.set('dev', device);
    h.resolver.carrier = carrier;
    const outcome = await h.engine.originate(h.request({ 'Application-Name': 'transfer', 'Application-Data': { Route: '+15550001111' }, Media: 'process', Endpoints: [ep('dev', 'proc-hold')] }), { accountId: h.accountId });
    expect(outcome.ok).toBe(true);
    await waitFor(() => device.dialogs.length === 1 && carrier.dialogs.length === 1 && h.eventsOf('proc-hold').includes('CHANNEL_BRIDGE'), { timeoutMs: 10_000 });
    const towardPhone = device.receivedSdp[0];
    const held = withNextVersion(setDirection(device.dialogs[0].localSdp ?? '', 'sendonly'));
    const reply = await device.dialogs[0].reinvite({ body: held });
    expect([reply.status, directionOf(reply.body.toString())]).toEqual([200, 'recvonly']);
    // the phone still talks to rtpengine's port, the carrier got rtpengine's sendonly offer, never the phone's own address
    expect(mediaSummary(reply.body.toString())?.port).toBe(mediaSummary(towardPhone)?.port);
    const atCarrier = carrier.receivedSdp.at(-1) ?? '';
    expect([directionOf(atCarrier), mediaSummary(atCarrier)?.port]).toEqual(['sendonly', mediaSummary(carrier.receivedSdp[0])?.port]);
    await waitFor(() => h.eventsOf('proc-hold').includes('CHANNEL_HOLD'));

    const resumed = await device.dialogs[0].reinvite({ body: withNextVersion(setDirection(held, 'sendrecv')) });
    expect([resumed.status, directionOf(resumed.body.toString())]).toEqual([200, 'sendrecv']);
    await waitFor(() => h.eventsOf('proc-hold').includes('CHANNEL_UNHOLD'));
    const toRtpForA = resumed.body.toString();
    const toRtpForB = carrier.receivedSdp.at(-1) ?? '';
    await probeA.sendToSdp(toRtpForA, 10, { intervalMs: 2 });
    await probeB.waitFor(5, { ssrc: probeA.ssrc, timeoutMs: 5000 });
    await probeB.sendToSdp(toRtpForB, 10, { intervalMs: 2 });
    await probeA.waitFor(5, { ssrc: probeB.ssrc, timeoutMs: 5000 });
    await device.hangup();
    await waitFor(() => h.eventsOf('proc-hold').includes('CHANNEL_DESTROY'));
  });
});
