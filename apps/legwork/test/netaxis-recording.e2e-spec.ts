import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { waitFor } from '@legwork/common/testing';
import { RtpProbe, SippCarrier, SippPhone, freePort, parseWav, soundMs, type RtpDestination, type WavContent } from '@legwork/originate/testing';
import { CallEvents, Rest, dataOf, startLegwork, type Json, type RunningPlatform } from './kazoo-platform.fixture';
import { CARRIER_SOUND, PACKET_MS, PHONE_SOUND, mediaTarget, talk } from './media-call.fixture';
import { NetaxisClient } from './netaxis-client.fixture';

jest.setTimeout(60_000);

const tag = randomBytes(3).toString('hex');

// Issue 10, seed 004: the recording controls of a click-to-dial call as the Netaxis call service shows them, and the file they leave.
describe('Netaxis recording end to end: start, pause, resume, stop on a media=process call; the WAV has the pause as silence', () => {
  let platform: RunningPlatform;
  let events: CallEvents;
  let master: Rest;
  let ann: NetaxisClient;
  let base: string;
  let tenant: string;
  let calls: (rest?: string) => string;
  let recordingDir: string;
  let phone: SippPhone;
  let carrier: SippCarrier | undefined;
  let carrierPort: number;
  let phoneMedia: RtpProbe;
  let carrierMedia: RtpProbe;

  beforeAll(async () => {
    recordingDir = mkdtempSync(join(tmpdir(), 'legwork-recordings-'));
    platform = await startLegwork('nxrec', { RTPENGINE_NG: process.env['RTPENGINE_NG'] ?? '127.0.0.1:2223', RECORDING_DIR: recordingDir, NETAXIS_MEDIA: 'process' });
    events = await CallEvents.open(platform.scratch.AMQP_NAMESPACE);
    const anon = new Rest(platform.apiUrl);
    const auth = await anon.call('PUT', '/v2/api_auth', { api_key: platform.bootstrapKey });
    master = anon.withToken(String(auth.body.auth_token));
    const realm = `nxrec-${tag}.legwork.test`;
    tenant = String((await master.create(`/v2/accounts/${String(dataOf(auth)['account_id'])}`, { name: `nxrec-${tag}`, realm, country: 'BE', limits: { api_bucket: { burst: 1000, refill_per_second: 100 } } }))['id']);
    base = `/v2/accounts/${tenant}`;
    const annId = String((await master.create(`${base}/users`, { first_name: 'Ann', last_name: 'Lee', username: `ann-${tag}`, password: 'ann-pw' }))['id']);
    await master.create(`${base}/devices`, { name: 'desk', owner_id: annId, sip: { username: `desk-${tag}`, password: 'desk-pw' } });
    const group = String((await master.create(`${base}/groups`, { name: 'sales', endpoints: { [annId]: { type: 'user' } } }))['id']);
    carrierPort = await freePort();
    await master.create(`${base}/resources`, { name: 'carrier', gateways: [{ server: `127.0.0.1:${carrierPort}` }], rules: ['^\\+3212345678$'] });
    calls = (rest = '') => `/api/v1/tenants/${tenant}/groups/${group}/users/${annId}/services/calls/${rest}`;

    [phoneMedia, carrierMedia] = await Promise.all([RtpProbe.create(), RtpProbe.create()]);
    phone = await SippPhone.start({ username: `desk-${tag}`, password: 'desk-pw', realm, registrar: `127.0.0.1:${platform.sipPort}`, behaviour: 'answer', sdp: { ip: '127.0.0.1', port: phoneMedia.port } });
    await phone.waitRegistered();
    ann = await NetaxisClient.login(platform.apiUrl, `ann-${tag}@${realm}`, 'ann-pw');
  }, 90_000);

  afterAll(async () => {
    await Promise.all([phone?.stop(), phoneMedia?.close(), carrierMedia?.close()]);
    await events?.close();
    await platform?.close();
    if (recordingDir !== undefined) rmSync(recordingDir, { recursive: true, force: true });
  }, 30_000);

  // the carrier answers one call: each test dials a fresh one
  beforeEach(async () => {
    carrier = await SippCarrier.start({ behaviour: 'answer', port: carrierPort, sdp: { ip: '127.0.0.1', port: carrierMedia.port } });
  });
  afterEach(async () => {
    await carrier?.stop();
  });

  it("recordingState and allowedRecordingControls follow the seed at each step; the pause is silence of both parties' sides in the WAV", async () => {
    const dialled = await ann.call('POST', calls(), { phoneNumber: '+3212345678' });
    expect(dialled.status).toBe(201);
    const callId = String(dialled.body['callId']);
    await waitFor(() => events.of(callId, 'CHANNEL_BRIDGE').length === 1, { message: `CHANNEL_BRIDGE of ${callId}`, timeoutMs: 20_000 });
    const toRtpengine = (peer: { messages(): string }, who: string): Promise<RtpDestination> =>
      waitFor(() => mediaTarget(peer), { message: `the SDP ${who} was given`, timeoutMs: 10_000 });
    const [fromPhone, fromCarrier] = [await toRtpengine(phone, 'the phone'), await toRtpengine(carrier as SippCarrier, 'the carrier')];
    // half a second of each party, both at once; then a moment for the recorder's copy, which may trail what the parties hear
    const both = async (): Promise<void> => {
      await Promise.all([talk(phoneMedia, fromPhone, carrierMedia, 500 / PACKET_MS, PHONE_SOUND), talk(carrierMedia, fromCarrier, phoneMedia, 500 / PACKET_MS, CARRIER_SOUND)]);
      await new Promise((resolve) => setTimeout(resolve, 200));
    };
    const details = async (): Promise<Json> => {
      const res = await ann.call('GET', calls(`${callId}/`));
      expect(res.status).toBe(200);
      return res.body;
    };
    const act = async (action: string): Promise<void> => expect(await ann.call('PUT', calls(`${callId}/`), { action })).toEqual({ status: 200, body: {} });
    const recording = (d: Json): Json => ({ recorded: d['recorded'], recordingState: d['recordingState'], allowedRecordingControls: d['allowedRecordingControls'] });

    await waitFor(async () => (await details())['state'] === 'Active', { message: 'the call Active', timeoutMs: 10_000, intervalMs: 250 });
    expect(recording(await details())).toEqual({ recorded: false, recordingState: undefined, allowedRecordingControls: 'record' });
    // a control the seed does not allow now is refused with its text
    expect((await ann.call('PUT', calls(`${callId}/`), { action: 'pauseRecording' })).body).toMatchObject({ error: { status: 400, subErrorCode: 59, message: 'Recording is not active.' } });

    await act('startRecording');
    expect(recording(await details())).toEqual({ recorded: true, recordingState: 'Started', allowedRecordingControls: 'pause-stop' });
    expect((await ann.call('PUT', calls(`${callId}/`), { action: 'resumeRecording' })).body).toMatchObject({ error: { subErrorCode: 59, message: 'The state of the call is not valid.' } });
    await both();
    await act('pauseRecording');
    expect(recording(await details())).toEqual({ recorded: true, recordingState: 'Paused', allowedRecordingControls: 'resume-stop' });
    expect((await ann.call('PUT', calls(`${callId}/`), { action: 'pauseRecording' })).body).toMatchObject({ error: { subErrorCode: 59, message: 'The state of the call is not valid.' } });
    await both();
    await act('resumeRecording');
    expect(recording(await details())).toEqual({ recorded: true, recordingState: 'Started', allowedRecordingControls: 'pause-stop' });
    await both();
    await act('stopRecording');
    expect(recording(await details())).toEqual({ recorded: false, recordingState: undefined, allowedRecordingControls: 'record' });
    expect((await ann.call('PUT', calls(`${callId}/`), { action: 'stopRecording' })).body).toMatchObject({ error: { subErrorCode: 59, message: 'Recording is not active.' } });

    await waitFor(() => events.of(callId, 'RECORDING_SAVED').length === 1, { message: 'RECORDING_SAVED', timeoutMs: 15_000 });
    expect(events.of(callId).map((e) => String(e['Event-Name'])).filter((n) => n.startsWith('RECORD'))).toEqual(['RECORD_START', 'RECORD_PAUSE', 'RECORD_RESUME', 'RECORD_STOP', 'RECORDING_SAVED']);
    const recordingId = String(events.of(callId, 'RECORDING_SAVED')[0]?.['Media-Recording-ID']);
    const download = await fetch(`${platform.apiUrl}${base}/recordings/${recordingId}`, { headers: { 'x-auth-token': String(master.token), accept: 'audio/wav' } });
    expect(download.status).toBe(200);
    const wav = parseWav(Buffer.from(await download.arrayBuffer()));
    // one RTP clock per party: 0.5 s kept, the 0.5 s spoken while paused dropped, 0.5 s kept, counted in samples
    const sides = (w: WavContent, channel: number): number[] => {
      const first = w.samples[channel].findIndex((s) => s !== 0) / 8;
      return [soundMs(w, channel, first, first + 500), soundMs(w, channel, first + 500, first + 1000), soundMs(w, channel, first + 1000, first + 1500)];
    };
    expect({ phone: sides(wav, 0), carrier: sides(wav, 1) }).toEqual({ phone: [500, 0, 500], carrier: [500, 0, 500] });

    expect(await ann.call('DELETE', calls(`${callId}/`))).toEqual({ status: 200, body: {} });
    await waitFor(() => events.of(callId, 'CHANNEL_DESTROY').length === 1, { message: 'CHANNEL_DESTROY', timeoutMs: 15_000 });
    expect(events.of(callId, 'CHANNEL_DESTROY')[0]).toMatchObject({ 'Recording-IDs': [recordingId] });
  });

  it('a recording that could not be saved is Failed with no control allowed, and a new one is refused with the seed\'s text', async () => {
    const dialled = await ann.call('POST', calls(), { phoneNumber: '+3212345678' });
    const callId = String(dialled.body['callId']);
    await waitFor(() => events.of(callId, 'CHANNEL_BRIDGE').length === 1, { message: `CHANNEL_BRIDGE of ${callId}`, timeoutMs: 20_000 });
    const act = (action: string) => ann.call('PUT', calls(`${callId}/`), { action });
    expect(await act('startRecording')).toEqual({ status: 200, body: {} });
    // the account's recordings directory becomes a file: the WAV cannot be written when the segment ends
    const accountDir = join(recordingDir, tenant);
    renameSync(accountDir, `${accountDir}.moved`);
    writeFileSync(accountDir, '');
    try {
      await act('stopRecording');
      await waitFor(() => events.of(callId, 'RECORDING_FAILED').length === 1, { message: 'RECORDING_FAILED', timeoutMs: 15_000 });
      const details = (await ann.call('GET', calls(`${callId}/`))).body;
      expect({ recorded: details['recorded'], recordingState: details['recordingState'], allowedRecordingControls: details['allowedRecordingControls'] }).toEqual({ recorded: false, recordingState: 'Failed', allowedRecordingControls: 'none' });
      expect((await act('startRecording')).body).toMatchObject({ error: { status: 400, subErrorCode: 59, message: 'Recording has failed for this call.' } });
    } finally {
      rmSync(accountDir, { force: true });
      renameSync(`${accountDir}.moved`, accountDir);
      await ann.call('DELETE', calls(`${callId}/`));
    }
  });
});
