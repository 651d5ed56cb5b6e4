import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
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

describe('call recording with Media: process (real rtpengine)', () => {
  let h: EngineHarness;
  let c: Controlled;
  let rtpengine: RtpengineClient;
  let dir: string;
  const closers: Array<{ close(): Promise<void> }> = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'legwork-rec-'));
    rtpengine = createRtpengineClient(testRtpengineAddress());
    h = await EngineHarness.start({}, { rtpengine, recording: { dir, listenAddress: '127.0.0.1' } });
    c = await new Controlled(h).start();
  });
  afterEach(async () => {
    await c.stop();
    await Promise.all(closers.splice(0).map((p) => p.close()));
    await h.close();
    await rtpengine.close();
    await rm(dir, { recursive: true, force: true });
  });

  const call = async (id: string, media: 'process' | 'bypass' = 'process') => {
    const probes = await Promise.all([RtpProbe.create(), RtpProbe.create()]);
    const phones = await Promise.all([TestPhone.start({ kind: 'answer' }), TestPhone.start({ kind: 'answer' })]);
    closers.push(...probes, ...phones);
    phones.forEach((p, i) => p.useMedia(probes[i]));
    const legs = await bridged(h, phones[0], phones[1], id, media);
    await waitFor(() => phones[0].receivedSdp.length >= 1 && phones[1].receivedSdp.length >= 1);
    const [pa, pb] = probes;
    const [forA, forB] = [phones[0].receivedSdp[0], phones[1].receivedSdp[0]];
    // both sides talk; each waits until rtpengine relayed it, so the recorder's copy has arrived too
    const talk = async (packets: number, sides: 'a' | 'b' | 'both' = 'both'): Promise<void> => {
      const sends: Array<Promise<unknown>> = [];
      const relay = async (from: RtpProbe, to: RtpProbe, sdp: string, fill: number): Promise<void> => {
        const before = to.from(from.ssrc).length;
        await from.sendToSdp(sdp, packets, { fill });
        await to.waitFor(before + packets, { ssrc: from.ssrc });
      };
      if (sides !== 'b') sends.push(relay(pa, pb, forA, A_SOUND));
      if (sides !== 'a') sends.push(relay(pb, pa, forB, B_SOUND));
      await Promise.all(sends);
      await new Promise((r) => setTimeout(r, 150));
    };
    return { legs, talk };
  };
  const record = (action: 'start' | 'pause' | 'resume' | 'stop', callId: string) => c.command({ 'Application-Name': `record_${action}`, 'Call-ID': callId });
  const saved = (callId: string) => h.events.find((e) => e['Event-Name'] === 'RECORDING_SAVED' && e['Call-ID'] === callId);

  it('start then stop: one stereo WAV with a second of each side, RECORD_START, RECORD_STOP and RECORDING_SAVED naming it', async () => {
    const { legs, talk } = await call('rec-a');
    const started = await record('start', legs.a);
    expect(started).toMatchObject({ Result: 'ok', 'Result-Data': { 'Recording-State': 'recording' } });
    const id = String((started['Result-Data'] as Record<string, unknown>)['Media-Recording-ID']);
    await talk(50);
    expect(await record('stop', legs.a)).toMatchObject({ Result: 'ok', 'Result-Data': { 'Media-Recording-ID': id, 'Recording-State': 'idle' } });
    await waitFor(() => saved(legs.a) !== undefined, { timeoutMs: 5000 });
    const ev = saved(legs.a) ?? {};
    expect(ev).toMatchObject({ 'Media-Recording-ID': id, 'Media-Name': `${id}.wav`, 'Content-Type': 'audio/wav' });
    expect(String(ev['Recording-Location'])).toBe(join(dir, h.accountId, `${id}.wav`));
    const wav = await readWav(String(ev['Recording-Location']));
    expect({ channels: wav.channels, rate: wav.sampleRate, bits: wav.bitsPerSample }).toEqual({ channels: 2, rate: 8000, bits: 16 });
    expect(ev.Length).toBe(Math.round(wav.durationMs));
    expect(wav.durationMs).toBeGreaterThanOrEqual(1000);
    // 50 packets of 20 ms from each side, wherever in the file they landed
    expect(soundMs(wav, 0)).toBe(1000);
    expect(soundMs(wav, 1)).toBe(1000);
    expect(wav.samples[0].find((s) => s !== 0)).toBeLessThan(0);
    expect(wav.samples[1].find((s) => s !== 0)).toBeGreaterThan(0);
    expect(h.eventsOf(legs.a).filter((n) => n.startsWith('RECORD'))).toEqual(['RECORD_START', 'RECORD_STOP', 'RECORDING_SAVED']);
    // the WAV and what a listing reads of it are left; the raw tracks are gone
    expect((await readdir(join(dir, h.accountId))).sort()).toEqual([`${id}.json`, `${id}.wav`]);
    expect(JSON.parse(await readFile(join(dir, h.accountId, `${id}.json`), 'utf8'))).toMatchObject({ id, call_id: legs.a, content_type: 'audio/wav', duration_ms: ev.Length, size_bytes: ev['Size-Bytes'] });
  });

  it('pause then resume leaves a gap of silence where the parties spoke while paused', async () => {
    const { legs, talk } = await call('rec-p');
    // both legs' records carry the state the dialects' call views read
    const stored = async () => (await Promise.all([h.store.calls.get(legs.a), h.store.calls.get(legs.b)])).map((r) => r?.recording);
    expect(await stored()).toEqual(['off', 'off']);
    expect(await record('start', legs.a)).toMatchObject({ Result: 'ok', 'Result-Data': { 'Recording-State': 'recording' } });
    expect(await stored()).toEqual(['recording', 'recording']);
    await talk(25, 'a');
    expect(await record('pause', legs.a)).toMatchObject({ Result: 'ok', 'Result-Data': { 'Recording-State': 'paused' } });
    expect(await stored()).toEqual(['paused', 'paused']);
    await talk(25, 'a');
    expect(await record('resume', legs.a)).toMatchObject({ Result: 'ok', 'Result-Data': { 'Recording-State': 'recording' } });
    await talk(25, 'a');
    await record('stop', legs.a);
    await waitFor(() => saved(legs.a) !== undefined, { timeoutMs: 5000 });
    expect(await stored()).toEqual(['stopped', 'stopped']);
    const wav = await readWav(String(saved(legs.a)?.['Recording-Location']));
    // one RTP clock: 0.5 s kept, 0.5 s dropped, 0.5 s kept
    const first = wav.samples[0].findIndex((s) => s !== 0) / 8;
    expect(soundMs(wav, 0, first, first + 500)).toBe(500);
    expect(soundMs(wav, 0, first + 500, first + 1000)).toBe(0);
    expect(soundMs(wav, 0, first + 1000, first + 1500)).toBe(500);
    expect(h.eventsOf(legs.a).filter((n) => n.startsWith('RECORD'))).toEqual(['RECORD_START', 'RECORD_PAUSE', 'RECORD_RESUME', 'RECORD_STOP', 'RECORDING_SAVED']);
  });

  it('commands that do not apply answer invalid_state with the recording state and why', async () => {
    const { legs } = await call('rec-i');
    expect(await record('pause', legs.a)).toMatchObject({ Result: 'invalid_state', 'Call-State': 'idle', 'Result-Message': `call ${legs.a} is not being recorded: it cannot be paused` });
    expect(await record('resume', legs.a)).toMatchObject({ Result: 'invalid_state', 'Call-State': 'idle' });
    expect(await record('stop', legs.b)).toMatchObject({ Result: 'invalid_state', 'Call-State': 'idle' });
    await record('start', legs.a);
    expect(await record('start', legs.b)).toMatchObject({ Result: 'invalid_state', 'Call-State': 'recording', 'Result-Message': `call ${legs.b} is already being recorded` });
    expect(await record('resume', legs.a)).toMatchObject({ Result: 'invalid_state', 'Call-State': 'recording', 'Result-Message': `the recording of call ${legs.a} is not paused` });
    await record('pause', legs.a);
    expect(await record('pause', legs.a)).toMatchObject({ Result: 'invalid_state', 'Call-State': 'paused' });
    // a paused recording can be stopped, and then nothing is recorded any more
    expect(await record('stop', legs.a)).toMatchObject({ Result: 'ok', 'Result-Data': { 'Recording-State': 'idle' } });
    expect(await record('stop', legs.a)).toMatchObject({ Result: 'invalid_state', 'Call-State': 'idle' });
  });

  it('a hangup while recording saves the file before CHANNEL_DESTROY, and the CDR names the recording', async () => {
    const { legs, talk } = await call('rec-h');
    const started = await record('start', legs.a);
    await talk(10);
    expect(await c.command({ 'Application-Name': 'hangup', 'Call-ID': legs.a })).toMatchObject({ Result: 'ok' });
    await waitFor(() => h.eventsOf(legs.a).includes('CHANNEL_DESTROY'), { timeoutMs: 10_000 });
    const id = (started['Result-Data'] as Record<string, unknown>)['Media-Recording-ID'];
    const names = h.eventsOf(legs.a);
    expect(names.filter((n) => ['RECORD_STOP', 'RECORDING_SAVED', 'CHANNEL_DESTROY'].includes(n))).toEqual(['RECORD_STOP', 'RECORDING_SAVED', 'CHANNEL_DESTROY']);
    expect(h.event(legs.a, 'CHANNEL_DESTROY')).toMatchObject({ 'Recording-IDs': [id] });
    await waitFor(() => h.eventsOf(legs.b).includes('CHANNEL_DESTROY'), { timeoutMs: 10_000 });
    expect(h.event(legs.b, 'CHANNEL_DESTROY')).toMatchObject({ 'Recording-IDs': [id] });
  });
});
