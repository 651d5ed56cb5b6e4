import { byteLength, wire } from './corpus-wire';

export interface ValidCase {
  name: string;
  wire: string;
  expect: {
    kind: 'request' | 'response';
    method?: string;
    uri?: string;
    status?: number;
    reason?: string;
    callId: string;
    cseq: { seq: number; method: string };
    branch: string;
    fromTag?: string;
    toTag?: string;
    body: string;
    headerCount: number;
  };
}

const sdp = 'v=0\r\no=bob 1 1 IN IP4 198.51.100.7\r\ns=-\r\nc=IN IP4 198.51.100.7\r\nt=0 0\r\nm=audio 30000 RTP/AVP 0\r\n';
const utf8Body = 'Grüße aus Zürich ☎ — 你好 👋';
const longValue = 'x'.repeat(3000);
const longTag = 'T'.repeat(400);

export const VALID: ValidCase[] = [
  {
    name: 'plain INVITE with SDP',
    wire: wire(
      [
        'INVITE sip:bob@biloxi.example.org SIP/2.0',
        'Via: SIP/2.0/UDP pc33.atlanta.example.org:5060;branch=z9hG4bKnashds8;rport',
        'Max-Forwards: 70',
        'From: "Alice" <sip:alice@atlanta.example.org>;tag=9fxced76sl',
        'To: Bob <sip:bob@biloxi.example.org>',
        'Call-ID: 3848276298220188511@atlanta.example.org',
        'CSeq: 1 INVITE',
        'Contact: <sip:alice@pc33.atlanta.example.org;transport=udp>;expires=3600',
        'Content-Type: application/sdp',
        `Content-Length: ${byteLength(sdp)}`,
      ],
      sdp,
    ),
    expect: { kind: 'request', method: 'INVITE', uri: 'sip:bob@biloxi.example.org', callId: '3848276298220188511@atlanta.example.org', cseq: { seq: 1, method: 'INVITE' }, branch: 'z9hG4bKnashds8', fromTag: '9fxced76sl', body: sdp, headerCount: 9 },
  },
  {
    name: 'compact header names only',
    wire: wire(
      [
        'OPTIONS sip:carol@chicago.example.com SIP/2.0',
        'v: SIP/2.0/TCP host1.example.com;branch=z9hG4bKcompact1',
        'f: <sip:dave@example.com>;tag=abc123',
        't: <sip:carol@chicago.example.com>',
        'i: compact-1@host1.example.com',
        'CSeq: 7 OPTIONS',
        'm: <sip:dave@host1.example.com;transport=tcp>',
        'k: path, outbound',
        's: Short forms',
        'o: presence',
        'u: dialog',
        'x: 1800',
        'c: text/plain',
        'l: 5',
      ],
      'hello',
    ),
    expect: { kind: 'request', method: 'OPTIONS', uri: 'sip:carol@chicago.example.com', callId: 'compact-1@host1.example.com', cseq: { seq: 7, method: 'OPTIONS' }, branch: 'z9hG4bKcompact1', fromTag: 'abc123', body: 'hello', headerCount: 13 },
  },
  {
    name: 'wide whitespace, folding and odd spacing around colons',
    wire: wire([
      'REGISTER sip:registrar.example.net SIP/2.0',
      'Via   :  SIP / 2.0 / UDP  10.0.0.7 : 5062 ;  branch = z9hG4bKwsp1 ; received=192.0.2.4',
      'From\t:\t<sip:eve@example.net>\t;\ttag=w1',
      'To:',
      '   <sip:eve@example.net>',
      'Call-ID  :  ws-folded-42@10.0.0.7',
      'CSeq: 12',
      '\t REGISTER',
      'Subject: first part',
      '   second part',
      '\tthird part',
      'Max-Forwards:    69   ',
      'Contact: <sip:eve@10.0.0.7:5062>',
      '  ;expires=600',
      'Content-Length:   0',
    ]),
    expect: { kind: 'request', method: 'REGISTER', uri: 'sip:registrar.example.net', callId: 'ws-folded-42@10.0.0.7', cseq: { seq: 12, method: 'REGISTER' }, branch: 'z9hG4bKwsp1', fromTag: 'w1', body: '', headerCount: 9 },
  },
  {
    name: 'escaped characters in URIs and quoted strings',
    wire: wire([
      'INVITE sip:%61lice;day=tue%2Fwed@example.com;x-Param=%20v SIP/2.0',
      'Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKesc',
      'From: "\\"Tricky\\" \\\\ Name, Jr." <sip:caller@example.com>;tag=q1',
      'To: "Ünïcødé ☺" <sip:%61lice@example.com>',
      'Call-ID: esc@192.0.2.1',
      'CSeq: 3 INVITE',
      'Max-Forwards: 5',
      'Content-Length: 0',
    ]),
    expect: { kind: 'request', method: 'INVITE', uri: 'sip:%61lice;day=tue%2Fwed@example.com;x-Param=%20v', callId: 'esc@192.0.2.1', cseq: { seq: 3, method: 'INVITE' }, branch: 'z9hG4bKesc', fromTag: 'q1', body: '', headerCount: 7 },
  },
  {
    name: 'unknown URI schemes',
    wire: wire([
      'MESSAGE im:user@example.org SIP/2.0',
      'Via: SIP/2.0/UDP 192.0.2.2;branch=z9hG4bKscheme',
      'From: <http://example.org/~caller>;tag=http1',
      'To: <urn:service:sos>',
      'Call-ID: schemes@192.0.2.2',
      'CSeq: 1 MESSAGE',
      'Contact: <mailto:someone@example.org>',
      'Content-Length: 0',
    ]),
    expect: { kind: 'request', method: 'MESSAGE', uri: 'im:user@example.org', callId: 'schemes@192.0.2.2', cseq: { seq: 1, method: 'MESSAGE' }, branch: 'z9hG4bKscheme', fromTag: 'http1', body: '', headerCount: 7 },
  },
  {
    name: 'list values in one header and across several',
    wire: wire([
      'SIP/2.0 200 OK',
      'Via: SIP/2.0/UDP proxy1.example.com;branch=z9hG4bKtop;received=192.0.2.10, SIP/2.0/TCP proxy2.example.com:5061;branch=z9hG4bKmid',
      'Via: SIP/2.0/UDP ua.example.com;branch=z9hG4bKbottom',
      'Record-Route: <sip:proxy1.example.com;lr>, <sip:proxy2.example.com;lr;transport=tcp>',
      'Record-Route: <sip:proxy3.example.com;lr>',
      'From: <sip:a@example.com>;tag=lst1',
      'To: <sip:b@example.com>;tag=lst2',
      'Call-ID: lists@ua.example.com',
      'CSeq: 99 INVITE',
      'Allow: INVITE, ACK',
      'Allow: BYE,CANCEL , OPTIONS',
      'Contact: "Doe, John <home>" <sip:john@192.0.2.20>;q=0.7, <sip:john@192.0.2.21>;q=0.3',
      'Content-Length: 0',
    ]),
    expect: { kind: 'response', status: 200, reason: 'OK', callId: 'lists@ua.example.com', cseq: { seq: 99, method: 'INVITE' }, branch: 'z9hG4bKtop', fromTag: 'lst1', toTag: 'lst2', body: '', headerCount: 12 },
  },
  {
    name: 'multi-byte UTF-8 body counted in bytes',
    wire: wire(
      [
        'MESSAGE sip:user@example.com SIP/2.0',
        'Via: SIP/2.0/WS df7jal23ls0d.invalid;branch=z9hG4bKutf8;rport=51234',
        'From: "Jürgen" <sip:juergen@example.com>;tag=u8',
        'To: <sip:user@example.com>',
        'Call-ID: utf8-body@example.com',
        'CSeq: 2 MESSAGE',
        'Content-Type: text/plain;charset=utf-8',
        `Content-Length: ${byteLength(utf8Body)}`,
      ],
      utf8Body,
    ),
    expect: { kind: 'request', method: 'MESSAGE', uri: 'sip:user@example.com', callId: 'utf8-body@example.com', cseq: { seq: 2, method: 'MESSAGE' }, branch: 'z9hG4bKutf8', fromTag: 'u8', body: utf8Body, headerCount: 7 },
  },
  {
    name: 'IPv6 hosts',
    wire: wire([
      'INVITE sip:[2001:db8::10]:5070;transport=tcp SIP/2.0',
      'Via: SIP/2.0/TCP [2001:db8::9]:5061;branch=z9hG4bKv6;received=[2001:db8::9];rport=5061',
      'From: <sip:alice@[2001:db8::9]>;tag=v6a',
      'To: <sip:[2001:db8::10]:5070>',
      'Call-ID: v6@[2001:db8::9]',
      'CSeq: 8 INVITE',
      'Contact: <sip:alice@[2001:db8::9]:5061;transport=tcp>',
      'Content-Length: 0',
    ]),
    expect: { kind: 'request', method: 'INVITE', uri: 'sip:[2001:db8::10]:5070;transport=tcp', callId: 'v6@[2001:db8::9]', cseq: { seq: 8, method: 'INVITE' }, branch: 'z9hG4bKv6', fromTag: 'v6a', body: '', headerCount: 7 },
  },
  {
    name: 'unusual but valid tokens and mixed case names',
    wire: wire([
      "!Odd.Method-01_*+`'~% sip:odd@example.com SIP/2.0",
      'VIA: SIP/2.0/UDP odd.example.com;branch=z9hG4bK-.!%*_+`\'~',
      'fRoM: <sip:odd@example.com>;tag=_-.!~*',
      'tO: <sip:odd@example.com>',
      'cAlL-iD: odd.Token-with_Symbols!%*+`~@example.com',
      "CSEQ: 139122385 !Odd.Method-01_*+`'~%",
      'X-Weird-Header.Name!: some value',
      'content-LENGTH: 0',
    ]),
    expect: { kind: 'request', method: "!Odd.Method-01_*+`'~%", uri: 'sip:odd@example.com', callId: 'odd.Token-with_Symbols!%*+`~@example.com', cseq: { seq: 139122385, method: "!Odd.Method-01_*+`'~%" }, branch: "z9hG4bK-.!%*_+`'~", fromTag: '_-.!~*', body: '', headerCount: 7 },
  },
  {
    name: 'response with empty reason phrase',
    wire: wire([
      'SIP/2.0 180 ',
      'Via: SIP/2.0/UDP ua.example.com;branch=z9hG4bKnoreason',
      'From: <sip:a@example.com>;tag=e1',
      'To: <sip:b@example.com>;tag=e2',
      'Call-ID: noreason@example.com',
      'CSeq: 1 INVITE',
      'Content-Length: 0',
    ]),
    expect: { kind: 'response', status: 180, reason: '', callId: 'noreason@example.com', cseq: { seq: 1, method: 'INVITE' }, branch: 'z9hG4bKnoreason', fromTag: 'e1', toTag: 'e2', body: '', headerCount: 6 },
  },
  {
    name: 'status line without reason or trailing space, lowercase version',
    wire: wire([
      'sip/2.0 503',
      'Via: SIP/2.0/UDP ua.example.com;branch=z9hG4bKbare',
      'From: <sip:a@example.com>;tag=b1',
      'To: <sip:b@example.com>',
      'Call-ID: bare-status@example.com',
      'CSeq: 4 BYE',
      'Retry-After: 30',
    ]),
    expect: { kind: 'response', status: 503, reason: '', callId: 'bare-status@example.com', cseq: { seq: 4, method: 'BYE' }, branch: 'z9hG4bKbare', fromTag: 'b1', body: '', headerCount: 6 },
  },
  {
    name: 'long values',
    wire: wire([
      'NOTIFY sip:watcher@example.com SIP/2.0',
      'Via: SIP/2.0/UDP notifier.example.com;branch=z9hG4bKlong',
      `From: <sip:presentity@example.com>;tag=${longTag}`,
      'To: <sip:watcher@example.com>;tag=short',
      `Call-ID: ${'c'.repeat(500)}@example.com`,
      'CSeq: 2147483647 NOTIFY',
      `X-Long: ${longValue}`,
      'Event: presence',
      'Subscription-State: active;expires=3600',
      'Content-Length: 0',
    ]),
    expect: { kind: 'request', method: 'NOTIFY', uri: 'sip:watcher@example.com', callId: `${'c'.repeat(500)}@example.com`, cseq: { seq: 2147483647, method: 'NOTIFY' }, branch: 'z9hG4bKlong', fromTag: longTag, toTag: 'short', body: '', headerCount: 9 },
  },
  {
    name: 'REGISTER removing all bindings with a wildcard Contact',
    wire: wire([
      'REGISTER sip:example.com SIP/2.0',
      'Via: SIP/2.0/UDP 192.0.2.30:5060;branch=z9hG4bKstar;rport',
      'From: <sip:frank@example.com>;tag=st1',
      'To: <sip:frank@example.com>',
      'Call-ID: star@192.0.2.30',
      'CSeq: 20 REGISTER',
      'Contact: *',
      'Expires: 0',
      'Content-Length: 0',
    ]),
    expect: { kind: 'request', method: 'REGISTER', uri: 'sip:example.com', callId: 'star@192.0.2.30', cseq: { seq: 20, method: 'REGISTER' }, branch: 'z9hG4bKstar', fromTag: 'st1', body: '', headerCount: 8 },
  },
  {
    name: 'auth challenge and credentials are not comma-split',
    wire: wire([
      'SIP/2.0 401 Unauthorized',
      'Via: SIP/2.0/UDP ua.example.com;branch=z9hG4bKauth',
      'From: <sip:a@example.com>;tag=au1',
      'To: <sip:a@example.com>;tag=au2',
      'Call-ID: auth@example.com',
      'CSeq: 1 REGISTER',
      'WWW-Authenticate: Digest realm="example.com", qop="auth,auth-int", nonce="ab,cd==", algorithm=MD5, stale=FALSE',
      'WWW-Authenticate: Digest realm="example.com", nonce="second", algorithm=SHA-256',
      'Date: Sat, 13 Nov 2010 23:29:00 GMT',
      'Content-Length: 0',
    ]),
    expect: { kind: 'response', status: 401, reason: 'Unauthorized', callId: 'auth@example.com', cseq: { seq: 1, method: 'REGISTER' }, branch: 'z9hG4bKauth', fromTag: 'au1', toTag: 'au2', body: '', headerCount: 9 },
  },
  {
    name: 'leading CRLFs, no Content-Length, body to the end of the datagram',
    wire:
      '\r\n\r\n' +
      wire(
        [
          'INFO sip:peer@example.com SIP/2.0',
          'Via: SIP/2.0/UDP 192.0.2.40;branch=z9hG4bKnocl',
          'From: <sip:me@example.com>;tag=n1',
          'To: <sip:peer@example.com>;tag=n2',
          'Call-ID: nocl@192.0.2.40',
          'CSeq: 5 INFO',
          'Content-Type: application/dtmf-relay',
        ],
        'Signal=5\r\nDuration=160\r\n',
      ),
    expect: { kind: 'request', method: 'INFO', uri: 'sip:peer@example.com', callId: 'nocl@192.0.2.40', cseq: { seq: 5, method: 'INFO' }, branch: 'z9hG4bKnocl', fromTag: 'n1', toTag: 'n2', body: 'Signal=5\r\nDuration=160\r\n', headerCount: 6 },
  },
  {
    name: 'Content-Length smaller than the datagram truncates the body',
    wire: wire(
      [
        'MESSAGE sip:x@example.com SIP/2.0',
        'Via: SIP/2.0/UDP 192.0.2.41;branch=z9hG4bKshort',
        'From: <sip:y@example.com>;tag=s1',
        'To: <sip:x@example.com>',
        'Call-ID: short@192.0.2.41',
        'CSeq: 1 MESSAGE',
        'Content-Length: 4',
      ],
      'abcdEXTRA-BYTES-DISCARDED',
    ),
    expect: { kind: 'request', method: 'MESSAGE', uri: 'sip:x@example.com', callId: 'short@192.0.2.41', cseq: { seq: 1, method: 'MESSAGE' }, branch: 'z9hG4bKshort', fromTag: 's1', body: 'abcd', headerCount: 6 },
  },
  {
    name: 'tel and sips URIs, URI headers, empty header values',
    wire: wire([
      'REFER sips:gw.example.com:5061 SIP/2.0',
      'Via: SIP/2.0/TLS 192.0.2.50:5061;branch=z9hG4bKtel;maddr=239.255.255.1;ttl=16',
      'From: <tel:+1-201-555-0123;phone-context=example.com>;tag=t1',
      'To: <sips:bob:secret@gw.example.com:5061;transport=tls>',
      'Call-ID: tel@192.0.2.50',
      'CSeq: 9 REFER',
      'Refer-To: <sip:carol@example.com?Replaces=abc%40host%3Bto-tag%3D1&Subject=hi>',
      'Subject:',
      'X-Empty:   ',
      'Content-Length: 0',
    ]),
    expect: { kind: 'request', method: 'REFER', uri: 'sips:gw.example.com:5061', callId: 'tel@192.0.2.50', cseq: { seq: 9, method: 'REFER' }, branch: 'z9hG4bKtel', fromTag: 't1', body: '', headerCount: 9 },
  },
  {
    name: 'addr-spec without angle brackets: params belong to the header',
    wire: wire([
      'BYE sip:ua@192.0.2.60 SIP/2.0',
      'Via: SIP/2.0/UDP 192.0.2.61;branch=z9hG4bKaddrspec',
      'From: sip:caller@example.com;tag=as1',
      'To: sip:ua@example.com ; tag = as2',
      'Call-ID: addrspec@192.0.2.61',
      'CSeq: 31 BYE',
      'Content-Length: 0',
    ]),
    expect: { kind: 'request', method: 'BYE', uri: 'sip:ua@192.0.2.60', callId: 'addrspec@192.0.2.61', cseq: { seq: 31, method: 'BYE' }, branch: 'z9hG4bKaddrspec', fromTag: 'as1', toTag: 'as2', body: '', headerCount: 6 },
  },
];
