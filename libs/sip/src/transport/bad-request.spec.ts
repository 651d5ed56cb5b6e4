import { RFC4475_BADVERS } from '../corpus/rfc4475-valid.corpus';
import { parseSipMessage } from '../message/sip-parser';
import type { SipParseError } from '../message/sip-parse-error';
import { buildBadRequestReply } from './bad-request';

function errorOf(lines: string[]): SipParseError {
  const parsed = parseSipMessage(lines.join('\r\n') + '\r\n\r\n');
  if (parsed.ok) throw new Error('fixture must fail to parse');
  return parsed.error;
}

const HEAD = ['Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKa', 'Via: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bKb', 'From: <sip:a@x>;tag=1', 'To: <sip:b@x>', 'Call-ID: br-1', 'CSeq: 7 INVITE'];

describe('buildBadRequestReply', () => {
  it('copies every Via, From, To (with a new tag), Call-ID and CSeq', () => {
    const reply = buildBadRequestReply(errorOf(['INVITE sip:b@x SIP/2.0', ...HEAD, 'Max-Forwards: x']));
    const parsed = parseSipMessage(reply ?? Buffer.alloc(0));
    if (!parsed.ok || parsed.value.kind !== 'response') throw new Error('reply must be a valid response');
    expect(parsed.value.status).toBe(400);
    expect(parsed.value.reason).toBe('Bad Request (bad max forwards)');
    expect(parsed.value.headers.getAll('via')).toHaveLength(2);
    expect(parsed.value.toTag).toMatch(/^[0-9a-f]{16}$/);
    expect(parsed.value.cseq).toEqual({ seq: 7, method: 'INVITE' });
  });

  it('answers nothing to an ACK, a response, or a request missing Call-ID', () => {
    expect(buildBadRequestReply(errorOf(['ACK sip:b@x SIP/2.0', ...HEAD.slice(0, 5), 'CSeq: 7 ACK', 'Max-Forwards: x']))).toBeUndefined();
    expect(buildBadRequestReply(errorOf(['SIP/2.0 200 OK', ...HEAD, 'Max-Forwards: x']))).toBeUndefined();
    expect(buildBadRequestReply(errorOf(['INVITE sip:b@x SIP/2.0', ...HEAD.filter((h) => !h.startsWith('Call-ID'))]))).toBeUndefined();
  });

  it('answers 513 to a request over the size limit', () => {
    const parsed = parseSipMessage(['OPTIONS sip:b@x SIP/2.0', ...HEAD, 'Content-Length: 0', '', ''].join('\r\n') + 'x'.repeat(300), { maxMessageSize: 250 });
    if (parsed.ok) throw new Error('must fail');
    expect(buildBadRequestReply(parsed.error)?.toString()).toMatch(/^SIP\/2\.0 513 Message Too Large\r\n/);
  });

  it('answers 505 Version Not Supported to a request of another SIP version (RFC 4475 §3.1.2.16)', () => {
    const parsed = parseSipMessage(RFC4475_BADVERS.wire);
    if (parsed.ok) throw new Error('SIP/7.0 must not parse as SIP/2.0');
    const reply = parseSipMessage(buildBadRequestReply(parsed.error) ?? Buffer.alloc(0));
    if (!reply.ok || reply.value.kind !== 'response') throw new Error('reply must be a valid response');
    expect([reply.value.status, reply.value.reason]).toEqual([505, 'Version Not Supported']);
    expect([reply.value.callId, reply.value.headers.get('via')]).toEqual(['badvers.31417@c.example.com', 'SIP/7.0/UDP c.example.com;branch=z9hG4bKkdjuw']);
  });
});
