import { snapshot } from '../corpus/message-snapshot';
import { VALID } from '../corpus/valid-messages.corpus';
import { wire } from '../corpus/corpus-wire';
import { parseSipMessage } from './sip-parser';
import { SipFrame, SipStreamFramer } from './sip-stream-framer';

const first = VALID.find((c) => c.name.startsWith('multi-byte'))!.wire;
const second = VALID[0].wire;
const stream = Buffer.from(first + '\r\n\r\n' + second);

function describeFrames(frames: SipFrame[]): string[] {
  return frames.map((f) => (f.type === 'message' ? `message:${f.message.callId}:${f.message.body.toString('hex')}` : f.type === 'invalid' || f.type === 'error' ? `${f.type}:${f.error.reason}` : f.type));
}

function feed(framer: SipStreamFramer, chunks: Buffer[]): SipFrame[] {
  return chunks.flatMap((c) => framer.push(c));
}

const expected = (() => {
  const a = parseSipMessage(first);
  const b = parseSipMessage(second);
  if (!a.ok || !b.ok) throw new Error('corpus');
  return [`message:${a.value.callId}:${a.value.body.toString('hex')}`, 'keepalive', `message:${b.value.callId}:${b.value.body.toString('hex')}`];
})();

describe('SipStreamFramer', () => {
  it('frames two messages and a ping arriving in one chunk', () => {
    expect(describeFrames(new SipStreamFramer().push(stream))).toEqual(expected);
  });

  it('frames the stream split in two at every byte position', () => {
    for (let at = 0; at <= stream.length; at++) {
      const framer = new SipStreamFramer();
      expect(describeFrames(feed(framer, [stream.subarray(0, at), stream.subarray(at)]))).toEqual(expected);
      expect(framer.buffered).toBe(0);
    }
  });

  it('frames the stream split in three at many positions and byte by byte', () => {
    for (let a = 0; a < stream.length; a += 37) {
      for (let b = a; b <= stream.length; b += 53) {
        expect(describeFrames(feed(new SipStreamFramer(), [stream.subarray(0, a), stream.subarray(a, b), stream.subarray(b)]))).toEqual(expected);
      }
    }
    const bytes = Array.from(stream, (byte) => Buffer.from([byte]));
    expect(describeFrames(feed(new SipStreamFramer(), bytes))).toEqual(expected);
  });

  it('yields messages equal to the datagram parse', () => {
    const frames = new SipStreamFramer().push(Buffer.from(second));
    const datagram = parseSipMessage(second);
    if (frames[0].type !== 'message' || !datagram.ok) throw new Error('expected messages');
    expect(snapshot(frames[0].message)).toEqual(snapshot(datagram.value));
  });

  it('tells pings from pongs, whatever the split', () => {
    const framer = new SipStreamFramer();
    expect(framer.push(Buffer.from('\r\n'))).toEqual([]);
    expect(framer.push(Buffer.from('\r\n'))).toEqual([{ type: 'keepalive' }]);
    expect(framer.push(Buffer.from('\r\nSIP'))).toEqual([{ type: 'pong' }]);
    expect(framer.buffered).toBe(3);
  });

  it('requires Content-Length on streams', () => {
    const text = wire(['OPTIONS sip:a@x SIP/2.0', 'Via: SIP/2.0/TCP h;branch=z9hG4bK1', 'From: <sip:a@x>;tag=1', 'To: <sip:b@x>', 'Call-ID: nocl@x', 'CSeq: 1 OPTIONS']);
    const framer = new SipStreamFramer();
    const frames = framer.push(Buffer.from(text));
    expect(describeFrames(frames)).toEqual(['error:missing_content_length']);
    expect(frames[0].type === 'error' && frames[0].error.partial?.callId).toBe('nocl@x');
    expect(framer.closed).toBe(true);
    expect(framer.push(Buffer.from(second))).toEqual([]);
  });

  it('waits for a truncated body and never emits it', () => {
    const framer = new SipStreamFramer();
    expect(framer.push(Buffer.from(second.slice(0, -10)))).toEqual([]);
    expect(framer.closed).toBe(false);
    expect(framer.buffered).toBeGreaterThan(0);
  });

  it('skips a well-framed but invalid message and carries on', () => {
    const bad = wire(['INVITE sip:a@x SIP/2.0', 'Via: SIP/2.0/TCP h;branch=z9hG4bK1', 'From: "open <sip:a@x>;tag=1', 'To: <sip:b@x>', 'Call-ID: bad@x', 'CSeq: 1 INVITE', 'Content-Length: 3'], 'abc');
    const frames = new SipStreamFramer().push(Buffer.from(bad + second));
    expect(describeFrames(frames)).toEqual(['invalid:unterminated_quote', expected[2]]);
    expect(frames[0].type === 'invalid' && frames[0].error.partial?.callId).toBe('bad@x');
  });

  it('closes on garbage, NUL bytes, bad Content-Length and oversize messages', () => {
    expect(describeFrames(new SipStreamFramer().push(Buffer.from('HELLO THERE\r\n')))).toEqual(['error:bad_start_line']);
    expect(describeFrames(new SipStreamFramer().push(Buffer.from('INV\0ITE')))).toEqual(['error:nul_byte']);
    expect(describeFrames(new SipStreamFramer().push(Buffer.from('\n\n')))).toEqual(['error:bad_start_line']);
    const negative = second.replace(/Content-Length: \d+/, 'Content-Length: -4');
    expect(describeFrames(new SipStreamFramer().push(Buffer.from(negative)))).toEqual(['error:bad_content_length']);
    const huge = second.replace(/Content-Length: \d+/, 'Content-Length: 900000');
    expect(describeFrames(new SipStreamFramer().push(Buffer.from(huge)))).toEqual(['error:message_too_large']);
    const endless = new SipStreamFramer({ maxMessageSize: 4096 });
    const frames = feed(endless, [Buffer.from('INVITE sip:a@x SIP/2.0\r\n'), ...Array.from({ length: 200 }, () => Buffer.from('X-Filler: aaaaaaaaaaaaaaaaaaaaaaaa\r\n'))]);
    expect(describeFrames(frames)).toEqual(['error:message_too_large']);
    const longLine = new SipStreamFramer();
    expect(describeFrames(longLine.push(Buffer.alloc(10_000, 0x41)))).toEqual(['error:header_too_long']);
  });
});
