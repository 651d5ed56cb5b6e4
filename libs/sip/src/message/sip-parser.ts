import { COMPACT_FORMS } from './header-names';
import { NameAddr, parseNameAddr } from './name-addr';
import { SipCSeq, parseCSeq } from './sip-cseq';
import { SipHeader, SipHeaders } from './sip-headers';
import { AnySipMessage, SipRequest, SipResponse } from './sip-message';
import { SipParseError, SipParseReason, SipResult, SipValueError } from './sip-parse-error';
import { salvage } from './sip-salvage';
import { parseStartLine } from './sip-start-line';
import { firstListItem, isTokenCode } from './sip-text';
import { rawNulIndex, rawNulInText } from './sip-nul';
import { unfoldHeaderString, unfoldHeaderText } from './sip-unfold';
import { SipVia, parseVia } from './sip-via';

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

function digits(value: string, max: number): number {
  if (value.length === 0 || value.length > max) return -1;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -1;
  }
  return Number(value);
}

/** RFC 4475 §3.1.1.1: `Max-Forwards: 0068` is 68; leading zeros do not count against the three digits. */
function withoutLeadingZeros(value: string): string {
  let i = 0;
  while (i < value.length - 1 && value.charCodeAt(i) === 0x30) i++;
  return i === 0 ? value : value.slice(i);
}

/** Lowercase full name; a plain toLowerCase beats any string-keyed cache here. */
function keyOf(name: string): string {
  const lower = name.toLowerCase();
  return lower.length === 1 ? (COMPACT_FORMS[lower] ?? lower) : lower;
}

function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

function once(current: string | undefined, value: string, name: string): string {
  if (current !== undefined) fail('duplicate_header', `more than one ${name} header`);
  return value;
}

/** Hot fields collected while the header lines are split. */
interface Hot {
  via?: string;
  from?: string;
  to?: string;
  callId?: string;
  cseq?: string;
  contentLength?: number;
  maxForwards?: string;
}

function collect(hot: Hot, header: SipHeader): void {
  switch (header.key) {
    case 'via':
      hot.via ??= header.value;
      break;
    case 'from':
      hot.from = once(hot.from, header.value, 'From');
      break;
    case 'to':
      hot.to = once(hot.to, header.value, 'To');
      break;
    case 'call-id':
      hot.callId = once(hot.callId, header.value, 'Call-ID');
      break;
    case 'cseq':
      hot.cseq = once(hot.cseq, header.value, 'CSeq');
      break;
    case 'max-forwards':
      hot.maxForwards = once(hot.maxForwards, header.value, 'Max-Forwards');
      break;
    case 'content-length': {
      const length = digits(header.value, 9);
      if (length < 0) fail('bad_content_length', `bad Content-Length "${header.value.slice(0, 50)}"`);
      if (hot.contentLength !== undefined && hot.contentLength !== length) fail('bad_content_length', 'conflicting Content-Length headers');
      hot.contentLength = length;
    }
  }
}

/** The header lines, or undefined at the first continuation line: the caller unfolds once and parses again. */
function splitHeaders(head: string, pos: number, limits: SipParseLimits, hot: Hot): SipHeader[] | undefined {
  const list: SipHeader[] = [];
  const length = head.length;
  while (pos < length) {
    let eol = head.indexOf('\n', pos) - 1;
    if (eol === -2) eol = length;
    else if (head.charCodeAt(eol) !== 0x0d) fail('bare_line_break', 'bare LF inside the header section');
    const cr = head.indexOf('\r', pos);
    if (cr !== -1 && cr !== eol) fail('bare_line_break', 'bare CR inside the header section');
    if (isBlank(head.charCodeAt(pos))) {
      // RFC 3261 §7.3.1: a line starting with whitespace continues the previous header
      if (list.length === 0) fail('missing_colon', 'continuation line before any header');
      return undefined;
    }
    if (eol - pos > limits.maxHeaderLineLength) fail('header_too_long', `header line longer than ${limits.maxHeaderLineLength}`);
    const colon = head.indexOf(':', pos);
    if (colon === -1 || colon > eol) fail('missing_colon', `no colon in "${head.slice(pos, Math.min(eol, pos + 100))}"`);
    let nameEnd = colon;
    while (nameEnd > pos && isBlank(head.charCodeAt(nameEnd - 1))) nameEnd--;
    if (nameEnd === pos) fail('bad_header_name', 'empty header name');
    for (let i = pos; i < nameEnd; i++) if (!isTokenCode(head.charCodeAt(i))) fail('bad_header_name', `bad header name "${head.slice(pos, colon)}"`);
    let valueStart = colon + 1;
    while (valueStart < eol && isBlank(head.charCodeAt(valueStart))) valueStart++;
    let valueEnd = eol;
    while (valueEnd > valueStart && isBlank(head.charCodeAt(valueEnd - 1))) valueEnd--;
    const name = head.slice(pos, nameEnd);
    const header: SipHeader = { name, key: keyOf(name), value: head.slice(valueStart, valueEnd) };
    list.push(header);
    if (list.length > limits.maxHeaders) fail('too_many_headers', `more than ${limits.maxHeaders} headers`);
    collect(hot, header);
    pos = eol + 2;
  }
  return list;
}

function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) fail('missing_header', `missing ${name}`);
  return value;
}

/** Parses the header section text (start line to the last header line, no blank line). */
export function parseHeadText(head: string, limits: SipParseLimits = DEFAULT_SIP_LIMITS, nulChecked = false): SipResult<SipHead> {
  if (!nulChecked && rawNulInText(head)) return { ok: false, error: toParseError(new HeadError('nul_byte', 'NUL byte in the header section'), head) };
  return parseHead(head, limits) ?? parseFolded(unfoldHeaderText(head), limits);
}

/** The header section of a message in data[start, end): the wire paths' entry, NUL check included. */
export function parseHeadBytes(data: Buffer, start: number, end: number, limits: SipParseLimits): SipResult<SipHead> {
  const nul = rawNulIndex(data, start, end);
  if (nul !== -1) return { ok: false, error: toParseError(new HeadError('nul_byte', 'NUL byte in the header section'), data.toString('utf8', start, end)) };
  // the plain text first: folded messages are rare, and the bytes are unfolded only when the text turns out to be
  return parseHead(data.toString('utf8', start, end), limits) ?? parseFolded(unfoldHeaderString(data, start, end), limits);
}

function parseFolded(unfolded: string, limits: SipParseLimits): SipResult<SipHead> {
  // unfolding leaves only a fold right after the start line, which splitHeaders refuses: never undefined again
  return parseHead(unfolded, limits) ?? { ok: false, error: toParseError(new HeadError('missing_colon', 'continuation line before any header'), unfolded) };
}

/** undefined when a header is folded: the caller unfolds and parses once more. */
function parseHead(head: string, limits: SipParseLimits): SipResult<SipHead> | undefined {
  try {
    let lineEnd = head.indexOf('\r\n');
    if (lineEnd === -1) lineEnd = head.length;
    if (lineEnd > limits.maxHeaderLineLength) fail('header_too_long', `start line longer than ${limits.maxHeaderLineLength}`);
    // a bare CR or LF in the start line (a reason phrase is free text) would split it when sent on
    const cr = head.indexOf('\r');
    const lf = head.indexOf('\n');
    if ((cr !== -1 && cr < lineEnd) || (lf !== -1 && lf < lineEnd)) fail('bare_line_break', 'bare line break in the start line');
    const start = parseStartLine(head.slice(0, lineEnd));
    if (start.kind === 'error') fail(start.reason, start.message);
    const hot: Hot = {};
    const lines = splitHeaders(head, lineEnd + 2, limits, hot);
    if (lines === undefined) return undefined;
    const headers = new SipHeaders(lines);
    const via = parseVia(firstListItem(required(hot.via, 'Via')));
    const from = parseNameAddr(required(hot.from, 'From'));
    const to = parseNameAddr(required(hot.to, 'To'));
    if (required(hot.callId, 'Call-ID').length === 0) fail('missing_header', 'empty Call-ID');
    const cseq = parseCSeq(required(hot.cseq, 'CSeq'));
    if (hot.maxForwards !== undefined && digits(withoutLeadingZeros(hot.maxForwards), 3) < 0) fail('bad_max_forwards', `bad Max-Forwards "${hot.maxForwards}"`);
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
