import { headerKeyAt, headerNameAt } from './header-keys';
import { NameAddr, parseNameAddrAt } from './name-addr';
import { SipCSeq, parseCSeqAt } from './sip-cseq';
import { SipHeader, SipHeaders } from './sip-headers';
import { AnySipMessage, SipRequest, SipResponse } from './sip-message';
import { SipParseError, SipParseReason, SipResult, SipValueError } from './sip-parse-error';
import { salvage } from './sip-salvage';
import { Codes, codesOf, codesOfDecoded, decimalAt, findListCommaAt, indexAt, isTokenRange, trimEndAt, trimStartAt } from './sip-scan';
import { parseStartLineAt } from './sip-start-line';
import { rawNulIndex, rawNulInText } from './sip-nul';
import { unfoldHeaderString, unfoldHeaderText } from './sip-unfold';
import { SipVia, parseViaAt } from './sip-via';

export interface SipParseLimits {
  /** Whole message, headers and body (bytes). */
  maxMessageSize: number;
  maxHeaders: number;
  /** One logical header line after unfolding (characters). */
  maxHeaderLineLength: number;
}

export const DEFAULT_SIP_LIMITS: SipParseLimits = { maxMessageSize: 64 * 1024, maxHeaders: 256, maxHeaderLineLength: 8 * 1024 };

/** A parsed header section; the body is attached by the datagram parser or the stream framer. */
export interface SipHead {
  message: AnySipMessage;
  contentLength: number | undefined;
}

class HeadError extends Error {
  constructor(
    readonly reason: SipParseReason,
    message: string,
  ) {
    super(message);
  }
}

function fail(reason: SipParseReason, message: string): never {
  throw new HeadError(reason, message);
}

/** Value of up to max digits in [start, end), or -1. */
function digitsAt(codes: Codes, start: number, end: number, max: number): number {
  if (end === start || end - start > max) return -1;
  for (let i = start; i < end; i++) if (codes[i] < 0x30 || codes[i] > 0x39) return -1;
  return decimalAt(codes, start, end);
}

/** RFC 4475 §3.1.1.1: `Max-Forwards: 0068` is 68; leading zeros do not count against the three digits. */
function withoutLeadingZeros(codes: Codes, start: number, end: number): number {
  while (start < end - 1 && codes[start] === 0x30) start++;
  return start;
}

function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

function once(current: number, name: string): void {
  if (current !== -1) fail('duplicate_header', `more than one ${name} header`);
}

/** Where the hot header values are in the head text, found while the header lines are split (-1: absent). */
class Hot {
  via = -1;
  viaEnd = -1;
  from = -1;
  fromEnd = -1;
  to = -1;
  toEnd = -1;
  callId = -1;
  callIdEnd = -1;
  cseq = -1;
  cseqEnd = -1;
  maxForwards = -1;
  maxForwardsEnd = -1;
  contentLength: number | undefined = undefined;
}

function collect(hot: Hot, codes: Codes, header: SipHeader, start: number, end: number): void {
  switch (header.key) {
    case 'via':
      if (hot.via === -1) {
        hot.via = start;
        hot.viaEnd = end;
      }
      break;
    case 'from':
      once(hot.from, 'From');
      hot.from = start;
      hot.fromEnd = end;
      break;
    case 'to':
      once(hot.to, 'To');
      hot.to = start;
      hot.toEnd = end;
      break;
    case 'call-id':
      once(hot.callId, 'Call-ID');
      hot.callId = start;
      hot.callIdEnd = end;
      break;
    case 'cseq':
      once(hot.cseq, 'CSeq');
      hot.cseq = start;
      hot.cseqEnd = end;
      break;
    case 'max-forwards':
      once(hot.maxForwards, 'Max-Forwards');
      hot.maxForwards = start;
      hot.maxForwardsEnd = end;
      break;
    case 'content-length': {
      const length = digitsAt(codes, start, end, 9);
      if (length < 0) fail('bad_content_length', `bad Content-Length "${header.value.slice(0, 50)}"`);
      if (hot.contentLength !== undefined && hot.contentLength !== length) fail('bad_content_length', 'conflicting Content-Length headers');
      hot.contentLength = length;
    }
  }
}

/** The message for a CR or LF at i that does not end a line: the bare LF one when a later LF in the head has no CR before it. */
function bareBreak(codes: Codes, i: number, length: number): never {
  const lf = indexAt(codes, 0x0a, i, length);
  if (lf !== -1 && codes[lf - 1] !== 0x0d) fail('bare_line_break', 'bare LF inside the header section');
  fail('bare_line_break', 'bare CR inside the header section');
}

/** The header lines, or undefined at the first continuation line: the caller unfolds once and parses again. */
function splitHeaders(head: string, codes: Codes, pos: number, limits: SipParseLimits, hot: Hot): SipHeader[] | undefined {
  const list: SipHeader[] = [];
  const length = head.length;
  while (pos < length) {
    // one pass to the line's end, noting its first colon
    let eol = pos;
    let colon = -1;
    for (; eol < length; eol++) {
      const c = codes[eol];
      if (c === 0x0d || c === 0x0a) break;
      if (c === 0x3a && colon === -1) colon = eol;
    }
    if (eol < length && (codes[eol] === 0x0a || eol + 1 === length || codes[eol + 1] !== 0x0a)) bareBreak(codes, eol, length);
    if (isBlank(codes[pos])) {
      // RFC 3261 §7.3.1: a line starting with whitespace continues the previous header
      if (list.length === 0) fail('missing_colon', 'continuation line before any header');
      return undefined;
    }
    if (eol - pos > limits.maxHeaderLineLength) fail('header_too_long', `header line longer than ${limits.maxHeaderLineLength}`);
    if (colon === -1) fail('missing_colon', `no colon in "${head.slice(pos, Math.min(eol, pos + 100))}"`);
    let nameEnd = colon;
    while (nameEnd > pos && isBlank(codes[nameEnd - 1])) nameEnd--;
    if (nameEnd === pos) fail('bad_header_name', 'empty header name');
    if (!isTokenRange(codes, pos, nameEnd)) fail('bad_header_name', `bad header name "${head.slice(pos, colon)}"`);
    let valueStart = colon + 1;
    while (valueStart < eol && isBlank(codes[valueStart])) valueStart++;
    let valueEnd = eol;
    while (valueEnd > valueStart && isBlank(codes[valueEnd - 1])) valueEnd--;
    const key = headerKeyAt(head, codes, pos, nameEnd);
    const header: SipHeader = { name: headerNameAt, key, value: head.slice(valueStart, valueEnd) };
    list.push(header);
    if (list.length > limits.maxHeaders) fail('too_many_headers', `more than ${limits.maxHeaders} headers`);
    collect(hot, codes, header, valueStart, valueEnd);
    pos = eol + 2;
  }
  return list;
}

/** Parses the header section text (start line to the last header line, no blank line). */
export function parseHeadText(head: string, limits: SipParseLimits = DEFAULT_SIP_LIMITS, nulChecked = false): SipResult<SipHead> {
  if (!nulChecked && rawNulInText(head)) return { ok: false, error: toParseError(new HeadError('nul_byte', 'NUL byte in the header section'), head) };
  return parseHead(head, codesOf(head), limits) ?? parseFolded(unfoldHeaderText(head), limits);
}

/** The header section of a message in data[start, end): the wire paths' entry, NUL check included. */
export function parseHeadBytes(data: Buffer, start: number, end: number, limits: SipParseLimits): SipResult<SipHead> {
  const nul = rawNulIndex(data, start, end);
  if (nul !== -1) return { ok: false, error: toParseError(new HeadError('nul_byte', 'NUL byte in the header section'), data.toString('utf8', start, end)) };
  // the plain text first: folded messages are rare, and the bytes are unfolded only when the text turns out to be
  const text = data.toString('utf8', start, end);
  return parseHead(text, codesOfDecoded(data, start, end, text), limits) ?? parseFolded(unfoldHeaderString(data, start, end), limits);
}

function parseFolded(unfolded: string, limits: SipParseLimits): SipResult<SipHead> {
  // unfolding leaves only a fold right after the start line, which splitHeaders refuses: never undefined again
  return parseHead(unfolded, codesOf(unfolded), limits) ?? { ok: false, error: toParseError(new HeadError('missing_colon', 'continuation line before any header'), unfolded) };
}

/** End of the start line: the first CRLF, or the end of the head; a bare CR or LF before it is refused. */
function startLineEnd(codes: Codes, length: number, limits: SipParseLimits): number {
  let i = 0;
  while (i < length && codes[i] !== 0x0d && codes[i] !== 0x0a) i++;
  const clean = i === length || (codes[i] === 0x0d && i + 1 < length && codes[i + 1] === 0x0a);
  let lineEnd = i;
  // a bare CR or LF in the start line (a reason phrase is free text) would split it when sent on
  if (!clean) while (lineEnd < length && !(codes[lineEnd] === 0x0d && lineEnd + 1 < length && codes[lineEnd + 1] === 0x0a)) lineEnd++;
  if (lineEnd > limits.maxHeaderLineLength) fail('header_too_long', `start line longer than ${limits.maxHeaderLineLength}`);
  if (!clean) fail('bare_line_break', 'bare line break in the start line');
  return lineEnd;
}

/** undefined when a header is folded: the caller unfolds and parses once more. */
function parseHead(head: string, codes: Codes, limits: SipParseLimits): SipResult<SipHead> | undefined {
  try {
    const lineEnd = startLineEnd(codes, head.length, limits);
    const start = parseStartLineAt(head, codes, 0, lineEnd);
    if (start.kind === 'error') fail(start.reason, start.message);
    const hot = new Hot();
    const lines = splitHeaders(head, codes, lineEnd + 2, limits, hot);
    if (lines === undefined) return undefined;
    const headers = new SipHeaders(lines);
    if (hot.via === -1) fail('missing_header', 'missing Via');
    const viaComma = findListCommaAt(codes, hot.via, hot.viaEnd);
    const viaStart = trimStartAt(head, codes, hot.via, viaComma === -1 ? hot.viaEnd : viaComma);
    const via = parseViaAt(head, codes, viaStart, trimEndAt(head, codes, viaStart, viaComma === -1 ? hot.viaEnd : viaComma));
    if (hot.from === -1) fail('missing_header', 'missing From');
    const from = parseNameAddrAt(head, codes, hot.from, hot.fromEnd);
    if (hot.to === -1) fail('missing_header', 'missing To');
    const to = parseNameAddrAt(head, codes, hot.to, hot.toEnd);
    if (hot.callId === -1) fail('missing_header', 'missing Call-ID');
    if (hot.callIdEnd === hot.callId) fail('missing_header', 'empty Call-ID');
    if (hot.cseq === -1) fail('missing_header', 'missing CSeq');
    const cseq = parseCSeqAt(head, codes, hot.cseq, hot.cseqEnd);
    if (hot.maxForwards !== -1 && digitsAt(codes, withoutLeadingZeros(codes, hot.maxForwards, hot.maxForwardsEnd), hot.maxForwardsEnd, 3) < 0) {
      fail('bad_max_forwards', `bad Max-Forwards "${head.slice(hot.maxForwards, hot.maxForwardsEnd)}"`);
    }
    if (start.kind === 'request' && cseq.method !== start.method) fail('bad_cseq', `CSeq method ${cseq.method} does not match ${start.method}`);
    const message = start.kind === 'request' ? new SipRequest(start.method, start.uri, headers) : new SipResponse(start.status, start.reason, headers);
    prime(message, via, from, to, cseq);
    return { ok: true, value: { message, contentLength: hot.contentLength } };
  } catch (err) {
    return { ok: false, error: toParseError(err, head) };
  }
}

function prime(message: AnySipMessage, via: SipVia, from: NameAddr, to: NameAddr, cseq: SipCSeq): void {
  message.prime('via', via);
  message.prime('from', from);
  message.prime('to', to);
  message.prime('cseq', cseq);
}

export function toParseError(err: unknown, text: string): SipParseError {
  if (err instanceof HeadError || err instanceof SipValueError) return new SipParseError(err.reason, err.message, salvage(text));
  return new SipParseError('bad_start_line', err instanceof Error ? err.message : String(err), salvage(text));
}

/** Index just past leading CRLFs, which RFC 3261 §7.5 says to ignore before a start line. */
export function skipLeadingCrlf(data: Buffer, pos: number): number {
  while (pos + 1 < data.length && data[pos] === 0x0d && data[pos + 1] === 0x0a) pos += 2;
  return pos;
}

/** Parses one UDP datagram: the body is the rest of the packet, cut to Content-Length when that is smaller. */
export function parseSipMessage(input: Buffer | string, options: Partial<SipParseLimits> = {}): SipResult<AnySipMessage> {
  const limits = { ...DEFAULT_SIP_LIMITS, ...options };
  const data = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const partialText = (): string => data.toString('utf8', 0, Math.min(data.length, limits.maxMessageSize));
  if (data.length > limits.maxMessageSize) return reject('message_too_large', `message larger than ${limits.maxMessageSize} bytes`, partialText());
  const start = skipLeadingCrlf(data, 0);
  if (start >= data.length) return reject('empty', 'empty message', '');
  const headEnd = data.indexOf('\r\n\r\n', start);
  if (headEnd === -1) return reject('no_header_end', 'no empty line after the headers', partialText());
  // a NUL in the body is fine, one in the headers only as a quoted-pair (checked there)
  const head = parseHeadBytes(data, start, headEnd, limits);
  if (!head.ok) return head;
  const { message, contentLength } = head.value;
  const bodyStart = headEnd + 4;
  const available = data.length - bodyStart;
  if (contentLength !== undefined && contentLength > available) {
    return reject('truncated_body', `Content-Length ${contentLength} exceeds the ${available} bytes received`, partialText());
  }
  // subarray shares the datagram's memory (each datagram arrives in its own buffer); an empty body need not keep it
  const bodyLength = contentLength ?? available;
  message.body = bodyLength === 0 ? Buffer.alloc(0) : data.subarray(bodyStart, bodyStart + bodyLength);
  return { ok: true, value: message };
}

function reject<T>(reason: SipParseReason, message: string, text: string): SipResult<T> {
  return { ok: false, error: new SipParseError(reason, message, salvage(text)) };
}
