import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@legwork/common/testing';
import { RtpProbe, SippCarrier, SippCarrierCall, SippPhone, freePort, header, parseSippLog, receivedRequests, sdpAudio, type RtpDestination } from '@legwork/originate/testing';
import { CallEvents, Rest, dataOf, startLegwork, type RunningPlatform } from './kazoo-platform.fixture';
import { CARRIER_SOUND, PHONE_SOUND, mediaTarget, talk } from './media-call.fixture';
import { NetaxisClient } from './netaxis-client.fixture';

jest.setTimeout(60_000);

const tag = randomBytes(3).toString('hex');
const DID = '+3225550142';
const byesOf = (peer: { messages(): string }, callId: string): number => receivedRequests(peer.messages(), 'BYE').filter((m) => header(m, 'Call-ID') === callId).length;
const userOf = (value: string | undefined): string | undefined => /<sip:([^@>;]+)[@>;]/.exec(value ?? '')?.[1];
const inviteOf = (peer: { messages(): string }, callId: string) => receivedRequests(peer.messages(), 'INVITE').find((m) => header(m, 'Call-ID') === callId);
const target = (peer: { messages(): string }, who: string, callId?: string): Promise<RtpDestination> =>
  waitFor(() => mediaTarget(peer, callId), { message: `the SDP ${who} was given`, timeoutMs: 10_000 });
const newInvites = (peer: { messages(): string }, known: Set<string>): string[] =>
  [...new Set(receivedRequests(peer.messages(), 'INVITE').map((m) => header(m, 'Call-ID') ?? ''))].filter((id) => !known.has(id));

// Issue 10: retrieve moves a media=process call to the user's other device; RTP is re-bridged through rtpengine.
describe('retrieve and intercept with media=process on the real media node (one legwork process, rtpengine, sipp)', () => {
  let platform: RunningPlatform;
  let events: CallEvents;
  let master: Rest;
  let ann: NetaxisClient;
  let base: string;
  let calls: (rest?: string) => string;
  let deskId: string;
  let mobileId: string;
  let annId: string;
  let recordingDir: string;
  let carrierPort: number;
  let desk: SippPhone;
  let mobile: SippPhone;
  let tablet: SippPhone;
  let tabletId: string;
  let deskMedia: RtpProbe;
  let mobileMedia: RtpProbe;

  beforeAll(async () => {
    recordingDir = mkdtempSync(join(tmpdir(), 'legwork-recordings-'));
    platform = await startLegwork('rtrv', { RTPENGINE_NG: process.env['RTPENGINE_NG'] ?? '127.0.0.1:2223', NETAXIS_MEDIA: 'process', RECORDING_DIR: recordingDir });
    events = await CallEvents.open(platform.scratch.AMQP_NAMESPACE);
    const anon = new Rest(platform.apiUrl);
    const auth = await anon.call('PUT', '/v2/api_auth', { api_key: platform.bootstrapKey });
    master = anon.withToken(String(auth.body.auth_token));
    const realm = `rtrv-${tag}.legwork.test`;
    const tenant = String((await master.create(`/v2/accounts/${String(dataOf(auth)['account_id'])}`, { name: `rtrv-${tag}`, realm, country: 'BE', limits: { api_bucket: { burst: 1000, refill_per_second: 100 } } }))['id']);
    base = `/v2/accounts/${tenant}`;
    annId = String((await master.create(`${base}/users`, { first_name: 'Ann', last_name: 'Lee', username: `ann-${tag}`, password: 'ann-pw', dids: [DID] }))['id']);
    deskId = String((await master.create(`${base}/devices`, { name: 'desk', owner_id: annId, sip: { username: `desk-${tag}`, password: 'desk-pw' } }))['id']);
    mobileId = String((await master.create(`${base}/devices`, { name: 'mobile', owner_id: annId, sip: { username: `mobile-${tag}`, password: 'mobile-pw' } }))['id']);
    // another user's device that declines every call
    const bobId = String((await master.create(`${base}/users`, { first_name: 'Bob', last_name: 'Roe', username: `bob-${tag}`, password: 'bob-pw' }))['id']);
    tabletId = String((await master.create(`${base}/devices`, { name: 'tablet', owner_id: bobId, sip: { username: `tablet-${tag}`, password: 'tablet-pw' } }))['id']);
    const group = String((await master.create(`${base}/groups`, { name: 'sales', endpoints: { [annId]: { type: 'user' } } }))['id']);
    carrierPort = await freePort();
    await master.create(`${base}/resources`, { name: 'carrier', gateways: [{ server: `127.0.0.1:${carrierPort}` }], rules: ['^\\+3212345\\d{3}$'] });
    await master.create(`${base}/resources`, { name: 'trunk-in', gateways: [{ server: '127.0.0.1:5999' }], rules: ['^\\+99$'], inbound: { enabled: true, sources: ['127.0.0.1'], media: 'process' } });
    calls = (rest = '') => `/api/v1/tenants/${tenant}/groups/${group}/users/${annId}/services/calls/${rest}`;

    [deskMedia, mobileMedia] = await Promise.all([RtpProbe.create(), RtpProbe.create()]);
    const registrar = `127.0.0.1:${platform.sipPort}`;
    desk = await SippPhone.start({ username: `desk-${tag}`, password: 'desk-pw', realm, registrar, behaviour: 'answer', sdp: { ip: '127.0.0.1', port: deskMedia.port } });
    mobile = await SippPhone.start({ username: `mobile-${tag}`, password: 'mobile-pw', realm, registrar, behaviour: 'answer', answerDelayMs: 300, sdp: { ip: '127.0.0.1', port: mobileMedia.port } });
    tablet = await SippPhone.start({ username: `tablet-${tag}`, password: 'tablet-pw', realm, registrar, behaviour: 'reject' });
    await Promise.all([desk.waitRegistered(), mobile.waitRegistered(), tablet.waitRegistered()]);
    ann = await NetaxisClient.login(platform.apiUrl, `ann-${tag}@${realm}`, 'ann-pw');
  }, 90_000);

  afterAll(async () => {
    await Promise.all([desk?.stop(), mobile?.stop(), tablet?.stop(), deskMedia?.close(), mobileMedia?.close()]);
    await events?.close();
    await platform?.close();
    if (recordingDir !== undefined) rmSync(recordingDir, { recursive: true, force: true });
  }, 30_000);

  /**
   * A media=process call from the desk to the carrier, answered and talking both ways; then `move` hands it to the
   * mobile, which must ring, answer and hear the carrier (and be heard) while the desk gets BYE.
   */
  const movedToMobile = async (number: string, move: (deskLeg: string) => Promise<void>): Promise<{ deskLeg: string; mobileLeg: string }> => {
    const carrierMedia = await RtpProbe.create();
    const carrier = await SippCarrier.start({ behaviour: 'answer-mirror', port: carrierPort, sdp: { ip: '127.0.0.1', port: carrierMedia.port } });
    try {
      const knownAtMobile = new Set(newInvites(mobile, new Set()));
      const res = await master.call('POST', `${base}/devices/${deskId}/quickcall/${encodeURIComponent(number)}?media=process`, {});
      expect(res.status).toBe(202);
      const deskLeg = String(dataOf(res)['call_id']);
      await waitFor(() => events.of(deskLeg, 'CHANNEL_BRIDGE').length === 1, { message: `CHANNEL_BRIDGE of ${deskLeg}`, timeoutMs: 20_000 });
      // the call rang the desk alone
      expect(newInvites(mobile, knownAtMobile)).toEqual([]);
      const fromCarrier = await target(carrier, 'the carrier');
      await Promise.all([talk(deskMedia, await target(desk, 'the desk', deskLeg), carrierMedia, 10, PHONE_SOUND), talk(carrierMedia, fromCarrier, deskMedia, 10, CARRIER_SOUND)]);

      await move(deskLeg);
      const [mobileLeg] = await waitFor(() => (newInvites(mobile, knownAtMobile).length === 1 ? newInvites(mobile, knownAtMobile) : undefined), { message: `INVITE at the mobile\n${mobile.log}`, timeoutMs: 15_000 });
      // the mobile is offered rtpengine's ports, not the carrier's own
      const offered = sdpAudio(inviteOf(mobile, mobileLeg)?.body ?? '');
      expect(offered).toBeDefined();
      expect(offered?.port).not.toBe(carrierMedia.port);
      // it shows the remote party the desk was shown: the number called
      expect(userOf(header(inviteOf(desk, deskLeg), 'From'))).toBe(number);
      expect(userOf(header(inviteOf(mobile, mobileLeg), 'From'))).toBe(number);
      await waitFor(() => byesOf(desk, deskLeg) >= 1, { message: `BYE at the desk\n${desk.log}`, timeoutMs: 15_000 });
      await waitFor(() => events.of(deskLeg, 'CHANNEL_DESTROY').length === 1, { message: 'CHANNEL_DESTROY of the desk leg', timeoutMs: 15_000 });
      expect(events.of(deskLeg, 'CHANNEL_DESTROY')[0]).toMatchObject({ Disposition: 'RETRIEVED' });
      expect(byesOf(carrier, String(header(receivedRequests(carrier.messages(), 'INVITE')[0], 'Call-ID')))).toBe(0);

      // re-bridged: the carrier's RTP now reaches the mobile's media port, and the mobile's reaches the carrier
      const fromMobile = await target(mobile, 'the mobile', mobileLeg);
      const deskHeard = deskMedia.from(carrierMedia.ssrc).length;
      await Promise.all([talk(carrierMedia, await target(carrier, 'the carrier'), mobileMedia, 25, CARRIER_SOUND), talk(mobileMedia, fromMobile, carrierMedia, 25, PHONE_SOUND)]);
      expect(mobileMedia.from(carrierMedia.ssrc).every((p) => p.payloadType === 0)).toBe(true);
      // and no longer the desk's
      expect(deskMedia.from(carrierMedia.ssrc).length).toBe(deskHeard);

      // the user's call is the mobile's now, with the same remote party
      expect((await ann.call('GET', calls(`${mobileLeg}/`))).body).toMatchObject({
        callId: mobileLeg, state: 'Active', remoteParty: { address: number }, endpoint: { addressOfRecord: expect.stringMatching(/^mobile-/) }, recorded: false, allowedRecordingControls: 'record',
      });

      expect((await master.call('PUT', `${base}/channels/${mobileLeg}`, { action: 'hangup' })).status).toBe(202);
      await waitFor(() => receivedRequests(carrier.messages(), 'BYE').length === 1, { message: `BYE at the carrier\n${carrier.log}`, timeoutMs: 15_000 });
      return { deskLeg, mobileLeg };
    } finally {
      await Promise.all([carrier.stop(), carrierMedia.close()]);
    }
  };

  it("Netaxis POST retrieve/: the user's other phone rings, answers and takes the media=process call; the desk gets BYE, and the desk's recording is saved as it leaves", async () => {
    const { deskLeg } = await movedToMobile('+3212345601', async (leg) => {
      expect(await ann.call('PUT', calls(`${leg}/`), { action: 'startRecording' })).toEqual({ status: 200, body: {} });
      const retrieved = await ann.call('POST', calls('retrieve/'));
      expect(retrieved).toEqual({ status: 201, body: { callId: leg, externalTrackingId: expect.any(String) } });
    });
    // the recorded leg left the call: its segment ends there, and its CDR names the file
    const saved = events.of(deskLeg, 'RECORDING_SAVED');
    expect(saved).toHaveLength(1);
    expect(events.of(deskLeg, 'CHANNEL_DESTROY')[0]).toMatchObject({ 'Recording-IDs': [saved[0]?.['Media-Recording-ID']] });
  });

  it('an intercept the target declines leaves the call as it was: the desk and the carrier still hear each other, nobody gets BYE', async () => {
    const carrierMedia = await RtpProbe.create();
    const carrier = await SippCarrier.start({ behaviour: 'answer-mirror', port: carrierPort, sdp: { ip: '127.0.0.1', port: carrierMedia.port } });
    try {
      const res = await master.call('POST', `${base}/devices/${deskId}/quickcall/${encodeURIComponent('+3212345604')}?media=process`, {});
      const deskLeg = String(dataOf(res)['call_id']);
      await waitFor(() => events.of(deskLeg, 'CHANNEL_BRIDGE').length === 1, { message: `CHANNEL_BRIDGE of ${deskLeg}`, timeoutMs: 20_000 });
      const talkBoth = async (packets: number): Promise<void> => {
        await Promise.all([
          talk(deskMedia, await target(desk, 'the desk', deskLeg), carrierMedia, packets, PHONE_SOUND),
          talk(carrierMedia, await target(carrier, 'the carrier'), deskMedia, packets, CARRIER_SOUND),
        ]);
      };
      await talkBoth(10);
      const declines = receivedRequests(tablet.messages(), 'INVITE').length;
      const intercept = await master.call('PUT', `${base}/channels/${deskLeg}`, { action: 'intercept', target_type: 'device', target_id: tabletId });
      expect(intercept.status).toBe(202);
      await waitFor(() => receivedRequests(tablet.messages(), 'ACK').length > declines, { message: `the tablet declined\n${tablet.log}`, timeoutMs: 15_000 });
      // the call goes on as before, its media through rtpengine both ways
      const carrierLeg = String(events.of(deskLeg, 'CHANNEL_BRIDGE')[0]?.['Other-Leg-Call-ID']);
      await waitFor(() => events.of(carrierLeg, 'CHANNEL_BRIDGE').length === 2, { message: 'the carrier bridged to the desk again', timeoutMs: 15_000 });
      expect(events.of(carrierLeg, 'CHANNEL_BRIDGE')[1]).toMatchObject({ 'Other-Leg-Call-ID': deskLeg });
      await talkBoth(25);
      expect(byesOf(desk, deskLeg) + receivedRequests(carrier.messages(), 'BYE').length).toBe(0);
      expect((await master.call('PUT', `${base}/channels/${deskLeg}`, { action: 'hangup' })).status).toBe(202);
      await waitFor(() => receivedRequests(carrier.messages(), 'BYE').length === 1, { message: `BYE at the carrier\n${carrier.log}`, timeoutMs: 15_000 });
    } finally {
      await Promise.all([carrier.stop(), carrierMedia.close()]);
    }
  });

  it("an inbound carrier call answered on the desk: Kazoo intercept moves it to the mobile, the caller's RTP reaches the mobile", async () => {
    const callerMedia = await RtpProbe.create();
    const knownAtMobile = new Set(newInvites(mobile, new Set()));
    const knownAtDesk = new Set(newInvites(desk, new Set()));
    const inbound = await SippCarrierCall.start({ target: `127.0.0.1:${platform.sipPort}`, from: '127.0.0.1', did: DID, caller: '+3247000009', expect: 200, sdp: { ip: '127.0.0.1', port: callerMedia.port } });
    try {
      const [deskLeg] = await waitFor(() => (newInvites(desk, knownAtDesk).length === 1 ? newInvites(desk, knownAtDesk) : undefined), { message: `INVITE at the desk\n${desk.log}`, timeoutMs: 15_000 });
      await waitFor(() => events.of(deskLeg, 'CHANNEL_BRIDGE').length === 1, { message: `CHANNEL_BRIDGE of ${deskLeg}`, timeoutMs: 20_000 });
      // the mobile rang too and lost to the desk
      await waitFor(() => receivedRequests(mobile.messages(), 'CANCEL').some((m) => !knownAtMobile.has(header(m, 'Call-ID') ?? '')), { message: `CANCEL at the mobile\n${mobile.log}`, timeoutMs: 15_000 });
      for (const id of newInvites(mobile, knownAtMobile)) knownAtMobile.add(id);
      // the caller (a UAC) learns rtpengine's address from the 200 to its INVITE
      const answered = parseSippLog(inbound.messages()).filter((m) => m.direction === 'received' && m.startLine.startsWith('SIP/2.0 200') && /^m=audio /m.test(m.body)).at(-1);
      const fromCaller = sdpAudio(answered?.body ?? '');
      if (fromCaller === undefined) throw new Error(`no SDP in the caller's 200\n${inbound.messages()}`);
      await talk(callerMedia, fromCaller, deskMedia, 10, CARRIER_SOUND);

      const res = await master.call('PUT', `${base}/channels/${deskLeg}`, { action: 'intercept', target_type: 'device', target_id: mobileId });
      expect(res.status).toBe(202);
      const [mobileLeg] = await waitFor(() => (newInvites(mobile, knownAtMobile).length === 1 ? newInvites(mobile, knownAtMobile) : undefined), { message: `INVITE at the mobile\n${mobile.log}`, timeoutMs: 15_000 });
      // the mobile is shown the caller, as the desk was
      expect([userOf(header(inviteOf(desk, deskLeg), 'From')), userOf(header(inviteOf(mobile, mobileLeg), 'From'))]).toEqual(['+3247000009', '+3247000009']);
      await waitFor(() => byesOf(desk, deskLeg) >= 1, { message: `BYE at the desk\n${desk.log}`, timeoutMs: 15_000 });
      await talk(callerMedia, fromCaller, mobileMedia, 25, CARRIER_SOUND);
      await talk(mobileMedia, await target(mobile, 'the mobile', mobileLeg), callerMedia, 25, PHONE_SOUND);
      expect((await master.call('PUT', `${base}/channels/${mobileLeg}`, { action: 'hangup' })).status).toBe(202);
      expect(await inbound.exited).toMatchObject({ code: 0 });
    } finally {
      await callerMedia.close();
    }
  });

  it('Kazoo channels intercept (target_type user): the user\'s device other than the desk (the mobile) takes the call', async () => {
    await movedToMobile('+3212345603', async (deskLeg) => {
      const res = await master.call('PUT', `${base}/channels/${deskLeg}`, { action: 'intercept', target_type: 'user', target_id: annId });
      expect([res.status, dataOf(res)]).toEqual([202, expect.objectContaining({ action: 'intercept', call_id: deskLeg, target: `ann-${tag}` })]);
    });
  });

  it('Kazoo channels intercept (target_type device): the mobile rings and takes the media=process call from the desk', async () => {
    await movedToMobile('+3212345602', async (deskLeg) => {
      const res = await master.call('PUT', `${base}/channels/${deskLeg}`, { action: 'intercept', target_type: 'device', target_id: mobileId });
      expect([res.status, dataOf(res)]).toEqual([202, expect.objectContaining({ action: 'intercept', call_id: deskLeg, target: `mobile-${tag}` })]);
    });
  });
});
