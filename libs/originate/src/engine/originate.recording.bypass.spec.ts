import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@legwork/common/testing';
import { createRtpengineClient } from '../media/rtpengine/rtpengine-client';
import { testRtpengineAddress } from '../media/rtpengine/rtpengine-test.env';
import type { RtpengineClient } from '../media/rtpengine/rtpengine.types';
import { Controlled, bridged } from '../testing/controlled-engine';
import { EngineHarness } from '../testing/engine-harness';
import { RtpProbe } from '../testing/rtp-probe';
import { TestPhone } from '../testing/test-phone';
import { readWav, soundMs } from '../testing/wav-reader';

// µ-law bytes that decode to sound of opposite signs: each side is told apart in the file
const A_SOUND = 0x10;
const B_SOUND = 0x90;

jest.setTimeout(30_000);

describe('recording a bypass call: re-anchored on rtpengine (real rtpengine)', () => {
  let h: EngineHarness;
  let c: Controlled;
  let rtpengine: RtpengineClient;
  let dir: string;
  const closers: Array<{ close(): Promise<void> }> = [];
  const calls: string[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'legwork-rec-bypass-'));
    rtpengine = createRtpengineClient(testRtpengineAddress());
    h = await EngineHarness.start({}, { rtpengine, recording: { dir, listenAddress: '127.0.0.1' } });
    c = await new Controlled(h).start();
  });
  afterEach(async () => {
    for (const id of calls.splice(0)) {
      await h.engine.hangup(id);
      await waitFor(() => h.eventsOf(id).includes('CHANNEL_DESTROY'), { timeoutMs: 10_000 });
    }
    await c.stop();
    await Promise.all(closers.splice(0).map((p) => p.close()));
    await h.close();
    await rtpengine.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** A bypass call device → carrier, each party's media on its own probe; `before` counts the SDPs each got while it was set up. */
  const call = async (id: string) => {
    const probes = await Promise.all([RtpProbe.create(), RtpProbe.create()]);
    const phones = await Promise.all([TestPhone.start({ kind: 'answer' }), TestPhone.start({ kind: 'answer' })]);
    closers.push(...probes, ...phones);
    phones.forEach((p, i) => p.useMedia(probes[i]));
    const legs = await bridged(h, phones[0], phones[1], id, 'bypass');
    calls.push(legs.a);
    // the device: the black hole in its ACK, then the carrier's SDP by re-INVITE; the carrier: the device's offer
    await waitFor(() => phones[0].receivedSdp.length >= 2 && phones[1].receivedSdp.length >= 1);
    return { legs, phones, probes, before: [phones[0].receivedSdp.length, phones[1].receivedSdp.length] };
  };
  const record = (action: 'start' | 'pause' | 'resume' | 'stop', callId: string) => c.command({ 'Application-Name': `record_${action}`, 'Call-ID': callId });
  const saved = (callId: string) => h.events.find((e) => e['Event-Name'] === 'RECORDING_SAVED' && e['Call-ID'] === callId);
  const audioOf = (sdp: string | undefined) => (sdp === undefined ? undefined : RtpProbe.destinationOf(sdp));
  /** Whether rtpengine still holds the session a recording anchored the call in. */
  const anchored = (callId: string): Promise<boolean> => rtpengine.query(`rec-${callId}`).then(() => true, () => false);

  it('record_start re-INVITEs both parties onto rtpengine, RTP of both sides ends up in the WAV, and the call stays anchored', async () => {
    const { legs, phones, probes, before } = await call('recbp-ok');
    const [pa, pb] = probes;
    const started = await record('start', legs.a);
    expect(started).toMatchObject({ Result: 'ok', 'Result-Data': { 'Recording-State': 'recording' } });
    expect(phones.map((p) => p.receivedSdp.length)).toEqual([before[0] + 1, before[1] + 1]);
    const forA = phones[0].receivedSdp[before[0]];
    const forB = phones[1].receivedSdp[before[1]];
    // rtpengine's ports now: neither party is told the other's probe any more
    expect(audioOf(forA)).not.toEqual({ address: pb.address, port: pb.port });
    expect(audioOf(forB)).not.toEqual({ address: pa.address, port: pa.port });
    expect(audioOf(forA)?.port).not.toBe(audioOf(forB)?.port);
    const relay = async (from: RtpProbe, to: RtpProbe, sdp: string, fill: number, at: string): Promise<void> => {
      await from.sendToSdp(sdp, 50, { fill });
      const got = await to.waitFor(50, { ssrc: from.ssrc, timeoutMs: 10_000 });
      // it comes from rtpengine's side toward the receiving party
      expect(got[0].from.port).toBe(audioOf(at)?.port);
    };
    await Promise.all([relay(pa, pb, forA, A_SOUND, forB), relay(pb, pa, forB, B_SOUND, forA)]);
    await new Promise((r) => setTimeout(r, 150));
    expect(await record('stop', legs.a)).toMatchObject({ Result: 'ok', 'Result-Data': { 'Recording-State': 'idle' } });
    await waitFor(() => saved(legs.a) !== undefined, { timeoutMs: 5000 });
    const wav = await readWav(String(saved(legs.a)?.['Recording-Location']));
    expect(soundMs(wav, 0)).toBe(1000);
    expect(soundMs(wav, 1)).toBe(1000);
    expect(wav.samples[0].find((s) => s !== 0)).toBeLessThan(0);
    expect(wav.samples[1].find((s) => s !== 0)).toBeGreaterThan(0);
    // anchored for good: a second recording starts without moving anybody again
    expect(await record('start', legs.b)).toMatchObject({ Result: 'ok', 'Result-Data': { 'Recording-State': 'recording' } });
    expect(phones.map((p) => p.receivedSdp.length)).toEqual([before[0] + 1, before[1] + 1]);
    expect(await record('stop', legs.b)).toMatchObject({ Result: 'ok' });
    // a hold afterwards is a hold through rtpengine: sendonly on the port the carrier was moved to
    expect(await c.command({ 'Application-Name': 'hold', 'Call-ID': legs.b })).toMatchObject({ Result: 'ok' });
    const held = phones[1].receivedSdp.at(-1) ?? '';
    expect(held).toContain('a=sendonly');
    expect(audioOf(held)).toEqual(audioOf(forB));
    // the session lives as long as the call
    expect(await anchored(legs.a)).toBe(true);
    await h.engine.hangup(legs.a);
    await waitFor(async () => !(await anchored(legs.a)), { timeoutMs: 10_000, message: 'rtpengine session deleted at hangup' });
  });

  it('the second party refusing (488) moves the first one back: not_supported, nothing recorded', async () => {
    const { legs, phones, probes, before } = await call('recbp-488');
    phones[1].refuseReinvites = 488;
    const started = await record('start', legs.a);
    expect(started).toMatchObject({ Result: 'not_supported' });
    expect(String(started['Result-Message'])).toContain(`the party of call ${legs.b} refused to move its media to rtpengine for recording (488`);
    // the device: rtpengine's SDP, then the carrier's own again
    expect(phones[0].receivedSdp.length).toBe(before[0] + 2);
    expect(audioOf(phones[0].receivedSdp[before[0] + 1])).toEqual({ address: probes[1].address, port: probes[1].port });
    expect(h.eventsOf(legs.a).filter((n) => n.startsWith('RECORD'))).toEqual([]);
    expect(h.engine.findCall(legs.a)?.leg(legs.a)?.media?.anchor).toBeUndefined();
    expect(await anchored(legs.a)).toBe(false);
    // the parties still reach each other directly
    await probes[0].sendToSdp(phones[0].receivedSdp[before[0] + 1], 5);
    expect((await probes[1].waitFor(5, { ssrc: probes[0].ssrc }))[0].from.port).toBe(probes[0].port);
  });

  it('the second party never answering its re-INVITE (100 Trying, then nothing) moves the first one back as a refusal does', async () => {
    const { legs, phones, probes, before } = await call('recbp-silent');
    phones[1].refuseReinvites = 'silent';
    const started = await record('start', legs.a);
    expect(started).toMatchObject({ Result: 'not_supported' });
    expect(String(started['Result-Message'])).toContain(`the party of call ${legs.b} did not answer the re-INVITE moving its media to rtpengine`);
    expect(phones[0].receivedSdp.length).toBe(before[0] + 2);
    expect(audioOf(phones[0].receivedSdp[before[0] + 1])).toEqual({ address: probes[1].address, port: probes[1].port });
    expect(await anchored(legs.a)).toBe(false);
  });

  it('a 2xx that comes after the wait moves that party back off rtpengine too', async () => {
    const { legs, phones, probes, before } = await call('recbp-late');
    // Timer B of the harness stack is 64 × 50 ms
    phones[1].refuseReinvites = { answerAfterMs: 4500 };
    expect(await record('start', legs.a)).toMatchObject({ Result: 'not_supported' });
    phones[1].refuseReinvites = undefined;
    await waitFor(() => phones[1].receivedSdp.length >= before[1] + 2, { timeoutMs: 10_000, message: 'the late party moved back' });
    expect(audioOf(phones[1].receivedSdp[before[1] + 1])).toEqual({ address: probes[0].address, port: probes[0].port });
    expect(audioOf(phones[0].receivedSdp.at(-1))).toEqual({ address: probes[1].address, port: probes[1].port });
  });

  it('the first party refusing leaves the other untouched', async () => {
    const { legs, phones, before } = await call('recbp-first');
    phones[0].refuseReinvites = 488;
    expect(await record('start', legs.a)).toMatchObject({ Result: 'not_supported' });
    expect(phones[1].receivedSdp.length).toBe(before[1]);
    expect(phones[0].receivedSdp.length).toBe(before[0] + 1);
    // refused, not broken: the call can still be asked again once the party accepts
    phones[0].refuseReinvites = undefined;
    expect(await record('start', legs.a)).toMatchObject({ Result: 'ok' });
  });
});
