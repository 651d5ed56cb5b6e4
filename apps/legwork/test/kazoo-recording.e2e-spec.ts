import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { waitFor } from '@legwork/common/testing';
import { RtpProbe, SippCarrier, SippPhone, freePort, parseWav, receivedRequests, soundMs, type RtpDestination } from '@legwork/originate/testing';
import { CallEvents, Rest, dataOf, startLegwork, type Json, type RunningPlatform } from './kazoo-platform.fixture';
import { CARRIER_SOUND, PACKET_MS, PHONE_SOUND, mediaTarget, talk } from './media-call.fixture';

jest.setTimeout(60_000);

const tag = randomBytes(3).toString('hex');

// Issue 10: a recorded call from the REST call to the downloaded WAV, through one legwork process, rtpengine and sipp.
describe('Kazoo recording end to end: quickcall media=process, record start/stop over channels, list and download the WAV', () => {
  let platform: RunningPlatform;
  let events: CallEvents;
  let master: Rest;
  let base: string;
  let deskId: string;
  let recordingDir: string;
  let phone: SippPhone;
  let carrier: SippCarrier;
  let carrierPort: number;
  let phoneMedia: RtpProbe;
  let carrierMedia: RtpProbe;

  beforeAll(async () => {
    recordingDir = mkdtempSync(join(tmpdir(), 'legwork-recordings-'));
    platform = await startLegwork('krec', { RTPENGINE_NG: process.env['RTPENGINE_NG'] ?? '127.0.0.1:2223', RECORDING_DIR: recordingDir });
    events = await CallEvents.open(platform.scratch.AMQP_NAMESPACE);
    const anon = new Rest(platform.apiUrl);
    const auth = await anon.call('PUT', '/v2/api_auth', { api_key: platform.bootstrapKey });
    master = anon.withToken(String(auth.body.auth_token));
    const realm = `krec-${tag}.legwork.test`;
    const account = String((await master.create(`/v2/accounts/${String(dataOf(auth)['account_id'])}`, { name: `krec-${tag}`, realm }))['id']);
    base = `/v2/accounts/${account}`;
    const owner = String((await master.create(`${base}/users`, { first_name: 'Rae', last_name: 'Cord', username: `rae-${tag}`, password: 'rae-pw' }))['id']);
    deskId = String((await master.create(`${base}/devices`, { name: 'desk', owner_id: owner, sip: { username: `desk-${tag}`, password: 'desk-pw' } }))['id']);
    carrierPort = await freePort();
    await master.create(`${base}/resources`, { name: 'carrier', gateways: [{ server: `127.0.0.1:${carrierPort}` }], rules: ['^\\+1415555\\d{4}$'] });

    [phoneMedia, carrierMedia] = await Promise.all([RtpProbe.create(), RtpProbe.create()]);
    phone = await SippPhone.start({ username: `desk-${tag}`, password: 'desk-pw', realm, registrar: `127.0.0.1:${platform.sipPort}`, behaviour: 'answer', sdp: { ip: '127.0.0.1', port: phoneMedia.port } });
    await phone.waitRegistered();
  }, 90_000);

  afterAll(async () => {
    await Promise.all([phone?.stop(), phoneMedia?.close(), carrierMedia?.close()]);
    await events?.close();
    await platform?.close();
    if (recordingDir !== undefined) rmSync(recordingDir, { recursive: true, force: true });
  }, 30_000);

  // the carrier answers one call (and re-INVITEs as RFC 3264 says): each test dials a fresh one
  beforeEach(async () => {
    carrier = await SippCarrier.start({ behaviour: 'answer-mirror', port: carrierPort, sdp: { ip: '127.0.0.1', port: carrierMedia.port } });
  });
  afterEach(async () => {
    await carrier?.stop();
  });

  it('RTP from both parties ends up in the WAV: left the phone, right the carrier, as long as it was recorded; the CDR names it', async () => {
    const res = await master.call('POST', `${base}/devices/${deskId}/quickcall/%2B14155550170?media=process`, {});
    expect(res.status).toBe(202);
    const callId = String(dataOf(res)['call_id']);
    await waitFor(() => events.of(callId, 'CHANNEL_BRIDGE').length === 1, { message: `CHANNEL_BRIDGE of ${callId}`, timeoutMs: 20_000 });
    const toRtpengine = (peer: { messages(): string }, who: string): Promise<RtpDestination> =>
      waitFor(() => mediaTarget(peer), { message: `the SDP ${who} was given`, timeoutMs: 10_000 });
    const [fromPhone, fromCarrier] = [await toRtpengine(phone, 'the phone'), await toRtpengine(carrier, 'the carrier')];
    // media=process: each party is given rtpengine's ports, never the other party's own
    expect([fromPhone.port, fromCarrier.port]).not.toContain(carrierMedia.port);
    expect([fromPhone.port, fromCarrier.port]).not.toContain(phoneMedia.port);

    const before = Date.now();
    const started = await master.call('PUT', `${base}/channels/${callId}`, { action: 'record', record_action: 'start' });
    expect([started.status, dataOf(started)]).toEqual([202, expect.objectContaining({ action: 'record', record_action: 'start', call_id: callId, recording_id: expect.any(String) })]);
    const recordingId = String(dataOf(started)['recording_id']);
    expect(dataOf(await master.call('GET', `${base}/channels/${callId}`))).toMatchObject({ recording: 'recording' });
    const again = await master.call('PUT', `${base}/channels/${callId}`, { action: 'record', record_action: 'start' });
    expect([again.status, again.body.data]).toEqual([409, { action: { invalid_state: { message: `call ${callId} is already being recorded`, value: 'recording' } } }]);
    // two seconds of each party, both talking at once
    const packets = 2000 / PACKET_MS;
    await Promise.all([talk(phoneMedia, fromPhone, carrierMedia, packets, PHONE_SOUND), talk(carrierMedia, fromCarrier, phoneMedia, packets, CARRIER_SOUND)]);
    const stopped = await master.call('PUT', `${base}/channels/${callId}`, { action: 'record', record_action: 'stop' });
    const recordedFor = Date.now() - before;
    expect([stopped.status, dataOf(stopped)]).toEqual([202, expect.objectContaining({ record_action: 'stop', recording_id: recordingId })]);

    await waitFor(() => events.of(callId, 'RECORDING_SAVED').length === 1, { message: 'RECORDING_SAVED', timeoutMs: 15_000 });
    const listed = await master.call('GET', `${base}/recordings`);
    expect(listed.status).toBe(200);
    expect(listed.body.data).toEqual([expect.objectContaining({ id: recordingId, call_id: callId, content_type: 'audio/wav' })]);
    const meta = await master.call('GET', `${base}/recordings/${recordingId}`);
    expect(dataOf(meta)).toMatchObject({ id: recordingId, call_id: callId, media_name: `${recordingId}.wav` });

    const download = await fetch(`${platform.apiUrl}${base}/recordings/${recordingId}`, { headers: { 'x-auth-token': String(master.token), accept: 'audio/wav' } });
    expect([download.status, download.headers.get('content-type')]).toEqual([200, 'audio/wav']);
    const wav = parseWav(Buffer.from(await download.arrayBuffer()));
    expect({ channels: wav.channels, rate: wav.sampleRate, bits: wav.bitsPerSample }).toEqual({ channels: 2, rate: 8000, bits: 16 });
    // the file holds the two seconds each party spoke (the RTP clock places them), and about no more than the recording lasted
    // (the upper bound allows for the recorder's copy of the first packet trailing under load; it measures no speed)
    expect(wav.durationMs).toBeGreaterThanOrEqual(2000);
    expect(wav.durationMs).toBeLessThanOrEqual(recordedFor + 1000);
    expect(Math.round(wav.durationMs)).toBe(dataOf(meta)['duration_ms']);
    for (const channel of [0, 1]) expect(soundMs(wav, channel)).toBeGreaterThanOrEqual(1800);
    // left: the leg named (the phone, negative samples); right: the carrier (positive)
    expect(wav.samples[0].find((s) => s !== 0)).toBeLessThan(0);
    expect(wav.samples[1].find((s) => s !== 0)).toBeGreaterThan(0);
    expect(wav.samples[0].some((s) => s > 0)).toBe(false);
    expect(wav.samples[1].some((s) => s < 0)).toBe(false);

    expect((await master.call('PUT', `${base}/channels/${callId}`, { action: 'hangup' })).status).toBe(202);
    await waitFor(() => events.of(callId, 'CHANNEL_DESTROY').length === 1, { message: 'CHANNEL_DESTROY', timeoutMs: 15_000 });
    expect(events.of(callId, 'CHANNEL_DESTROY')[0]).toMatchObject({ 'Recording-IDs': [recordingId] });
    let cdr: Json | undefined;
    await waitFor(async () => (cdr = dataOf(await master.call('GET', `${base}/cdrs/${callId}`)))['call_id'] === callId, { message: `CDR of ${callId}`, timeoutMs: 15_000, intervalMs: 250 });
    expect(cdr).toMatchObject({ call_id: callId, recording_ids: [recordingId] });
  });

  it('the recording goes on through a hold and unhold of the carrier (re-INVITEs through rtpengine): both parties are in the WAV before and after', async () => {
    const res = await master.call('POST', `${base}/devices/${deskId}/quickcall/%2B14155550171?media=process`, {});
    const callId = String(dataOf(res)['call_id']);
    await waitFor(() => events.of(callId, 'CHANNEL_BRIDGE').length === 1, { message: `CHANNEL_BRIDGE of ${callId}`, timeoutMs: 20_000 });
    const carrierLeg = String(events.of(callId, 'CHANNEL_BRIDGE')[0]?.['Other-Leg-Call-ID']);
    const both = async (packets: number): Promise<void> => {
      const [fromPhone, fromCarrier] = [mediaTarget(phone, callId), mediaTarget(carrier)];
      if (fromPhone === undefined || fromCarrier === undefined) throw new Error('a party was given no SDP');
      await Promise.all([talk(phoneMedia, fromPhone, carrierMedia, packets, PHONE_SOUND), talk(carrierMedia, fromCarrier, phoneMedia, packets, CARRIER_SOUND)]);
    };
    const recordingId = String(dataOf(await master.call('PUT', `${base}/channels/${callId}`, { action: 'record', record_action: 'start' }))['recording_id']);
    await both(25);
    expect(dataOf(await master.call('PUT', `${base}/channels/${carrierLeg}`, { action: 'hold' }))).toMatchObject({ state: 'held' });
    expect(dataOf(await master.call('PUT', `${base}/channels/${carrierLeg}`, { action: 'unhold' }))).toMatchObject({ state: 'bridged' });
    expect(receivedRequests(carrier.messages(), 'INVITE').length).toBeGreaterThanOrEqual(3);
    await both(25);
    // a moment for the recorder's copy of the last packets, which may trail what the parties hear
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await master.call('PUT', `${base}/channels/${callId}`, { action: 'record', record_action: 'stop' })).status).toBe(202);
    await waitFor(() => events.of(callId, 'RECORDING_SAVED').length === 1, { message: 'RECORDING_SAVED', timeoutMs: 15_000 });
    const download = await fetch(`${platform.apiUrl}${base}/recordings/${recordingId}`, { headers: { 'x-auth-token': String(master.token), accept: 'audio/wav' } });
    const wav = parseWav(Buffer.from(await download.arrayBuffer()));
    // 25 packets of 20 ms from each party before the hold and 25 after
    expect([soundMs(wav, 0), soundMs(wav, 1)]).toEqual([1000, 1000]);
    expect((await master.call('PUT', `${base}/channels/${callId}`, { action: 'hangup' })).status).toBe(202);
  });
});
