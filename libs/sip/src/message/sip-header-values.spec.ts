import { NameAddr, parseNameAddr, serializeNameAddr } from './name-addr';
import { SipAuth, parseAuth, serializeAuth } from './sip-auth';
import { parseCSeq, serializeCSeq } from './sip-cseq';
import { SipParams, parseHeaderParams } from './sip-params';
import { SipValueError } from './sip-parse-error';
import { quote, splitList, unquote } from './sip-text';
import { parseUri, serializeUri, unescapeUriPart } from './sip-uri';
import { SipVia, parseVia, serializeVia } from './sip-via';

function reasonOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof SipValueError ? err.reason : 'untyped';
  }
}

describe('URIs', () => {
  it('parses every part of a SIP URI', () => {
    expect(parseUri('sips:alice:pw@[2001:db8::1]:5061;transport=tls;lr;maddr=239.1.1.1;ob;pn-provider=apns?Subject=hi&X=%20')).toEqual({
      kind: 'sip', scheme: 'sips', user: 'alice', password: 'pw', host: '[2001:db8::1]', port: 5061,
      params: new SipParams([{ name: 'transport', value: 'tls' }, { name: 'lr', value: null }, { name: 'maddr', value: '239.1.1.1' }, { name: 'ob', value: null }, { name: 'pn-provider', value: 'apns' }]),
      headers: [{ name: 'Subject', value: 'hi' }, { name: 'X', value: '%20' }],
    });
  });

  it('treats the scheme case-insensitively and keeps hosts as written', () => {
    const uri = parseUri('SIP:Bob@Example.COM');
    expect(uri).toMatchObject({ scheme: 'sip', user: 'Bob', host: 'Example.COM' });
  });

  it.each(['sip:host', 'sip:user@10.0.0.1:5060', 'sips:[::1]', 'sip:u;p=1@h.example;lr?a=b', 'tel:+1-555-0100;phone-context=example.com', 'urn:service:sos', 'sip:h;transport=udp;x=%41'])(
    'round-trips %s',
    (text) => {
      expect(serializeUri(parseUri(text))).toBe(text.replace(/^SIP/, 'sip'));
      expect(parseUri(serializeUri(parseUri(text)))).toEqual(parseUri(text));
    },
  );

  it.each([
    ['no scheme', 'alice@example.com'],
    ['empty host', 'sip:alice@'],
    ['bad port', 'sip:h:70000'],
    ['letters in port', 'sip:h:50a'],
    ['space', 'sip:a b@h'],
    ['unclosed IPv6', 'sip:[2001:db8::1'],
    ['junk after host', 'sip:host,other'],
    ['empty tel', 'tel:'],
  ])('rejects %s', (_why, text) => {
    expect(reasonOf(() => parseUri(text))).toBe('bad_uri');
  });

  it('unescapes URI parts without throwing on bad escapes', () => {
    expect(unescapeUriPart('%61lice%20x')).toBe('alice x');
    expect(unescapeUriPart('100%')).toBe('100%');
    expect(unescapeUriPart('%e9t%E9')).toBe('\u00e9t\u00e9');
  });
});

describe('name-addr', () => {
  it('parses quoted, token and missing display names', () => {
    expect(parseNameAddr('"A \\"B\\"" <sip:a@h>;tag=1;x').displayName).toBe('A "B"');
    expect(parseNameAddr('Bob  Smith <sip:b@h>').displayName).toBe('Bob  Smith');
    const bare = parseNameAddr('<sip:c@h;lr>');
    expect(bare.displayName).toBeUndefined();
    expect(bare.uri.kind === 'sip' && bare.uri.params.has('lr')).toBe(true);
  });

  it('serializes with quotes, brackets and params', () => {
    const value = new NameAddr(parseUri('sip:alice@example.com'), 'Alice "Al"', SipParams.of({ tag: 'xyz', q: '0.5', flag: null }));
    expect(serializeNameAddr(value)).toBe('"Alice \\"Al\\"" <sip:alice@example.com>;tag=xyz;q=0.5;flag');
    expect(parseNameAddr(value.toString())).toEqual(value);
    expect(value.tag).toBe('xyz');
  });

  it('rejects broken forms with typed reasons', () => {
    expect(reasonOf(() => parseNameAddr('"open <sip:a@h>'))).toBe('unterminated_quote');
    expect(reasonOf(() => parseNameAddr('<sip:a@h'))).toBe('unterminated_angle');
    expect(reasonOf(() => parseNameAddr('"name" sip:a@h'))).toBe('bad_name_addr');
    expect(reasonOf(() => parseNameAddr('<sip:a@h>;=x'))).toBe('bad_params');
    expect(reasonOf(() => parseNameAddr('<sip:a@h> junk'))).toBe('bad_params');
  });
});

describe('Via', () => {
  it('reads protocol, transport, sent-by and the usual params', () => {
    const via = parseVia('SIP / 2.0 / TCP  client.example.com : 5070 ;branch=z9hG4bK1;received=192.0.2.1;rport=4321;maddr=239.1.1.1;ttl=3;alias');
    expect([via.protocol, via.version, via.transport, via.host, via.port]).toEqual(['SIP', '2.0', 'TCP', 'client.example.com', 5070]);
    expect([via.branch, via.received, via.rport, via.maddr, via.ttl, via.params.has('alias')]).toEqual(['z9hG4bK1', '192.0.2.1', 4321, '239.1.1.1', 3, true]);
  });

  it('tells a valueless rport from an absent one', () => {
    expect(parseVia('SIP/2.0/UDP h;rport;branch=z9hG4bKa').rport).toBe(true);
    expect(parseVia('SIP/2.0/UDP h;branch=z9hG4bKa').rport).toBeUndefined();
  });

  it('serializes and round-trips', () => {
    const via = new SipVia('WSS', '[2001:db8::5]', 443, SipParams.of({ branch: 'z9hG4bKx', rport: null }));
    expect(serializeVia(via)).toBe('SIP/2.0/WSS [2001:db8::5]:443;branch=z9hG4bKx;rport');
    expect(parseVia(via.toString())).toEqual(via);
  });

  it.each(['SIP/2.0 host', 'SIP/2.0/UDP', 'SIP/2.0/UDP h:99999', 'SIP/2.0/UDP [::1', 'SIP/2.0/UDP h:'])('rejects %s', (text) => {
    expect(reasonOf(() => parseVia(text))).toBe('bad_via');
  });
});

describe('CSeq', () => {
  it('parses and serializes', () => {
    expect(parseCSeq('  42   INVITE ')).toEqual({ seq: 42, method: 'INVITE' });
    expect(serializeCSeq({ seq: 7, method: 'BYE' })).toBe('7 BYE');
  });

  it.each(['INVITE', '1', '-1 INVITE', '2147483648 INVITE', '1 IN VITE', '12INVITE', '99999999999 BYE'])('rejects "%s"', (text) => {
    expect(reasonOf(() => parseCSeq(text))).toBe('bad_cseq');
  });
});

describe('params, quoted strings and lists', () => {
  it('parses flags, tokens, quoted values and IPv6 values', () => {
    const params = parseHeaderParams(';a=1 ; flag ;q="x;y,z" ;received=[2001:db8::1]', 0);
    expect(params.list).toEqual([{ name: 'a', value: '1' }, { name: 'flag', value: null }, { name: 'q', value: '"x;y,z"' }, { name: 'received', value: '[2001:db8::1]' }]);
    expect(unquote(params.get('q') ?? '')).toBe('x;y,z');
    expect(params.get('FLAG')).toBeNull();
    expect(params.get('missing')).toBeUndefined();
    expect(params.set('a', '2').delete('flag').toString()).toBe(';a=2;q="x;y,z";received=[2001:db8::1]');
  });

  it('quotes and unquotes with escapes', () => {
    expect(quote('say "hi" \\o/')).toBe('"say \\"hi\\" \\\\o/"');
    expect(unquote(quote('say "hi" \\o/'))).toBe('say "hi" \\o/');
    expect(unquote('token')).toBe('token');
  });

  it('splits lists outside quotes and angle brackets', () => {
    expect(splitList('a, "b,c" <sip:x;p=1,2>;q=1 ,, d')).toEqual(['a', '"b,c" <sip:x;p=1,2>;q=1', 'd']);
    expect(reasonOf(() => splitList('"open, b'))).toBe('unterminated_quote');
    expect(reasonOf(() => splitList('<sip:a, b'))).toBe('unterminated_angle');
  });
});

describe('auth headers', () => {
  it('parses a Digest challenge and keeps quoting for serialization', () => {
    const text = 'Digest realm="atlanta.example.com", qop="auth,auth-int", nonce="ea9c8e88df84f1cec4341ae6cbe5a359", opaque="", stale=FALSE, algorithm=MD5';
    const auth = parseAuth(text);
    expect(auth.scheme).toBe('Digest');
    expect(auth.get('REALM')).toBe('atlanta.example.com');
    expect(auth.get('opaque')).toBe('');
    expect(auth.get('qop')).toBe('auth,auth-int');
    expect(serializeAuth(auth)).toBe(text);
  });

  it('parses credentials with escaped quotes and token68 schemes', () => {
    const creds = parseAuth('Digest username="a\\"b", uri="sip:h", response="abc", nc=00000001, cnonce="x"');
    expect(creds.get('username')).toBe('a"b');
    expect(parseAuth(serializeAuth(creds))).toEqual(creds);
    expect(parseAuth('Bearer eyJhbGciOi.eyJzdWIi.sig==')).toEqual(new SipAuth('Bearer', [], 'eyJhbGciOi.eyJzdWIi.sig=='));
  });

  it('rejects broken auth values', () => {
    expect(reasonOf(() => parseAuth('Digest realm="x" nonce="y"'))).toBe('bad_auth');
    expect(reasonOf(() => parseAuth('Digest realm="x'))).toBe('unterminated_quote');
    expect(reasonOf(() => parseAuth('Digest realm=, nonce=1'))).toBe('bad_auth');
  });
});
