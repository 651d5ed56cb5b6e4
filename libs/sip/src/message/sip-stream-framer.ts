import { AnySipMessage } from './sip-message';
import { SipParseError, SipParseReason, SipResult } from './sip-parse-error';
import { DEFAULT_SIP_LIMITS, SipHead, SipParseLimits, parseHeadBytes } from './sip-parser';
import { salvage } from './sip-salvage';
import { parseStartLine } from './sip-start-line';
import { ByteQueue } from './byte-queue';
import { ownedCopy } from './owned-buffer';

export type SipFrame =
  /** A complete, valid message. */
  | { type: 'message'; message: AnySipMessage }
  /** RFC 5626 double-CRLF ping; the transport answers with a single CRLF. */
  | { type: 'keepalive' }
  /** RFC 5626 single-CRLF pong to our own ping. */
  | { type: 'pong' }
  /** Framed correctly but unparsable; skipped, the stream stays usable (answer 400 from error.partial). */
  | { type: 'invalid'; error: SipParseError }
  /** Framing is lost or a limit was broken: the transport must close the connection. */
  | { type: 'error'; error: SipParseError };

// Once these happen the byte stream can no longer be trusted to be in sync.
const FATAL: ReadonlySet<SipParseReason> = new Set([
  'nul_byte', 'too_many_headers', 'header_too_long', 'message_too_large', 'bad_content_length', 'bad_start_line', 'bare_line_break',
]);

const CR = 0x0d;
const LF = 0x0a;

interface Pending {
  headEnd: number;
  total: number;
  head: SipResult<SipHead>;
}

/** Cuts a TCP/TLS/WS byte stream into SIP messages using Content-Length (mandatory on streams). */
export class SipStreamFramer {
  private readonly queue = new ByteQueue();
  // how far the current (incomplete) head was already searched, so each byte is looked at once
  private scanned = 0;
  private startLineChecked = false;
  private pending?: Pending;
  private failure?: SipParseError;
  private readonly limits: SipParseLimits;

  constructor(limits: Partial<SipParseLimits> = {}) {
    this.limits = { ...DEFAULT_SIP_LIMITS, ...limits };
  }

  /** True after a fatal error; further input is ignored. */
  get closed(): boolean {
    return this.failure !== undefined;
  }

  get buffered(): number {
    return this.queue.length;
  }

  push(chunk: Buffer): SipFrame[] {
    if (this.failure !== undefined) return [];
    this.queue.append(chunk);
    const out: SipFrame[] = [];
    for (;;) {
      const frame = this.next();
      if (frame === undefined) return out;
      out.push(frame);
      if (frame.type === 'error') return out;
    }
  }

  private next(): SipFrame | undefined {
    if (this.pending !== undefined) return this.completePending(this.pending);
    const buf = this.queue.view();
    if (buf.length === 0) return undefined;
    if (buf[0] === CR || buf[0] === LF) return this.keepalive(buf);
    const from = Math.max(0, this.scanned - 3);
    const headEnd = buf.indexOf('\r\n\r\n', from);
    if (headEnd === -1) return this.checkIncompleteHead(buf, from);
    if (headEnd + 4 > this.limits.maxMessageSize) return this.fatal('message_too_large', 'header section exceeds the message size limit', buf);
    const head = parseHeadBytes(buf, 0, headEnd, this.limits);
    if (!head.ok && FATAL.has(head.error.reason)) return this.fail(head.error);
    const length = head.ok ? head.value.contentLength : contentLengthOf(head.error);
    if (length === undefined) {
      if (!head.ok) return this.fail(head.error);
      return this.fatal('missing_content_length', 'Content-Length is required on stream transports', buf);
    }
    const total = headEnd + 4 + length;
    if (total > this.limits.maxMessageSize) return this.fatal('message_too_large', `message of ${total} bytes exceeds the limit`, buf);
    this.pending = { headEnd, total, head };
    return this.completePending(this.pending);
  }

  private completePending(pending: Pending): SipFrame | undefined {
    if (this.queue.length < pending.total) return undefined;
    const { head, headEnd, total } = pending;
    // copy: the queue's memory is reused, and the caller may reuse the chunk buffers it handed us
    const body = ownedCopy(this.queue.view().subarray(headEnd + 4, total));
    this.advance(total);
    this.pending = undefined;
    if (!head.ok) return { type: 'invalid', error: head.error };
    head.value.message.body = body;
    return { type: 'message', message: head.value.message };
  }

  private keepalive(buf: Buffer): SipFrame | undefined {
    if (buf[0] !== CR || (buf.length > 1 && buf[1] !== LF)) return this.fatal('bad_start_line', 'stray line break', buf);
    if (buf.length < 4) {
      // "\r\n" may be a pong or the first half of a ping: wait for the next byte unless it already says which
      if (buf.length === 3 && buf[2] !== CR) return this.consume(2, { type: 'pong' });
      return undefined;
    }
    if (buf[2] === CR && buf[3] === LF) return this.consume(4, { type: 'keepalive' });
    return this.consume(2, { type: 'pong' });
  }

  private consume(bytes: number, frame: SipFrame): SipFrame {
    this.advance(bytes);
    return frame;
  }

  /** Drops consumed bytes; the next head is searched from its start. */
  private advance(bytes: number): void {
    this.queue.consume(bytes);
    this.scanned = 0;
    this.startLineChecked = false;
  }

  /** Only the bytes that arrived since the last look are searched (from: where this look started). */
  private checkIncompleteHead(buf: Buffer, from: number): SipFrame | undefined {
    this.scanned = buf.length;
    if (buf.length > this.limits.maxMessageSize) return this.fatal('message_too_large', 'no end of headers within the size limit', buf);
    // only a quoted-pair may hold a NUL (checked once the head is complete): any other one ends the stream now
    for (let nul = buf.indexOf(0, from); nul !== -1; nul = buf.indexOf(0, nul + 1)) {
      if (buf[nul - 1] !== 0x5c) return this.fatal('nul_byte', 'NUL byte in the header section', buf);
    }
    if (this.startLineChecked) return undefined;
    const lineEnd = buf.indexOf('\r\n', Math.max(0, from - 1));
    if (lineEnd === -1) {
      if (buf.length > this.limits.maxHeaderLineLength) return this.fatal('header_too_long', 'start line too long', buf);
      return undefined;
    }
    // reject a garbage-spewing peer as soon as its first line is complete
    this.startLineChecked = true;
    const start = parseStartLine(buf.toString('utf8', 0, lineEnd));
    if (start.kind === 'error' && FATAL.has(start.reason)) return this.fatal(start.reason, start.message, buf);
    return undefined;
  }

  private fatal(reason: SipParseReason, message: string, buf: Buffer): SipFrame {
    return this.fail(new SipParseError(reason, message, salvage(buf.toString('utf8', 0, Math.min(buf.length, this.limits.maxMessageSize)))));
  }

  private fail(error: SipParseError): SipFrame {
    this.failure = error;
    this.queue.clear();
    this.pending = undefined;
    return { type: 'error', error };
  }
}

function contentLengthOf(error: SipParseError): number | undefined {
  const raw = error.partial?.contentLength;
  return raw !== undefined && /^\d{1,9}$/.test(raw) ? Number(raw) : undefined;
}
