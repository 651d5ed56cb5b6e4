import { parseNameAddr } from './name-addr';
import { SipParams } from './sip-params';
import { parseSipMessage } from './sip-parser';
import { codesOf, codesOfDecoded, trimEndAt, trimStartAt } from './sip-scan';

const head = (from: string, extra = ''): string =>
  [
    'INVITE sip:bob@example.com SIP/2.0',
    'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-scan',
    `From: ${from};tag=f1`,
    'To: <sip:bob@example.com>',
    'Call-ID: scan@192.0.2.1',
    'CSeq: 7 INVITE',
    'Max-Forwards: 70',
    ...(extra ? [extra] : []),
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');

function parsed(wire: Buffer) {
  const result = parseSipMessage(wire);
  if (!result.ok) throw new Error(`${result.error.reason}: ${result.error.message}`);
  return result.value;
}

describe('codes: one byte per UTF-16 unit, ASCII kept, the rest marked', () => {
  it('copies an ASCII string and marks every non-ASCII unit (including surrogates) with 0x80 or more', () => {
    expect([...codesOf('a;B').subarray(0, 3)]).toEqual([0x61, 0x3b, 0x42]);
    const text = 'é<😀>';
    const codes = codesOf(text);
    expect(text.length).toBe(5);
    expect([...codes.subarray(0, 5)].map((c) => c >= 0x80)).toEqual([true, false, true, true, false]);
    expect(codes[1]).toBe(0x3c);
  });

  it('takes the bytes as they are only when decoding made one unit per byte', () => {
    const ascii = Buffer.from('\r\nab');
    expect(codesOfDecoded(ascii, 2, 4, 'ab')[0]).toBe(0x61);
    const utf8 = Buffer.from('é:x');
    const codes = codesOfDecoded(utf8, 0, utf8.length, utf8.toString());
    expect([codes[0] >= 0x80, codes[1], codes[2]]).toEqual([true, 0x3a, 0x78]);
  });

  it('trims exactly what String.prototype.trim trims, Unicode spaces included', () => {
    for (const text of ['  a b\t', '\u00a0x\u3000', '\ufeffy\u2028', '\u200bz', '\r\n', 'é ']) {
      const codes = codesOf(text);
      const start = trimStartAt(text, codes, 0, text.length);
      expect(text.slice(start, trimEndAt(text, codes, start, text.length))).toBe(text.trim());
    }
  });
});

describe('parsing on codes', () => {
  it('reads multi-byte UTF-8 values with the same fields as ASCII ones', () => {
    const m = parsed(Buffer.from(head('"Zoë 😀 Ünal" <sip:zoe@example.com>', 'Subject: crème brûlée')));
    expect(m.from?.displayName).toBe('Zoë 😀 Ünal');
    expect(m.from?.uri).toMatchObject({ user: 'zoe', host: 'example.com' });
    expect(m.fromTag).toBe('f1');
    expect(m.headers.get('subject')).toBe('crème brûlée');
    expect(m.via?.branch).toBe('z9hG4bK-scan');
  });

  it('reads a head with undecodable bytes (one replacement character each) at the right places', () => {
    const wire = Buffer.from(head('"A##B" <sip:a@example.com>'));
    const at = wire.indexOf('##');
    wire[at] = 0xff;
    wire[at + 1] = 0xfe;
    const m = parsed(wire);
    expect(m.from?.displayName).toBe('A\ufffd\ufffdB');
    expect(m.fromTag).toBe('f1');
  });

  it('reads a message after leading CRLFs the same as without them', () => {
    const m = parsed(Buffer.from(`\r\n\r\n${head('<sip:alice@example.com>')}`));
    expect(m.callId).toBe('scan@192.0.2.1');
    expect(m.cseq).toEqual({ seq: 7, method: 'INVITE' });
  });

  it('keeps a header name as written and finds it by any spelling', () => {
    const m = parsed(Buffer.from(head('<sip:alice@example.com>', 'sUbJeCt: odd').replace('Call-ID:', 'call-ID:')));
    expect(m.headers.list.map((h) => h.name)).toContain('sUbJeCt');
    expect(m.headers.list.map((h) => h.name)).toContain('call-ID');
    expect(m.headers.get('Subject')).toBe('odd');
    expect(m.callId).toBe('scan@192.0.2.1');
  });

  it('still refuses a bad value with the reason it always had', () => {
    const result = parseSipMessage(Buffer.from(head('<sip:alice@example.com')));
    expect(result.ok ? undefined : result.error.reason).toBe('unterminated_angle');
  });
});

describe('SipParams lookup', () => {
  it('answers the first parameter whose name matches in any case, as before', () => {
    const params = SipParams.of({ TAG: 'upper', tag: 'lower' });
    expect(params.get('tag')).toBe('upper');
    expect(params.get('Tag')).toBe('upper');
    expect(parseNameAddr('<sip:a@example.com>;Tag=x').tag).toBe('x');
  });
});
