import { ownedString, ownedStrings } from './owned-string';

describe('ownedString', () => {
  it('returns the same text, short or long, including non-ASCII and lone surrogates', () => {
    const head = 'SIP/2.0 200 OK\r\nTo: <sip:bob@example.com>;tag=0123456789abcdef\r\n';
    const tag = head.slice(head.indexOf('tag=') + 4, head.indexOf('\r\n', 20));
    expect(ownedString(tag)).toBe('0123456789abcdef');
    expect(ownedString('short')).toBe('short');
    expect(ownedString('sip:jürgen@example.com;x=\ud800')).toBe('sip:jürgen@example.com;x=\ud800');
    expect(ownedStrings(['a', `${'b'.repeat(20)}${tag}`])).toEqual(['a', `${'b'.repeat(20)}0123456789abcdef`]);
  });
});
