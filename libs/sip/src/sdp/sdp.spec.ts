import { parse } from 'sdp-transform';
import { answerFor, createOffer } from './sdp-offer-answer';
import { SdpError } from './sdp.errors';
import { connectionAddress, directionOf, isHold, mediaSummary, parseSdp, serializeSdp, setDirection, withNextVersion } from './sdp';

const crlf = (lines: string[]) => lines.join('\r\n') + '\r\n';

// the shape a desk phone sends: static PCMU/PCMA without rtpmap, G729, dynamic telephone-event, plus a video stream
const phoneOffer = crlf([
  'v=0',
  'o=phone 8000 8000 IN IP4 192.0.2.10',
  's=SIP Call',
  'c=IN IP4 192.0.2.10',
  't=0 0',
  'm=audio 49170 RTP/AVP 18 0 8 96',
  'a=rtpmap:18 G729/8000',
  'a=fmtp:18 annexb=no',
  'a=rtpmap:96 telephone-event/8000',
  'a=fmtp:96 0-15',
  'a=ptime:20',
  'a=sendrecv',
  'm=video 51372 RTP/AVP 99',
  'a=rtpmap:99 H264/90000',
]);

describe('SDP helpers', () => {
  it('parses and serializes through sdp-transform', () => {
    const sdp = parseSdp(Buffer.from(phoneOffer));
    expect(sdp.media).toHaveLength(2);
    expect(parseSdp(serializeSdp(sdp))).toEqual(sdp);
  });

  it('rejects what is not SDP with a typed error', () => {
    expect(() => parseSdp('hello')).toThrow(SdpError);
    expect(() => parseSdp('')).toThrow(expect.objectContaining({ code: 'invalid_sdp' }));
    expect(() => parseSdp(crlf(['v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 't=0 0', 'm=audio notaport RTP/AVP 0']))).toThrow(SdpError);
  });

  it('summarizes the audio stream, static payloads included', () => {
    expect(connectionAddress(phoneOffer)).toBe('192.0.2.10');
    expect(mediaSummary(phoneOffer)).toEqual({
      address: '192.0.2.10',
      port: 49170,
      protocol: 'RTP/AVP',
      codecs: [
        { payload: 18, name: 'G729', rate: 8000, fmtp: 'annexb=no' },
        { payload: 0, name: 'PCMU', rate: 8000 },
        { payload: 8, name: 'PCMA', rate: 8000 },
      ],
      telephoneEvent: 96,
      direction: 'sendrecv',
      ptime: 20,
    });
    expect(mediaSummary(crlf(['v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 't=0 0', 'm=video 5000 RTP/AVP 99']))).toBeUndefined();
  });

  it('prefers the media-level c= line', () => {
    const sdp = crlf(['v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 'c=IN IP4 192.0.2.1', 't=0 0', 'm=audio 5000 RTP/AVP 0', 'c=IN IP4 198.51.100.7']);
    expect(connectionAddress(sdp)).toBe('198.51.100.7');
  });

  it('puts a call on hold and back', () => {
    expect(isHold(phoneOffer)).toBe(false);
    const held = setDirection(phoneOffer, 'sendonly');
    expect(held).toContain('a=sendonly\r\n');
    expect(held).not.toContain('a=sendrecv');
    expect(isHold(held)).toBe(true);
    expect(isHold(setDirection(held, 'inactive'))).toBe(true);
    expect(isHold(setDirection(held, 'recvonly'))).toBe(false);
    expect(directionOf(setDirection(held, 'sendrecv'))).toBe('sendrecv');
    expect(isHold(phoneOffer.replace('c=IN IP4 192.0.2.10', 'c=IN IP4 0.0.0.0'))).toBe(true);
    expect(parseSdp(withNextVersion(held)).origin.sessionVersion).toBe(8001);
  });

  it('creates a valid audio offer', () => {
    const text = createOffer({ address: '203.0.113.5', port: 30000, sessionId: '4242' });
    const lines = text.split('\r\n').filter((l) => l.length > 0);
    expect(lines.map((l) => l[0])).toEqual(['v', 'o', 's', 'c', 't', 'm', 'a', 'a', 'a', 'a', 'a', 'a']);
    expect(lines[1]).toBe('o=legwork 4242 1 IN IP4 203.0.113.5');
    expect(lines[5]).toBe('m=audio 30000 RTP/AVP 0 8 101');
    expect(text).toContain('a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\n');
    const parsed = parse(text);
    expect(parsed.media[0].direction).toBe('sendrecv');
    expect(mediaSummary(text)?.codecs.map((c) => c.name)).toEqual(['PCMU', 'PCMA']);
  });

  it('creates IPv6 offers and refuses codec lists it cannot express', () => {
    expect(createOffer({ address: '2001:db8::1', port: 4000, codecs: ['PCMA'] })).toContain('c=IN IP6 2001:db8::1\r\n');
    expect(() => createOffer({ address: '192.0.2.1', port: 4000, codecs: ['telephone-event'] })).toThrow(expect.objectContaining({ code: 'no_common_codec' }));
    expect(() => createOffer({ address: '192.0.2.1', port: 4000, codecs: ['AMR-WB'] })).toThrow(expect.objectContaining({ code: 'unknown_codec' }));
  });

  it('answers with the codecs in common, keeping the offer order and payload numbers, declining video', () => {
    const answer = parseSdp(answerFor(phoneOffer, { address: '203.0.113.5', port: 30002 }));
    expect(answer.media).toHaveLength(2);
    const [audio, video] = answer.media;
    expect(audio.port).toBe(30002);
    expect(audio.payloads).toBe('0 8 96');
    expect(audio.fmtp).toEqual([{ payload: 96, config: '0-15' }]);
    expect(audio.direction).toBe('sendrecv');
    expect(audio.ptime).toBe(20);
    expect(video.port).toBe(0);
    expect(connectionAddress(answer)).toBe('203.0.113.5');
  });

  it('mirrors the offered direction and combines it with ours', () => {
    const held = setDirection(phoneOffer, 'sendonly');
    expect(directionOf(answerFor(held, { address: '203.0.113.5', port: 30002 }))).toBe('recvonly');
    expect(directionOf(answerFor(setDirection(phoneOffer, 'inactive'), { address: '203.0.113.5', port: 30002 }))).toBe('inactive');
    expect(directionOf(answerFor(phoneOffer, { address: '203.0.113.5', port: 30002, direction: 'sendonly' }))).toBe('sendonly');
    expect(directionOf(answerFor(setDirection(phoneOffer, 'recvonly'), { address: '203.0.113.5', port: 30002 }))).toBe('sendonly');
  });

  it('round-trips our own offer into an answer', () => {
    const offer = createOffer({ address: '192.0.2.50', port: 10000, codecs: ['PCMA', 'PCMU', 'telephone-event'] });
    const answer = answerFor(offer, { address: '192.0.2.60', port: 20000, codecs: ['PCMU', 'telephone-event'] });
    expect(mediaSummary(answer)).toMatchObject({ address: '192.0.2.60', port: 20000, codecs: [{ name: 'PCMU', payload: 0 }], telephoneEvent: 101 });
  });

  it('fails with typed errors when it cannot answer', () => {
    expect(() => answerFor(phoneOffer, { address: '192.0.2.1', port: 1, codecs: ['opus'] })).toThrow(expect.objectContaining({ code: 'no_common_codec' }));
    expect(() => answerFor(phoneOffer.replace('m=audio 49170', 'm=audio 0'), { address: '192.0.2.1', port: 1 })).toThrow(expect.objectContaining({ code: 'no_audio' }));
    expect(() => answerFor(phoneOffer.replace('49170 RTP/AVP', '49170 RTP/SAVP'), { address: '192.0.2.1', port: 1 })).toThrow(expect.objectContaining({ code: 'unsupported_profile' }));
  });
});
