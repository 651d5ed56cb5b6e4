import { createOffer } from '@legwork/sip';
import { BypassMediaSession } from './bypass.media';
import { NoVideoMediaSession, refuseVideo } from './no-video.media';
import { SdpOrigin } from './sdp-rewrite';

const withVideo = (address: string, audio: number, video: number): string =>
  `${createOffer({ address, port: audio, sessionId: '7' })}m=video ${video} RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=sendrecv\r\n`;
const ports = (sdp: string): string[] => [...sdp.matchAll(/^m=(\w+) (\d+) /gm)].map((m) => `${m[1]}:${m[2]}`);

describe('refuseVideo', () => {
  it('sets every video stream to port 0 and keeps its m-line, so answers still pair with offers line by line', () => {
    expect(ports(refuseVideo(withVideo('127.0.0.1', 4000, 4002)))).toEqual(['audio:4000', 'video:0']);
  });

  it('leaves an SDP without an open video stream as it was', () => {
    const audioOnly = createOffer({ address: '127.0.0.1', port: 4000, sessionId: '7' });
    expect(refuseVideo(audioOnly)).toBe(audioOnly);
  });
});

describe('NoVideoMediaSession', () => {
  it("refuses video in A's answer, in the offer to B and in what A gets from B's answer", async () => {
    const media = new NoVideoMediaSession(new BypassMediaSession(new SdpOrigin('10.0.0.1')));
    expect(ports(await media.answerA(withVideo('127.0.0.1', 4000, 4002)))).toEqual(['audio:4000', 'video:0']);
    expect(ports(await media.offerForB())).toEqual(['audio:4000', 'video:0']);
    // a far end that answers the refused stream with a port anyway does not get it through
    expect(ports((await media.onBAnswer(withVideo('127.0.0.2', 5000, 5002))) ?? '')).toEqual(['audio:5000', 'video:0']);
    expect(media.legMedia('b')).toEqual({ mode: 'bypass', video: false });
  });
});
