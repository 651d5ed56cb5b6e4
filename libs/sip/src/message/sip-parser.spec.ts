import { MALFORMED } from '../corpus/malformed-messages.corpus';
import { VALID } from '../corpus/valid-messages.corpus';
import { wire } from '../corpus/corpus-wire';
import { NameAddr } from './name-addr';
import { AnySipMessage, SipRequest, SipResponse } from './sip-message';
import { SipParseError } from './sip-parse-error';
import { parseSipMessage } from './sip-parser';

function parseOk(text: string | Buffer): AnySipMessage {
  const result = parseSipMessage(text);
  if (!result.ok) throw new Error(`expected ok, got ${result.error.reason}: ${result.error.message}`);
  return result.value;
}

function byName(name: string): AnySipMessage {
  const entry = VALID.find((c) => c.name === name);
  if (!entry) throw new Error(`no corpus entry ${name}`);
  return parseOk(entry.wire);
}

describe('parseSipMessage: valid corpus', () => {
  it.each(VALID.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const m = parseOk(c.wire);
    const e = c.expect;
    expect(m.kind).toBe(e.kind);
    if (m instanceof SipRequest) {
      expect(m.method).toBe(e.method);
      expect(m.uri).toBe(e.uri);
      expect(m.getRequestUri().ok).toBe(true);
    }
    if (m instanceof SipResponse) {
      expect(m.status).toBe(e.status);
      expect(m.reason).toBe(e.reason);
    }
    expect(m.version).toBe('SIP/2.0');
    expect(m.callId).toBe(e.callId);
    expect(m.cseq).toEqual(e.cseq);
    expect(m.via?.branch).toBe(e.branch);
    expect(m.fromTag).toBe(e.fromTag);
    expect(m.toTag).toBe(e.toTag);
    expect(m.body.toString('utf8')).toBe(e.body);
    expect(m.headers.size).toBe(e.headerCount);
    for (const lazy of [m.getVias(), m.getContacts(), m.getRoutes(), m.getRecordRoutes(), m.getList('allow')]) expect(lazy.ok).toBe(true);
  });
});

describe('parseSipMessage: semantics of individual corpus messages', () => {
  it('expands compact names for lookup but keeps them as written', () => {
    const m = byName('compact header names only');
    expect(m.headers.list.map((h) => h.name)).toEqual(['v', 'f', 't', 'i', 'CSeq', 'm', 'k', 's', 'o', 'u', 'x', 'c', 'l']);
    expect(m.headers.get('Supported')).toBe('path, outbound');
    expect(m.headers.get('SUBJECT')).toBe('Short forms');
    expect(m.headers.get('event')).toBe('presence');
    expect(m.headers.get('Allow-Events')).toBe('dialog');
    expect(m.headers.get('session-expires')).toBe('1800');
    expect(m.contentType).toBe('text/plain');
    expect(m.contentLength).toBe(5);
    expect(m.via?.transport).toBe('TCP');
  });

  it('unfolds continuation lines and tolerates whitespace around separators', () => {
    const m = byName('wide whitespace, folding and odd spacing around colons');
    expect(m.headers.get('subject')).toBe('first part second part third part');
    expect(m.headers.get('to')).toBe('<sip:eve@example.net>');
    expect(m.maxForwards).toBe(69);
    expect(m.via?.host).toBe('10.0.0.7');
    expect(m.via?.port).toBe(5062);
    expect(m.via?.received).toBe('192.0.2.4');
    const contacts = m.getContacts();
    expect(contacts.ok && contacts.value !== '*' && contacts.value[0].params.get('expires')).toBe('600');
  });

  it('keeps escapes in URIs and unescapes quoted display names', () => {
    const m = byName('escaped characters in URIs and quoted strings') as SipRequest;
    const ruri = m.getRequestUri();
    expect(ruri.ok && ruri.value.kind === 'sip' && ruri.value.user).toBe('%61lice;day=tue%2Fwed');
    expect(ruri.ok && ruri.value.kind === 'sip' && ruri.value.params.get('x-param')).toBe('%20v');
    expect(m.from?.displayName).toBe('"Tricky" \\ Name, Jr.');
    expect(m.to?.displayName).toBe('Ünïcødé ☺');
  });

  it('accepts URIs with unknown schemes as opaque', () => {
    const m = byName('unknown URI schemes') as SipRequest;
    expect(m.to?.uri).toEqual({ kind: 'other', scheme: 'urn', opaque: 'service:sos' });
    expect(m.from?.uri.scheme).toBe('http');
    const ruri = m.getRequestUri();
    expect(ruri.ok && ruri.value.scheme).toBe('im');
  });

  it('splits list headers across values and lines but not inside quotes or brackets', () => {
    const m = byName('list values in one header and across several');
    const vias = m.getVias();
    expect(vias.ok && vias.value.map((v) => [v.transport, v.host, v.port, v.branch])).toEqual([
      ['UDP', 'proxy1.example.com', undefined, 'z9hG4bKtop'],
      ['TCP', 'proxy2.example.com', 5061, 'z9hG4bKmid'],
      ['UDP', 'ua.example.com', undefined, 'z9hG4bKbottom'],
    ]);
    const rr = m.getRecordRoutes();
    expect(rr.ok && rr.value.map((r) => r.uri.kind === 'sip' && r.uri.host)).toEqual(['proxy1.example.com', 'proxy2.example.com', 'proxy3.example.com']);
    expect(m.getList('allow')).toEqual({ ok: true, value: ['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS'] });
    const contacts = m.getContacts();
    if (!contacts.ok || contacts.value === '*') throw new Error('contacts');
    expect(contacts.value.map((c) => [c.displayName, c.params.get('q')])).toEqual([['Doe, John <home>', '0.7'], [undefined, '0.3']]);
  });

  it('counts Content-Length in bytes for multi-byte bodies', () => {
    const m = byName('multi-byte UTF-8 body counted in bytes');
    expect(m.contentLength).toBe(Buffer.byteLength(m.body.toString('utf8')));
    expect(m.contentLength).toBeGreaterThan(m.body.toString('utf8').length);
    expect(m.via?.rport).toBe(51234);
    expect(m.from?.displayName).toBe('Jürgen');
  });

  it('parses IPv6 references in Via, URIs, and params', () => {
    const m = byName('IPv6 hosts') as SipRequest;
    expect(m.via?.host).toBe('[2001:db8::9]');
    expect(m.via?.port).toBe(5061);
    expect(m.via?.received).toBe('[2001:db8::9]');
    const ruri = m.getRequestUri();
    expect(ruri.ok && ruri.value.kind === 'sip' && [ruri.value.host, ruri.value.port, ruri.value.params.get('transport')]).toEqual(['[2001:db8::10]', 5070, 'tcp']);
  });

  it('keeps the wildcard Contact as "*"', () => {
    expect(byName('REGISTER removing all bindings with a wildcard Contact').getContacts()).toEqual({ ok: true, value: '*' });
  });

  it('does not comma-split auth headers and reads their params', () => {
    const m = byName('auth challenge and credentials are not comma-split');
    const auth = m.getAuth('www-authenticate');
    if (!auth.ok) throw auth.error;
    expect(auth.value).toHaveLength(2);
    expect(auth.value[0].scheme).toBe('Digest');
    expect(auth.value[0].get('qop')).toBe('auth,auth-int');
    expect(auth.value[0].get('nonce')).toBe('ab,cd==');
    expect(auth.value[0].get('stale')).toBe('FALSE');
    expect(auth.value[1].get('algorithm')).toBe('SHA-256');
    expect(m.headers.get('date')).toBe('Sat, 13 Nov 2010 23:29:00 GMT');
  });

  it('reads tel, sips, passwords, URI headers, maddr/ttl and empty values', () => {
    const m = byName('tel and sips URIs, URI headers, empty header values') as SipRequest;
    expect(m.from?.uri).toMatchObject({ kind: 'tel', number: '+1-201-555-0123' });
    expect(m.to?.uri).toMatchObject({ kind: 'sip', scheme: 'sips', user: 'bob', password: 'secret', port: 5061 });
    expect(m.via?.maddr).toBe('239.255.255.1');
    expect(m.via?.ttl).toBe(16);
    const referTo = m.getNameAddr('r');
    expect(referTo.ok && referTo.value?.uri.kind === 'sip' && referTo.value.uri.headers).toEqual([
      { name: 'Replaces', value: 'abc%40host%3Bto-tag%3D1' },
      { name: 'Subject', value: 'hi' },
    ]);
    expect(m.headers.get('subject')).toBe('');
    expect(m.headers.get('x-empty')).toBe('');
  });

  it('gives addr-spec params to the header, not the URI', () => {
    const m = byName('addr-spec without angle brackets: params belong to the header');
    expect(m.to?.tag).toBe('as2');
    expect(m.from?.uri.kind === 'sip' && m.from.uri.params.size).toBe(0);
  });

  it('keeps the same Via parse for repeated access and drops it after a header change', () => {
    const m = byName('plain INVITE with SDP');
    expect(m.via).toBe(m.via);
    m.headers.prepend('Via', 'SIP/2.0/TCP edge.example.com;branch=z9hG4bKnew');
    expect(m.via?.branch).toBe('z9hG4bKnew');
    const vias = m.getVias();
    expect(vias.ok && vias.value).toHaveLength(2);
  });

  it('returns lazy value errors as typed results', () => {
    const m = parseOk(wire(['OPTIONS sip:a@example.com SIP/2.0', 'Via: SIP/2.0/UDP h;branch=z9hG4bK1', 'From: <sip:a@x>;tag=1', 'To: <sip:b@x>', 'Call-ID: c', 'CSeq: 1 OPTIONS', 'Contact: <sip:broken', 'Route: "open <sip:r>']));
    const contacts = m.getContacts();
    expect(!contacts.ok && contacts.error.reason).toBe('unterminated_angle');
    const routes = m.getRoutes();
    expect(!routes.ok && routes.error).toBeInstanceOf(SipParseError);
  });
});

describe('parseSipMessage: malformed corpus', () => {
  it.each(MALFORMED.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const result = parseSipMessage(c.wire);
    if (result.ok) throw new Error('expected a parse error');
    expect(result.error).toBeInstanceOf(SipParseError);
    expect(result.error.reason).toBe(c.reason);
    expect(result.error.code).toBe('sip_malformed');
    if (c.partial?.callId) expect(result.error.partial?.callId).toBe(c.partial.callId);
    if (c.partial?.via) expect(result.error.partial?.vias[0]).toBe(c.partial.via);
    if (c.partial?.cseq) expect(result.error.partial?.cseq).toBe(c.partial.cseq);
  });
});

describe('parseSipMessage: limits', () => {
  const base = ['OPTIONS sip:a@example.com SIP/2.0', 'Via: SIP/2.0/UDP h;branch=z9hG4bKlim', 'From: <sip:a@x>;tag=1', 'To: <sip:b@x>', 'Call-ID: limits@x', 'CSeq: 1 OPTIONS'];

  it('rejects more headers than allowed', () => {
    const lines = [...base, ...Array.from({ length: 300 }, (_, i) => `X-H${i}: ${i}`)];
    const result = parseSipMessage(wire(lines));
    expect(!result.ok && [result.error.reason, result.error.code, result.error.partial?.callId]).toEqual(['too_many_headers', 'sip_too_large', 'limits@x']);
    expect(parseSipMessage(wire(lines), { maxHeaders: 400 }).ok).toBe(true);
  });

  it('rejects an over-long header line, folded or not', () => {
    const long = parseSipMessage(wire([...base, `X-Long: ${'a'.repeat(9000)}`]));
    expect(!long.ok && long.error.reason).toBe('header_too_long');
    const folded = parseSipMessage(wire([...base, 'X-Long: start', ...Array.from({ length: 20 }, () => ` ${'b'.repeat(500)}`)]));
    expect(!folded.ok && folded.error.reason).toBe('header_too_long');
  });

  it('rejects a message above the size limit', () => {
    const result = parseSipMessage(wire(base, 'z'.repeat(70_000)));
    expect(!result.ok && [result.error.reason, result.error.partial?.callId]).toEqual(['message_too_large', 'limits@x']);
    expect(parseSipMessage(wire(base, 'z'.repeat(70_000)), { maxMessageSize: 100_000 }).ok).toBe(true);
  });

  it('parses From/To tags, Call-ID and CSeq on the hot path', () => {
    const m = parseOk(wire(base));
    expect([m.callId, m.cseq?.seq, m.fromTag, m.toTag, m.via?.branch]).toEqual(['limits@x', 1, '1', undefined, 'z9hG4bKlim']);
    expect(m.from).toBeInstanceOf(NameAddr);
  });
});
