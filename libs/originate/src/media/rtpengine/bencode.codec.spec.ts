import { LegworkError } from '@legwork/common';
import { BencodeError, bdecode, bencode } from './bencode.codec';

describe('bencode codec', () => {
  it('encodes dictionaries with sorted keys, lists, integers and UTF-8 strings', () => {
    expect(bencode({ 'to-tag': 'b', command: 'offer', flags: ['port latching'], n: -3, sdp: 'é' }).toString('utf8')).toBe(
      'd7:command5:offer5:flagsl13:port latchinge1:ni-3e3:sdp2:é6:to-tag1:be',
    );
  });

  it('sends a Buffer as its raw bytes (a media blob), never re-encoded as text', () => {
    const blob = Buffer.from([0x52, 0xa4, 0x00, 0xff]);
    const encoded = bencode({ blob });
    expect(encoded.subarray(0, 9).toString('latin1')).toBe('d4:blob4:');
    expect([...encoded.subarray(9, 13)]).toEqual([0x52, 0xa4, 0x00, 0xff]);
    expect(encoded.length).toBe(14);
  });

  it('round-trips nested values', () => {
    const value = { result: 'ok', tags: { a: { medias: [{ index: 1, streams: [] }] } }, created: 1795452975 };
    expect(bdecode(bencode(value))).toEqual(value);
  });

  it.each(['d6:result', 'i12', 'x', '5:ab', 'i01e', 'l4:pong', 'de trailing', '-1:a'])('rejects malformed input %j', (text) => {
    expect(() => bdecode(Buffer.from(text))).toThrow(BencodeError);
  });

  it('rejects non-integer numbers and absurd nesting', () => {
    expect(() => bencode(1.5)).toThrow(BencodeError);
    expect(() => bdecode(Buffer.from('l'.repeat(100) + 'e'.repeat(100)))).toThrow(/too deep/);
  });

  it('fails with a LegworkError carrying the stable code bencode_invalid', () => {
    const err = (() => {
      try {
        bdecode(Buffer.from('x'));
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(LegworkError);
    expect(err).toMatchObject({ name: 'BencodeError', code: 'bencode_invalid' });
  });
});
