import { waitFor } from '@legwork/common/testing';
import { directionOf, mediaSummary } from '@legwork/sip';
import { createRtpengineClient } from '../media/rtpengine/rtpengine-client';
import { testRtpengineAddress } from '../media/rtpengine/rtpengine-test.env';
import type { RtpengineClient } from '../media/rtpengine/rtpengine.types';
import { Controlled, bridged } from '../testing/controlled-engine';
import { EngineHarness } from '../testing/engine-harness';
import { RtpProbe } from '../testing/rtp-probe';
import { TestPhone } from '../testing/test-phone';

describe('call control with Media: process (real rtpengine)', () => {
  let h: EngineHarness;
  let c: Controlled;
  let rtpengine: RtpengineClient;
  const closers: Array<{ close(): Promise<void> }> = [];

  beforeEach(async () => {
    rtpengine = createRtpengineClient(testRtpengineAddress());
    h = await EngineHarness.start({}, { rtpengine });
    c = await new Controlled(h).start();
  });
  afterEach(async () => {
    await c.stop();
    await Promise.all(closers.splice(0).map((p) => p.close()));
    await h.close();
    await rtpengine.close();
  });

  const anchoredPair = async (): Promise<{ probes: RtpProbe[]; phones: TestPhone[] }> => {
    const probes = await Promise.all([RtpProbe.create(), RtpProbe.create(), RtpProbe.create()]);
    const phones = await Promise.all([TestPhone.start({ kind: 'answer' }), TestPhone.start({ kind: 'answer' }), TestPhone.start({ kind: 'answer' })]);
    closers.push(...probes, ...phones);
    phones.forEach((p, i) => p.useMedia(probes[i]));
    return { probes, phones };
  };

  it('the held party hears the hold media from rtpengine instead of the other side; unhold brings the other side back', async () => {
    const { probes: [pa, pb], phones: [device, carrier] } = await anchoredPair();
    const call = await bridged(h, device, carrier, 'moh-a', 'process');
    await waitFor(() => device.receivedSdp.length >= 1 && carrier.receivedSdp.length >= 1);
    const forA = device.receivedSdp[0];
    expect(await c.command({ 'Application-Name': 'hold', 'Call-ID': call.b })).toMatchObject({ Result: 'ok', 'Call-State': 'held' });
    expect(directionOf(carrier.receivedSdp.at(-1) ?? '')).toBe('sendonly');
    // nobody sends: what reaches the held carrier is rtpengine's playback
    const played = await pb.waitFor(10, { timeoutMs: 5000 });
    expect(played.every((p) => p.ssrc !== pa.ssrc)).toBe(true);
    await pa.sendToSdp(forA, 20, { intervalMs: 2 });
    await new Promise((r) => setTimeout(r, 200));
    expect(pb.from(pa.ssrc)).toHaveLength(0);

    expect(await c.command({ 'Application-Name': 'unhold', 'Call-ID': call.b })).toMatchObject({ Result: 'ok', 'Call-State': 'bridged' });
    expect(directionOf(carrier.receivedSdp.at(-1) ?? '')).toBe('sendrecv');
    await pa.sendToSdp(forA, 20, { intervalMs: 2 });
    await pb.waitFor(10, { ssrc: pa.ssrc, timeoutMs: 5000 });
  });

  it('blind transfer: RTP flows between the remaining party and the new destination through rtpengine', async () => {
    const { probes: [, pb, pc], phones: [device, first, second] } = await anchoredPair();
    const call = await bridged(h, device, first, 'pxfer-a', 'process');
    await waitFor(() => first.receivedSdp.length >= 1);
    const forB = first.receivedSdp[0];
    h.resolver.carrier = second;
    expect(await c.command({ 'Application-Name': 'blind_transfer', 'Call-ID': call.a, 'Transfer-To': '+15550002222' })).toMatchObject({ Result: 'ok' });
    await waitFor(() => h.events.some((e) => e['Event-Name'] === 'CHANNEL_BRIDGE' && e['Call-ID'] === call.b && e['Other-Leg-Call-ID'] !== call.a), { timeoutMs: 10_000 });
    const forC = second.receivedSdp[0] ?? '';
    expect(mediaSummary(forC)?.port).not.toBe(pb.port);
    await pb.sendToSdp(forB, 20, { intervalMs: 2 });
    await pc.waitFor(10, { ssrc: pb.ssrc, timeoutMs: 5000 });
    await pc.sendToSdp(forC, 20, { intervalMs: 2 });
    await pb.waitFor(10, { ssrc: pc.ssrc, timeoutMs: 5000 });
  });
});
