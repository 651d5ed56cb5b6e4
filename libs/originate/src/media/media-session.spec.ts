import { createOffer, isHold, connectionAddress } from '@legwork/sip';
import { BypassMediaSession } from './bypass.media';
import { SdpOrigin } from './sdp-rewrite';

const OFFER_A = createOffer({ address: '127.0.0.1', port: 4000, sessionId: '11' });
const ANSWER_B = createOffer({ address: '127.0.0.2', port: 5000, sessionId: '22' });

describe('BypassMediaSession (RFC 3725 flow IV)', () => {
  it('holds A with a black hole, offers A to B, and hands B the answer with our own growing origin', async () => {
    const media = new BypassMediaSession(new SdpOrigin('10.0.0.1'));
    const held = await media.answerA(OFFER_A);
    expect(isHold(held)).toBe(true);
    expect(connectionAddress(held)).toBe('0.0.0.0');
    expect(await media.offerForB()).toBe(OFFER_A);
    const forA = await media.onBAnswer(ANSWER_B);
    expect(connectionAddress(forA)).toBe('127.0.0.2');
    expect(forA).toContain('m=audio 5000');
    const version = (sdp: string): number => Number(/^o=\S+ \S+ (\d+)/m.exec(sdp)?.[1]);
    const session = (sdp: string): string | undefined => /^o=\S+ (\S+)/m.exec(sdp)?.[1];
    expect(session(forA)).toBe(session(held));
    expect(version(forA)).toBeGreaterThan(version(held));
  });

  it('refuses to offer B before A has offered', async () => {
    await expect(new BypassMediaSession(new SdpOrigin('10.0.0.1')).offerForB()).rejects.toThrow('A-leg offer');
  });
});
