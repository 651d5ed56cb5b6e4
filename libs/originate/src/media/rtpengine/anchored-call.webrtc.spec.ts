import { randomBytes } from 'node:crypto';
import { directionOf, mediaSummary } from '@legwork/sip';
import { RtpProbe } from '../../testing/rtp-probe';
import { AnchoredCall, pinFirstCodec } from './anchored-call';
import { createRtpengineClient } from './rtpengine-client';
import type { RtpengineClient } from './rtpengine.types';
import { testRtpengineAddress } from './rtpengine-test.env';
import { isWebRtcSdp } from './webrtc-sides';

/** Chromium's offer for one microphone (host candidates on loopback), as a sip.js page puts it in its 200. */
const BROWSER_OFFER = [
  'v=0', 'o=- 6792413029606714043 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE 0', 'a=extmap-allow-mixed', 'a=msid-semantic: WMS e500',
  'm=audio 43181 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126', 'c=IN IP4 127.0.0.1', 'a=rtcp:9 IN IP4 0.0.0.0',
  'a=candidate:3201216219 1 udp 2122194687 127.0.0.1 43181 typ host generation 0 network-id 3 network-cost 50',
  'a=ice-ufrag:mUFC', 'a=ice-pwd:c7pIH3Iczj6+JkWZVosCd48u', 'a=ice-options:trickle',
  'a=fingerprint:sha-256 3A:09:2A:88:80:8E:02:F4:AA:72:85:35:E6:1A:70:2B:84:64:24:E3:56:26:99:AD:AD:A5:F9:C6:48:9D:03:E0',
  'a=setup:actpass', 'a=mid:0', 'a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level', 'a=sendrecv', 'a=msid:e500 ceeb', 'a=rtcp-mux', 'a=rtcp-rsize',
  'a=rtpmap:111 opus/48000/2', 'a=rtcp-fb:111 transport-cc', 'a=fmtp:111 minptime=10;useinbandfec=1', 'a=rtpmap:63 red/48000/2', 'a=fmtp:63 111/111',
  'a=rtpmap:9 G722/8000', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:13 CN/8000', 'a=rtpmap:110 telephone-event/48000',
  'a=rtpmap:126 telephone-event/8000', 'a=ssrc:2925699164 cname:zQp7MfpwEtBS9H/q', '',
].join('\r\n');

const webrtcParts = (sdp: string): Record<string, boolean> => ({
  ice: /^a=ice-ufrag:/m.test(sdp) && /^a=candidate:/m.test(sdp),
  dtls: /^a=fingerprint:/m.test(sdp) && /^a=setup:(active|passive|actpass)/m.test(sdp),
  rtcpMux: /^a=rtcp-mux/m.test(sdp),
});

describe('AnchoredCall with a browser on the A side (rtpengine bridges ICE/DTLS-SRTP/SAVPF to plain RTP)', () => {
  let client: RtpengineClient;
  const calls: AnchoredCall[] = [];
  const probes: RtpProbe[] = [];
  const anchored = (): AnchoredCall => {
    const call = new AnchoredCall(client, { callId: `webrtc-${randomBytes(8).toString('hex')}` });
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

  it('pins the first preferred codec the offer has, else its first codec', () => {
    const names = (sdp: string): string[] => mediaSummary(sdp)?.codecs.map((c) => c.name) ?? [];
    expect(names(pinFirstCodec(BROWSER_OFFER, ['PCMA', 'PCMU']))).toEqual(['PCMA']);
    expect(names(pinFirstCodec(BROWSER_OFFER, ['G729']))).toEqual(['opus']);
    expect(names(pinFirstCodec(BROWSER_OFFER))).toEqual(['opus']);
  });

  it('tells a browser offer from a phone one', async () => {
    const phone = await RtpProbe.create();
    probes.push(phone);
    expect([isWebRtcSdp(BROWSER_OFFER), isWebRtcSdp(phone.sdp())]).toEqual([true, false]);
  });

  it('offers the carrier side plain RTP/AVP in PCMU with no ICE or DTLS, and answers the browser with ICE, DTLS-SRTP and rtcp-mux in PCMU', async () => {
    const { sdpForA, sdpForB } = await anchored().anchorA(BROWSER_OFFER);
    expect(mediaSummary(sdpForB)).toMatchObject({ protocol: 'RTP/AVP', codecs: [{ name: 'PCMU' }], telephoneEvent: 126 });
    expect(webrtcParts(sdpForB)).toEqual({ ice: false, dtls: false, rtcpMux: false });
    expect(mediaSummary(sdpForA)).toMatchObject({ protocol: 'UDP/TLS/RTP/SAVPF', codecs: [{ name: 'PCMU' }] });
    expect(webrtcParts(sdpForA)).toEqual({ ice: true, dtls: true, rtcpMux: true });
  });

  it('the carrier answer and its hold re-offer reach the browser still as WebRTC; the browser re-offer reaches the carrier as plain RTP', async () => {
    const call = anchored();
    const { sdpForB } = await call.anchorA(BROWSER_OFFER);
    const carrier = await RtpProbe.create();
    probes.push(carrier);
    expect(webrtcParts(await call.answerB(carrier.sdp()))).toEqual({ ice: true, dtls: true, rtcpMux: true });
    expect(mediaSummary(sdpForB)?.port).toBeGreaterThan(0);

    const holdToBrowser = await call.reoffer(call.bTag, call.aTag, carrier.sdp({ direction: 'sendonly' }));
    expect([mediaSummary(holdToBrowser)?.protocol, directionOf(holdToBrowser), webrtcParts(holdToBrowser)]).toEqual([
      'UDP/TLS/RTP/SAVPF', 'sendonly', { ice: true, dtls: true, rtcpMux: true },
    ]);
    const toCarrier = await call.reanswer(call.bTag, call.aTag, BROWSER_OFFER.replace('a=sendrecv', 'a=recvonly'));
    expect([mediaSummary(toCarrier)?.protocol, webrtcParts(toCarrier)]).toEqual(['RTP/AVP', { ice: false, dtls: false, rtcpMux: false }]);
  });

  it('when a phone takes the browser side (a transfer away from the browser), it is offered plain RTP/AVP with no ICE or DTLS', async () => {
    const call = anchored();
    await call.anchorA(BROWSER_OFFER);
    const carrier = await RtpProbe.create();
    probes.push(carrier);
    await call.answerB(carrier.sdp());
    call.setWebRtc(call.aTag, false);
    const toPhone = await call.reoffer(call.bTag, call.aTag, carrier.sdp());
    expect([mediaSummary(toPhone)?.protocol, webrtcParts(toPhone).ice, webrtcParts(toPhone).dtls]).toEqual(['RTP/AVP', false, false]);
  });
});
