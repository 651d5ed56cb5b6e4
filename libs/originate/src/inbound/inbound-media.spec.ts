import type { Dialog } from '@legwork/sip';
import type { InboundLeg } from './inbound-leg';
import { InboundMedia } from './inbound-media';
import { bypassPath } from './inbound-sdp-path';

const PHONE_OFFER = 'v=0\r\no=phone 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n';
const CARRIER_SDP = 'v=0\r\no=carrier 1 1 IN IP4 198.51.100.1\r\ns=-\r\nc=IN IP4 198.51.100.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\n';

/** A caller's leg as the plan sees it: its INVITE's offer, the SDP it was accepted with, and the ACK it sent. */
function callerLeg(offer: string, ackBody: string): InboundLeg & { acceptedWith: string[] } {
  const incoming: { ack?: { body: Buffer } } = {};
  const acceptedWith: string[] = [];
  return {
    offer, incoming, acceptedWith, media: undefined,
    accept: async (sdp: string) => {
      acceptedWith.push(sdp);
      incoming.ack = { body: Buffer.from(ackBody) };
      return {} as Dialog;
    },
  } as unknown as InboundLeg & { acceptedWith: string[] };
}

/** The offer/answer rules of an inbound call, in bypass (the SDP crosses as it is). */
describe('InboundMedia', () => {
  it("early offer: the targets get the caller's offer, and the winner's answer is the caller's 200", async () => {
    const media = new InboundMedia(bypassPath());
    const leg = callerLeg(CARRIER_SDP, '');
    media.bind(leg);
    await media.prepare();
    expect(media.lateOffer).toBe(false);
    expect(media.offerForTargets()).toBe(CARRIER_SDP);
    await media.answerCaller('t1', { remoteSdp: PHONE_OFFER } as Dialog);
    expect(leg.acceptedWith).toEqual([PHONE_OFFER]);
    expect(leg.media).toEqual({ mode: 'bypass' });
  });

  it("late offer: the first target's offer is the caller's 200 and the caller's ACK answers that target; a second target is refused", async () => {
    const media = new InboundMedia(bypassPath());
    const leg = callerLeg('', CARRIER_SDP);
    media.bind(leg);
    await media.prepare();
    expect(media.offerForTargets()).toBeUndefined();
    expect(await media.forTarget('t1').answerA(PHONE_OFFER)).toBe(CARRIER_SDP);
    await expect(media.forTarget('t2').answerA(PHONE_OFFER)).rejects.toThrow('another target already answered');
    expect(leg.acceptedWith).toEqual([PHONE_OFFER]);
    await media.answerCaller('t1', {} as Dialog);
    await expect(media.answerCaller('t2', {} as Dialog)).rejects.toThrow("another one's offer reached the caller");
  });

  it("late offer: an ACK without an answer fails that target's ACK and the bridge", async () => {
    const media = new InboundMedia(bypassPath());
    media.bind(callerLeg('', ''));
    await expect(media.forTarget('t1').answerA(PHONE_OFFER)).rejects.toThrow('carried no answer');
    await expect(media.answerCaller('t1', {} as Dialog)).rejects.toThrow('carried no answer');
  });
});
