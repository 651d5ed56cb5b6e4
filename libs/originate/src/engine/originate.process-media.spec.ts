import { waitFor } from '@legwork/common/testing';
import { mediaSummary } from '@legwork/sip';
import { createRtpengineClient } from '../media/rtpengine/rtpengine-client';
import { testRtpengineAddress } from '../media/rtpengine/rtpengine-test.env';
import type { RtpengineClient } from '../media/rtpengine/rtpengine.types';
import { EngineHarness } from '../testing/engine-harness';
import { RtpProbe } from '../testing/rtp-probe';
import { TestPhone } from '../testing/test-phone';

/** Sends bursts until `count` packets from `from` reach `to`: the ng answer that opens the path is applied asynchronously. */
async function flows(from: RtpProbe, to: RtpProbe, sdp: string, count = 5): Promise<void> {
  for (let attempt = 0; attempt < 30; attempt++) {
    await from.sendToSdp(sdp, count, { intervalMs: 1 });
    try {
      await to.waitFor(count, { ssrc: from.ssrc, timeoutMs: 100 });
      return;
    } catch {
      // not through yet: send another burst
    }
  }
  throw new Error(`RTP from ${from.port} never reached ${to.port}`);
}

describe('OriginateEngine Media: process through the real rtpengine', () => {
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

  it('anchors both legs on rtpengine: B early media reaches the answered A, then audio flows both ways; the session is deleted on hangup', async () => {
    const [probeA, probeB] = await Promise.all([RtpProbe.create(), RtpProbe.create()]);
    const device = await TestPhone.start({ kind: 'answer' });
    const trunk = await TestPhone.start({ kind: 'early' });
    closers.push(probeA, probeB, device, trunk);
    device.useMedia(probeA);
    trunk.useMedia(probeB);
    h.resolver.phones.set('alice', device);
    h.resolver.carrier = trunk;
    const req = h.request({
      'Application-Name': 'transfer', 'Application-Data': { Route: '+15557654321' }, Media: 'process', 'Ignore-Early-Media': false,
      Endpoints: [{ 'Invite-Format': 'username', 'To-Username': 'alice', 'To-Realm': 'example.com', 'Outbound-Call-ID': 'proc-a' }],
    });
    const outcome = await h.engine.originate(req, { accountId: h.accountId });
    expect(outcome).toEqual({ ok: true, callId: 'proc-a' });
    await waitFor(() => trunk.invites.length === 1 && device.receivedSdp.length === 1);

    // neither side sees the other: A's ACK and B's offer both name rtpengine's ports
    const forA = mediaSummary(device.receivedSdp[0]);
    const forB = trunk.invites[0].request.body.toString();
    expect(forA?.port).not.toBe(probeB.port);
    expect(mediaSummary(forB)?.port).not.toBe(probeA.port);
    expect([forA?.direction, mediaSummary(forB)?.direction]).toEqual(['sendrecv', 'sendrecv']);
    expect(await rtpengine.query('proc-a')).toMatchObject({ result: 'ok' });

    // ringback: B's 183 media reaches A, which has already answered, before B's 200
    const bLeg = String(h.events.find((e) => e['Event-Name'] === 'CHANNEL_CREATE' && e['Call-ID'] !== 'proc-a')?.['Call-ID']);
    await waitFor(() => h.eventsOf(bLeg).includes('CHANNEL_PROGRESS'));
    await flows(probeB, probeA, forB);
    expect(h.eventsOf(bLeg)).not.toContain('CHANNEL_ANSWER');

    await trunk.answerEarly();
    await waitFor(() => h.eventsOf(bLeg).includes('CHANNEL_BRIDGE') && h.eventsOf('proc-a').includes('CHANNEL_BRIDGE'));
    await flows(probeA, probeB, device.receivedSdp[0]);
    await flows(probeB, probeA, forB);
    // A keeps rtpengine's port: no re-INVITE in process mode
    expect(device.transactionsOf('INVITE')).toHaveLength(1);

    await device.hangup();
    await waitFor(() => h.eventsOf(bLeg).includes('CHANNEL_DESTROY') && h.eventsOf('proc-a').includes('CHANNEL_DESTROY'));
    await waitFor(() => trunk.byesReceived.length === 1);
    let deleted = false;
    for (let i = 0; i < 50 && !deleted; i++) {
      deleted = await rtpengine.query('proc-a').then(() => false, () => true);
      if (!deleted) await new Promise((r) => setTimeout(r, 20));
    }
    expect(deleted).toBe(true);
    expect(await h.inUse()).toBe(0);
  });

  it('deletes the rtpengine session of an A-leg whose carrier refuses', async () => {
    const probeA = await RtpProbe.create();
    const device = await TestPhone.start({ kind: 'answer' });
    const trunk = await TestPhone.start({ kind: 'reject', status: 404 });
    closers.push(probeA, device, trunk);
    device.useMedia(probeA);
    h.resolver.phones.set('bob', device);
    h.resolver.carrier = trunk;
    const req = h.request({ 'Application-Name': 'transfer', 'Application-Data': { Route: '100' }, Media: 'process', Endpoints: [{ 'Invite-Format': 'username', 'To-Username': 'bob', 'To-Realm': 'example.com', 'Outbound-Call-ID': 'proc-b' }] });
    expect(await h.engine.originate(req, { accountId: h.accountId })).toEqual({ ok: true, callId: 'proc-b' });
    await waitFor(() => h.eventsOf('proc-b').includes('CHANNEL_DESTROY'));
    expect(h.event('proc-b', 'CHANNEL_DESTROY')).toMatchObject({ 'Hangup-Cause': 'UNALLOCATED_NUMBER', 'Hangup-Code': 'sip:404' });
    let deleted = false;
    for (let i = 0; i < 50 && !deleted; i++) {
      deleted = await rtpengine.query('proc-b').then(() => false, () => true);
      if (!deleted) await new Promise((r) => setTimeout(r, 20));
    }
    expect(deleted).toBe(true);
  });

  it('keeps B early media away from A with Ignore-Early-Media: true (rtpengine learns B only from its 200)', async () => {
    const answers: string[] = [];
    const recording: RtpengineClient = Object.assign(Object.create(rtpengine) as RtpengineClient, {
      answer: (params: Parameters<RtpengineClient['answer']>[0]) => {
        answers.push(params.sdp);
        return rtpengine.answer(params);
      },
    });
    const quiet = await EngineHarness.start({}, { rtpengine: recording });
    const device = await TestPhone.start({ kind: 'answer' });
    const trunk = await TestPhone.start({ kind: 'early' });
    closers.push(quiet, device, trunk);
    quiet.resolver.phones.set('carol', device);
    quiet.resolver.carrier = trunk;
    const req = quiet.request({
      'Application-Name': 'transfer', 'Application-Data': { Route: '300' }, Media: 'process', 'Ignore-Early-Media': true,
      Endpoints: [{ 'Invite-Format': 'username', 'To-Username': 'carol', 'To-Realm': 'example.com', 'Outbound-Call-ID': 'proc-c' }],
    });
    expect(await quiet.engine.originate(req, { accountId: quiet.accountId })).toEqual({ ok: true, callId: 'proc-c' });
    const bLeg = (): string => String(quiet.events.find((e) => e['Event-Name'] === 'CHANNEL_CREATE' && e['Call-ID'] !== 'proc-c')?.['Call-ID']);
    await waitFor(() => quiet.eventsOf(bLeg()).includes('CHANNEL_PROGRESS'));
    await trunk.answerEarly();
    await waitFor(() => quiet.eventsOf(bLeg()).includes('CHANNEL_BRIDGE'));
    // the stand-in answer at anchoring, then B's 200: the 183 was not applied
    expect(answers).toHaveLength(2);
    await device.hangup();
    await waitFor(() => quiet.eventsOf('proc-c').includes('CHANNEL_DESTROY'));
  });
});
