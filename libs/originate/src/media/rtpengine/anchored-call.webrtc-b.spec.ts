import { randomBytes } from 'node:crypto';
import { mediaSummary } from '@legwork/sip';
import { RtpProbe } from '../../testing/rtp-probe';
import { AnchoredCall } from './anchored-call';
import { createRtpengineClient } from './rtpengine-client';
import type { RtpengineClient } from './rtpengine.types';
import { testRtpengineAddress } from './rtpengine-test.env';
import { isWebRtcTarget } from './webrtc-sides';

const webrtcParts = (sdp: string): Record<string, boolean> => ({
  ice: /^a=ice-ufrag:/m.test(sdp) && /^a=candidate:/m.test(sdp),
  dtls: /^a=fingerprint:/m.test(sdp) && /^a=setup:(active|passive|actpass)/m.test(sdp),
  rtcpMux: /^a=rtcp-mux/m.test(sdp),
});

describe('AnchoredCall with a browser on the B side (a phone or carrier calls a softphone, rtpengine bridges plain RTP to ICE/DTLS-SRTP)', () => {
  let client: RtpengineClient;
  const calls: AnchoredCall[] = [];
  const probes: RtpProbe[] = [];
  const anchored = (opts: { aTag?: string; bTag?: string } = {}): AnchoredCall => {
    const call = new AnchoredCall(client, { callId: `webrtc-b-${randomBytes(8).toString('hex')}`, ...opts });
    calls.push(call);
    return call;
  };
  const phone = async (): Promise<RtpProbe> => {
    const p = await RtpProbe.create();
    probes.push(p);
    return p;
  };

  beforeAll(() => {
    client = createRtpengineClient(testRtpengineAddress());
  });
  afterEach(async () => {
    await Promise.all(calls.splice(0).map((c) => c.delete()));
    await Promise.all(probes.splice(0).map((p) => p.close()));
  });
  afterAll(() => client.close());

  it('a device is a browser when it is reached over WS or WSS', () => {
    const at = (protocol: 'udp' | 'tcp' | 'tls' | 'ws' | 'wss') => isWebRtcTarget({ protocol, host: '127.0.0.1', port: 5060 });
    expect([at('ws'), at('wss'), at('udp'), at('tcp'), at('tls')]).toEqual([true, true, false, false, false]);
  });

  it('a phone B gets the first offer unchanged: plain RTP/AVP, no ICE or DTLS', async () => {
    const call = anchored();
    const { sdpForB } = await call.anchorA((await phone()).sdp());
    expect(await call.offerForB(false)).toBe(sdpForB);
    expect(webrtcParts(sdpForB)).toEqual({ ice: false, dtls: false, rtcpMux: false });
  });

  it('a browser B is offered UDP/TLS/RTP/SAVPF with ICE, DTLS (rtpengine as the DTLS client) and rtcp-mux, and the phone keeps its port and plain RTP', async () => {
    const call = anchored();
    const { sdpForA } = await call.anchorA((await phone()).sdp());
    const forBrowser = await call.offerForB(true);
    expect(mediaSummary(forBrowser)).toMatchObject({ protocol: 'UDP/TLS/RTP/SAVPF', codecs: [{ name: 'PCMU' }] });
    expect(webrtcParts(forBrowser)).toEqual({ ice: true, dtls: true, rtcpMux: true });
    expect(forBrowser).toMatch(/^a=setup:active$/m);

    // the browser's answer (DTLS server) brings the phone side nothing new: its port is the one it was ACKed with
    const browserAnswer = forBrowser.replace(/^a=setup:active$/m, 'a=setup:passive').replace(/^m=audio \d+/m, 'm=audio 43181');
    const forPhone = await call.answerB(browserAnswer);
    expect([mediaSummary(forPhone)?.protocol, mediaSummary(forPhone)?.port, webrtcParts(forPhone)]).toEqual(['RTP/AVP', mediaSummary(sdpForA)?.port, { ice: false, dtls: false, rtcpMux: false }]);
  });

  it('after a browser that did not answer, the next target, a phone, is offered plain RTP again', async () => {
    const call = anchored();
    await call.anchorA((await phone()).sdp());
    expect(mediaSummary(await call.offerForB(true))?.protocol).toBe('UDP/TLS/RTP/SAVPF');
    const again = await call.offerForB(false);
    // rtpengine may still offer rtcp-mux, which a phone without it simply does not answer (RFC 5761 §5.1.1)
    expect([mediaSummary(again)?.protocol, webrtcParts(again).ice, webrtcParts(again).dtls]).toEqual(['RTP/AVP', false, false]);
    expect(again).not.toMatch(/^a=crypto:/m);
  });

  it('an inbound caller with plain RTP offers browser targets WebRTC, and is answered plain RTP', async () => {
    const call = anchored({ aTag: 'a', bTag: 'b' });
    call.setWebRtc('b', true);
    const forTargets = await call.offerFrom('a', (await phone()).sdp());
    expect([mediaSummary(forTargets)?.protocol, webrtcParts(forTargets)]).toEqual(['UDP/TLS/RTP/SAVPF', { ice: true, dtls: true, rtcpMux: true }]);
    const browserAnswer = forTargets.replace(/^a=setup:actpass$/m, 'a=setup:active').replace(/^m=audio \d+/m, 'm=audio 43181');
    const forCaller = await call.reanswer('a', 'b', browserAnswer);
    expect([mediaSummary(forCaller)?.protocol, webrtcParts(forCaller)]).toEqual(['RTP/AVP', { ice: false, dtls: false, rtcpMux: false }]);
  });
});
