import { randomBytes } from 'node:crypto';
import { directionOf, mediaSummary } from '@legwork/sip';
import { RtpProbe } from '../../testing/rtp-probe';
import { AnchoredCall, blackHoleAnswer } from './anchored-call';
import { createRtpengineClient } from './rtpengine-client';
import type { RtpengineClient } from './rtpengine.types';
import { testRtpengineAddress } from './rtpengine-test.env';

describe('AnchoredCall: 3PCC through rtpengine, A answers before B rings', () => {
  let client: RtpengineClient;
  const probes: RtpProbe[] = [];
  const calls: AnchoredCall[] = [];
  const probe = async (): Promise<RtpProbe> => {
    const p = await RtpProbe.create();
    probes.push(p);
    return p;
  };
  const anchored = (): AnchoredCall => {
    const call = new AnchoredCall(client, { callId: `spec-${randomBytes(8).toString('hex')}` });
    calls.push(call);
    return call;
  };

  beforeAll(() => {
    client = createRtpengineClient(testRtpengineAddress());
  });
  afterEach(async () => {
    await Promise.all(calls.splice(0).map((c) => c.delete()));
    await Promise.all(probes.splice(0).map((p) => p.close()));
  });
  afterAll(() => client.close());

  it('gives A its final SDP at once, then B early media reaches A before B answers, then audio flows both ways', async () => {
    const a = await probe();
    const call = anchored();

    // A's 200 to the offerless INVITE carries A's offer; we ACK A with sdpForA and INVITE B with sdpForB
    const { sdpForA, sdpForB } = await call.anchorA(a.sdp());
    const aSends = RtpProbe.destinationOf(sdpForA);
    expect(directionOf(sdpForA)).toBe('sendrecv');
    expect(aSends.port).not.toBe(a.port);
    // both sides are pinned to A's first codec, so no transcoding is ever needed
    expect(mediaSummary(sdpForB)).toMatchObject({ codecs: [{ name: 'PCMU' }], telephoneEvent: 101 });
    expect(mediaSummary(sdpForA)).toMatchObject({ codecs: [{ name: 'PCMU' }], telephoneEvent: 101 });

    // B rings: its 183 carries its SDP; ringback must reach the already answered A
    const b = await probe();
    const sdpForAAfter183 = await call.answerB(b.sdp());
    expect(RtpProbe.destinationOf(sdpForAAfter183)).toEqual(aSends);
    await b.sendToSdp(sdpForB, 10);
    await a.waitFor(10, { ssrc: b.ssrc });

    // B's 200 (same SDP) → answer again; media both ways with A never renegotiated
    expect(RtpProbe.destinationOf(await call.answerB(b.sdp()))).toEqual(aSends);
    await a.send(aSends, 10);
    await b.waitFor(10, { ssrc: a.ssrc });
    await b.sendToSdp(sdpForB, 10);
    await a.waitFor(20, { ssrc: b.ssrc });

    await call.delete();
    a.clear();
    await b.sendToSdp(sdpForB, 5);
    await expect(a.waitFor(1, { timeoutMs: 300 })).rejects.toThrow(/got 0 of 1/);
  });

  it('switches from the fork that sent early media to the fork that answered', async () => {
    const a = await probe();
    const call = anchored();
    const { sdpForA, sdpForB } = await call.anchorA(a.sdp());
    const aSends = RtpProbe.destinationOf(sdpForA);

    const early = await probe();
    await call.answerB(early.sdp());
    await early.sendToSdp(sdpForB, 5);
    await a.waitFor(5, { ssrc: early.ssrc });

    const winner = await probe();
    expect(RtpProbe.destinationOf(await call.answerB(winner.sdp()))).toEqual(aSends);
    await a.send(aSends, 10);
    await winner.waitFor(10, { ssrc: a.ssrc });
    await winner.sendToSdp(sdpForB, 10);
    await a.waitFor(10, { ssrc: winner.ssrc });
  });

  it('refuses answerB before anchorA, and delete twice is harmless', async () => {
    const call = anchored();
    await expect(call.answerB((await probe()).sdp())).rejects.toThrow(/anchorA/);
    await expect(call.delete()).resolves.toMatchObject({ result: 'ok' });
  });

  it('pins a PCMA-first offer to PCMA on both sides', async () => {
    const a = await probe();
    const { sdpForA, sdpForB } = await anchored().anchorA(a.sdp({ codecs: ['PCMA', 'PCMU', 'telephone-event'] }));
    expect(mediaSummary(sdpForB)?.codecs.map((c) => c.name)).toEqual(['PCMA']);
    expect(mediaSummary(sdpForA)?.codecs.map((c) => c.name)).toEqual(['PCMA']);
  });

  it('builds the stand-in B answer on rtpengine address, discard port, mirrored direction', async () => {
    const a = await probe();
    const answer = blackHoleAnswer(a.sdp(), a.sdp({ direction: 'sendonly' }));
    expect(mediaSummary(answer)).toMatchObject({ address: '127.0.0.1', port: 9, direction: 'recvonly' });
  });
});
