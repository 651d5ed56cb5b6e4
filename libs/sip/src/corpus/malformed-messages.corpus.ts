import { SipParseReason } from '../message/sip-parse-error';
import { wire } from './corpus-wire';

export interface MalformedCase {
  name: string;
  wire: string | Buffer;
  reason: SipParseReason;
  /** Fields the transaction layer still gets to build its 400. */
  partial?: { callId?: string; cseq?: string; via?: string };
}

const tail = [
  'Via: SIP/2.0/UDP 192.0.2.99;branch=z9hG4bKbad',
  'From: <sip:x@example.com>;tag=bad1',
  'To: <sip:y@example.com>',
  'Call-ID: broken@192.0.2.99',
];
const partial = { callId: 'broken@192.0.2.99', via: 'SIP/2.0/UDP 192.0.2.99;branch=z9hG4bKbad' };

function request(start: string, extra: string[] = [], cseq = 'CSeq: 1 INVITE', body = ''): string {
  return wire([start, ...tail, cseq, ...extra], body);
}

export const MALFORMED: MalformedCase[] = [
  { name: 'empty input', wire: '', reason: 'empty' },
  { name: 'only line breaks', wire: '\r\n\r\n\r\n', reason: 'empty' },
  { name: 'request line without version', wire: request('INVITE sip:y@example.com'), reason: 'bad_start_line', partial },
  { name: 'extra spaces in the request line', wire: request('INVITE  sip:y@example.com  SIP/2.0'), reason: 'bad_start_line', partial },
  { name: 'space inside the Request-URI', wire: request('INVITE sip:y@exa mple.com SIP/2.0'), reason: 'bad_start_line', partial },
  { name: 'unknown SIP version', wire: request('INVITE sip:y@example.com SIP/7.0'), reason: 'bad_version', partial: { ...partial, cseq: '1 INVITE' } },
  { name: 'unknown version on a status line', wire: wire(['SIP/3.0 200 OK', ...tail, 'CSeq: 1 INVITE']), reason: 'bad_version', partial },
  { name: 'status code out of range', wire: wire(['SIP/2.0 99 Odd', ...tail, 'CSeq: 1 INVITE']), reason: 'bad_status_code', partial },
  { name: 'four-digit status code', wire: wire(['SIP/2.0 2000 OK', ...tail, 'CSeq: 1 INVITE']), reason: 'bad_status_code', partial },
  { name: 'not SIP at all', wire: 'GET / HTTP/1.1\r\nHost: example.com\r\n\r\n', reason: 'bad_start_line' },
  { name: 'header without colon', wire: request('INVITE sip:y@example.com SIP/2.0', ['Max-Forwards 70']), reason: 'missing_colon', partial },
  { name: 'space inside a header name', wire: request('INVITE sip:y@example.com SIP/2.0', ['Max Forwards: 70']), reason: 'bad_header_name', partial },
  { name: 'negative Content-Length', wire: request('INVITE sip:y@example.com SIP/2.0', ['Content-Length: -1']), reason: 'bad_content_length', partial },
  { name: 'non-numeric Content-Length', wire: request('INVITE sip:y@example.com SIP/2.0', ['Content-Length: ten']), reason: 'bad_content_length', partial },
  { name: 'conflicting Content-Length headers', wire: request('INVITE sip:y@example.com SIP/2.0', ['Content-Length: 0', 'l: 3'], 'CSeq: 1 INVITE', 'abc'), reason: 'bad_content_length', partial },
  { name: 'Content-Length beyond the datagram', wire: request('INVITE sip:y@example.com SIP/2.0', ['Content-Length: 50'], 'CSeq: 1 INVITE', 'short'), reason: 'truncated_body', partial },
  { name: 'NUL byte in a header', wire: request('INVITE sip:y@example.com SIP/2.0', ['Subject: a\0b']), reason: 'nul_byte', partial },
  { name: 'backslash-NUL outside a quoted string (a quoted-pair only exists inside one)', wire: request('INVITE sip:y@example.com SIP/2.0', ['Subject: a\\\0b']), reason: 'nul_byte', partial },
  { name: 'raw NUL inside a quoted display name', wire: wire(['INVITE sip:y@example.com SIP/2.0', tail[0], 'From: "Bo\0b" <sip:x@example.com>;tag=q', tail[2], tail[3], 'CSeq: 1 INVITE']), reason: 'nul_byte', partial },
  { name: 'bare LF inside a reason phrase', wire: wire(['SIP/2.0 200 O\nInjected: yes', ...tail, 'CSeq: 1 INVITE']), reason: 'bare_line_break', partial },
  { name: 'bare CR inside a reason phrase', wire: wire(['SIP/2.0 200 O\rK', ...tail, 'CSeq: 1 INVITE']), reason: 'bare_line_break', partial },
  { name: 'bare LF inside the headers', wire: request('INVITE sip:y@example.com SIP/2.0', ['Subject: a\nInjected: b']), reason: 'bare_line_break', partial },
  { name: 'non-numeric CSeq', wire: request('INVITE sip:y@example.com SIP/2.0', [], 'CSeq: one INVITE'), reason: 'bad_cseq', partial },
  { name: 'CSeq method differs from the request method', wire: request('INVITE sip:y@example.com SIP/2.0', [], 'CSeq: 1 ACK'), reason: 'bad_cseq', partial },
  { name: 'non-numeric Max-Forwards', wire: request('INVITE sip:y@example.com SIP/2.0', ['Max-Forwards: seventy']), reason: 'bad_max_forwards', partial },
  { name: 'missing Call-ID', wire: wire(['OPTIONS sip:y@example.com SIP/2.0', ...tail.slice(0, 3), 'CSeq: 1 OPTIONS']), reason: 'missing_header' },
  { name: 'two Call-IDs', wire: request('INVITE sip:y@example.com SIP/2.0', ['Call-ID: other@example.com']), reason: 'duplicate_header', partial },
  { name: 'unterminated quoted display name', wire: wire(['INVITE sip:y@example.com SIP/2.0', tail[0], 'From: "Bob <sip:x@example.com>;tag=q', tail[2], tail[3], 'CSeq: 1 INVITE']), reason: 'unterminated_quote', partial },
  { name: 'unterminated angle bracket', wire: wire(['INVITE sip:y@example.com SIP/2.0', tail[0], tail[1], 'To: <sip:y@example.com', tail[3], 'CSeq: 1 INVITE']), reason: 'unterminated_angle', partial },
  { name: 'Via without sent-by', wire: wire(['INVITE sip:y@example.com SIP/2.0', 'Via: SIP/2.0/UDP ;branch=z9hG4bKx', ...tail.slice(1), 'CSeq: 1 INVITE']), reason: 'bad_via', partial: { callId: partial.callId } },
  { name: 'From URI with a bad port', wire: wire(['INVITE sip:y@example.com SIP/2.0', tail[0], 'From: <sip:x@example.com:99999>;tag=p', tail[2], tail[3], 'CSeq: 1 INVITE']), reason: 'bad_uri', partial },
  { name: 'continuation line right after the start line', wire: wire(['INVITE sip:y@example.com SIP/2.0', ' folded', ...tail, 'CSeq: 1 INVITE']), reason: 'missing_colon', partial },
  { name: 'no blank line after the headers', wire: ['INVITE sip:y@example.com SIP/2.0', ...tail, 'CSeq: 1 INVITE'].join('\r\n'), reason: 'no_header_end', partial },
];
