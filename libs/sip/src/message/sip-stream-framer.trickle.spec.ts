import { wire } from '../corpus/corpus-wire';
import { SipStreamFramer } from './sip-stream-framer';

/** Bytes Buffer.prototype.indexOf was asked to search and bytes Buffer.concat copied while fn ran. */
function bufferWork(fn: () => void): number {
  let bytes = 0;
  const proto = Buffer.prototype as unknown as { indexOf: (this: Buffer, value: unknown, from?: number) => number };
  const indexOf = proto.indexOf;
  const concat = Buffer.concat;
  const searched = jest.spyOn(proto, 'indexOf').mockImplementation(function (this: Buffer, value: unknown, from?: number) {
    bytes += this.length - Math.max(0, from ?? 0);
    return indexOf.call(this, value, from);
  });
  const copied = jest.spyOn(Buffer, 'concat').mockImplementation((list: readonly Uint8Array[], total?: number) => {
    const out = concat(list, total);
    bytes += out.length;
    return out;
  });
  try {
    fn();
  } finally {
    searched.mockRestore();
    copied.mockRestore();
  }
  return bytes;
}

describe('SipStreamFramer under a peer that sends one byte per packet', () => {
  const head = ['OPTIONS sip:a@192.0.2.1 SIP/2.0', 'Via: SIP/2.0/TCP 192.0.2.9;branch=z9hG4bKtrickle', 'From: <sip:b@192.0.2.9>;tag=t', 'To: <sip:a@192.0.2.1>', 'Call-ID: trickle@192.0.2.9', 'CSeq: 1 OPTIONS'];
  const message = Buffer.from(wire([...head, ...Array.from({ length: 200 }, (_, i) => `X-Pad-${i}: ${'p'.repeat(40)}`), 'Content-Length: 2000'], 'b'.repeat(2000)));

  it('frames the message, searching and copying each byte a bounded number of times', () => {
    const framer = new SipStreamFramer();
    const frames: string[] = [];
    const work = bufferWork(() => {
      for (let i = 0; i < message.length; i++) for (const frame of framer.push(message.subarray(i, i + 1))) frames.push(frame.type);
    });
    expect(frames).toEqual(['message']);
    // re-searching or re-copying everything buffered at each byte would be ~message.length² / 2 (about 65 million here)
    expect(work).toBeLessThan(20 * message.length);
  });
});
