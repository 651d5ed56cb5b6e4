import { snapshot } from '../corpus/message-snapshot';
import { randomValidMessage } from '../corpus/random-messages';
import { seededRandom } from '../corpus/seeded-random';
import { VALID } from '../corpus/valid-messages.corpus';
import { wire } from '../corpus/corpus-wire';
import { parseNameAddr } from './name-addr';
import { createCancel, createRequest, createResponse } from './sip-builders';
import { AnySipMessage, SipRequest, SipResponse } from './sip-message';
import { parseSipMessage } from './sip-parser';
import { serializeMessage } from './sip-serializer';
import { parseVia } from './sip-via';

function parseOk(data: string | Buffer): AnySipMessage {
  const result = parseSipMessage(data);
  if (!result.ok) throw new Error(`${result.error.reason}: ${result.error.message}`);
  return result.value;
}

const invite = (): SipRequest => parseOk(VALID[0].wire) as SipRequest;

describe('serializeMessage', () => {
  it('writes CRLF lines, original order and names, and a byte-exact Content-Length', () => {
    const m = parseOk(VALID.find((c) => c.name.startsWith('multi-byte'))!.wire);
    const out = serializeMessage(m).toString('utf8');
    expect(out.startsWith('MESSAGE sip:user@example.com SIP/2.0\r\nVia: SIP/2.0/WS')).toBe(true);
    expect(out).toContain(`\r\nContent-Length: ${m.body.length}\r\n\r\n`);
    expect(out.split('\r\n\r\n')[1]).toBe(m.body.toString('utf8'));
  });

  it('recomputes Content-Length after the body changes and adds one when missing', () => {
    const m = invite();
    m.body = Buffer.from('é');
    expect(serializeMessage(m).toString()).toContain('Content-Length: 2\r\n\r\né');
    const noLength = parseOk(VALID.find((c) => c.name.startsWith('leading CRLFs'))!.wire);
    const text = serializeMessage(noLength).toString();
    expect(text).toContain(`Content-Length: ${noLength.body.length}\r\n\r\n`);
  });

  it('keeps, expands or compacts header names on request', () => {
    const m = parseOk(VALID.find((c) => c.name === 'compact header names only')!.wire);
    expect(serializeMessage(m).toString()).toContain('\r\nv: SIP/2.0/TCP');
    const full = serializeMessage(m, { headerNames: 'full' }).toString();
    expect(full).toContain('\r\nVia: SIP/2.0/TCP');
    expect(full).toContain('\r\nCall-ID: compact-1');
    expect(full).toContain('\r\nAllow-Events: dialog');
    const compact = serializeMessage(invite(), { headerNames: 'compact' }).toString();
    expect(compact).toContain('\r\nv: SIP/2.0/UDP');
    expect(compact).toContain('\r\ni: 3848276298220188511');
    expect(compact).toContain('\r\nMax-Forwards: 70');
  });

  it.each(VALID.map((c) => [c.name, c.wire] as const))('round-trips %s', (_name, text) => {
    const first = parseOk(text);
    const again = parseOk(serializeMessage(first));
    expect(snapshot(again)).toEqual(snapshot(first));
  });

  it('round-trips 500 generated messages', () => {
    const random = seededRandom(20240611);
    for (let i = 0; i < 500; i++) {
      const first = parseOk(randomValidMessage(random));
      const again = parseOk(serializeMessage(first, { headerNames: i % 2 === 0 ? 'keep' : 'full' }));
      if (i % 2 === 0) expect(snapshot(again)).toEqual(snapshot(first));
      else expect(again.headers.list.map((h) => [h.key, h.value])).toEqual(first.headers.list.map((h) => [h.key, h.key === 'content-length' ? String(first.body.length) : h.value]).concat(first.headers.has('l') ? [] : [['content-length', String(first.body.length)]]));
    }
  });
});

describe('builders', () => {
  it('creates a response per RFC 3261 §8.2.6 with a To tag', () => {
    const request = parseOk(wire([
      'INVITE sip:b@example.com SIP/2.0',
      'v: SIP/2.0/UDP p1.example.com;branch=z9hG4bK1, SIP/2.0/UDP ua.example.com;branch=z9hG4bK0',
      'Record-Route: <sip:p1.example.com;lr>',
      'From: <sip:a@example.com>;tag=f1',
      'To: <sip:b@example.com>',
      'Call-ID: build@example.com',
      'CSeq: 5 INVITE',
      'Timestamp: 54',
      'Content-Length: 0',
    ])) as SipRequest;
    const ok = createResponse(request, 200, undefined, { toTag: 'srv1', contentType: 'application/sdp', body: 'v=0\r\n' });
    expect([ok.status, ok.reason, ok.toTag, ok.fromTag, ok.callId, ok.cseq]).toEqual([200, 'OK', 'srv1', 'f1', 'build@example.com', { seq: 5, method: 'INVITE' }]);
    expect(ok.headers.getAll('via')).toEqual(request.headers.getAll('via'));
    expect(ok.headers.get('record-route')).toBe('<sip:p1.example.com;lr>');
    const reparsed = parseOk(serializeMessage(ok)) as SipResponse;
    expect(reparsed.headers.list.map((h) => h.name)).toEqual(['Via', 'Record-Route', 'From', 'To', 'Call-ID', 'CSeq', 'Content-Type', 'Content-Length']);
    expect(reparsed.body.toString()).toBe('v=0\r\n');
    const trying = createResponse(request, 100, undefined, { toTag: 'ignored' });
    expect([trying.reason, trying.toTag, trying.headers.get('timestamp'), trying.headers.has('record-route')]).toEqual(['Trying', undefined, '54', false]);
  });

  it('keeps an existing To tag', () => {
    const m = parseOk(VALID.find((c) => c.name.startsWith('leading CRLFs'))!.wire) as SipRequest;
    expect(createResponse(m, 481, 'Gone Away', { toTag: 'other' }).toTag).toBe('n2');
  });

  it('creates requests with full header names and parses back', () => {
    const request = createRequest({
      method: 'OPTIONS',
      uri: 'sip:carrier.example.net',
      from: parseNameAddr('"Legwork" <sip:legwork@example.com>;tag=abc'),
      to: '<sip:carrier.example.net>',
      callId: 'opt-1@example.com',
      cseq: 3,
      via: parseVia('SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKopt;rport'),
      headers: [['Accept', 'application/sdp']],
    });
    const text = serializeMessage(request).toString();
    expect(text).toBe(wire([
      'OPTIONS sip:carrier.example.net SIP/2.0',
      'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKopt;rport',
      'Max-Forwards: 70',
      'From: "Legwork" <sip:legwork@example.com>;tag=abc',
      'To: <sip:carrier.example.net>',
      'Call-ID: opt-1@example.com',
      'CSeq: 3 OPTIONS',
      'Accept: application/sdp',
      'Content-Length: 0',
    ]));
    expect(snapshot(parseOk(text))).toEqual(snapshot(request));
  });

  it('creates a CANCEL matching the INVITE', () => {
    const cancel = createCancel(invite());
    expect([cancel.method, cancel.uri, cancel.callId, cancel.cseq, cancel.via?.branch, cancel.fromTag]).toEqual(['CANCEL', 'sip:bob@biloxi.example.org', '3848276298220188511@atlanta.example.org', { seq: 1, method: 'CANCEL' }, 'z9hG4bKnashds8', '9fxced76sl']);
    expect(parseOk(serializeMessage(cancel)).kind).toBe('request');
  });
});
