import { createRequest } from './sip-builders';
import { parseSipMessage } from './sip-parser';
import { ownedCopy, ownedUtf8 } from './owned-buffer';

const options = (raw: string): string => `OPTIONS sip:b@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\r\nFrom: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>\r\nCall-ID: c1\r\nCSeq: 1 OPTIONS\r\nContent-Length: ${raw.length}\r\n\r\n${raw}`;

describe('message bodies own their memory', () => {
  it('gives a string body its own bytes, not a slice of the shared pool', () => {
    const req = createRequest({ method: 'INVITE', uri: 'sip:b@example.com', from: '<sip:a@example.com>;tag=1', to: '<sip:b@example.com>', callId: 'c1', cseq: 1, body: 'v=0\r\n' });
    expect(req.body.toString()).toBe('v=0\r\n');
    expect(req.body.buffer.byteLength).toBe(req.body.length);
  });

  it('copies into exactly sized memory', () => {
    expect(ownedUtf8('é').buffer.byteLength).toBe(2);
    const copy = ownedCopy(Buffer.from('abc'));
    expect(copy.toString()).toBe('abc');
    expect(copy.buffer.byteLength).toBe(3);
  });

  it('does not keep the datagram for an empty body, and slices it for a real one', () => {
    const empty = parseSipMessage(Buffer.from(options('')));
    const full = parseSipMessage(Buffer.from(options('hello')));
    if (!empty.ok || !full.ok) throw new Error('parse failed');
    expect(empty.value.body.length).toBe(0);
    expect(empty.value.body.buffer.byteLength).toBe(0);
    expect(full.value.body.toString()).toBe('hello');
  });
});
