import { MALFORMED } from '../corpus/malformed-messages.corpus';
import { randomValidMessage } from '../corpus/random-messages';
import { RFC4475_BADVERS, RFC4475_VALID } from '../corpus/rfc4475-valid.corpus';
import { intBetween, pick, seededRandom } from '../corpus/seeded-random';
import { VALID } from '../corpus/valid-messages.corpus';

export { seededRandom };

const dialogRequest = (method: string, extra: string[] = []): Buffer =>
  Buffer.from(
    [`${method} sip:bob@192.0.2.4 SIP/2.0`, 'Via: SIP/2.0/UDP pc33.atlanta.example.org;branch=z9hG4bK74bf9', 'Max-Forwards: 70', 'From: Alice <sip:alice@atlanta.example.org>;tag=9fxced76sl',
      'To: Bob <sip:bob@biloxi.example.org>;tag=8321234356', 'Call-ID: 3848276298220188511@atlanta.example.org', `CSeq: 1 ${method}`, ...extra, 'Content-Length: 0', '', ''].join('\r\n'),
  );

/** Real INVITE/REGISTER/BYE/CANCEL/OPTIONS messages, the malformed cases and the RFC 4475 torture messages. */
export const SIP_FUZZ_CORPUS: readonly Buffer[] = [
  ...VALID.map((c) => Buffer.from(c.wire)),
  ...MALFORMED.map((c) => Buffer.from(c.wire)),
  ...RFC4475_VALID.map((c) => c.wire),
  RFC4475_BADVERS.wire,
  dialogRequest('CANCEL'),
  dialogRequest('ACK'),
  dialogRequest('BYE', ['Reason: SIP ;cause=200 ;text="Call completed elsewhere"']),
];

export type SipMutation = 'flip' | 'spicy' | 'truncate' | 'cut' | 'duplicate-header' | 'huge-value' | 'bad-utf8' | 'crlf' | 'content-length';
export const SIP_MUTATIONS: readonly SipMutation[] = ['flip', 'spicy', 'truncate', 'cut', 'duplicate-header', 'huge-value', 'bad-utf8', 'crlf', 'content-length'];

const SPICY = [0x0d, 0x0a, 0x00, 0x22, 0x3c, 0x3e, 0x2c, 0x3a, 0x3b, 0x20, 0x09, 0x5c, 0x40, 0x5b, 0x5d, 0x3d, 0xff, 0xc3];
// lone continuation, truncated 2-byte, overlong '/', UTF-16 surrogate, beyond U+10FFFF, invalid lead bytes
const BAD_UTF8 = [[0x80], [0xc3], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xfe], [0xff, 0xfe], [0xe2, 0x82]];
const CONTENT_LENGTHS = ['-1', '0', '1', '99999999', '18446744073709551616', 'abc', '12 34', '', '0x10', '4294967296'];
const CRLF = Buffer.from('\r\n');

/** Offsets of each header line's start (after the start line, before the blank line). */
function headerLines(data: Buffer): Array<{ start: number; end: number }> {
  const head = data.indexOf('\r\n\r\n');
  const limit = head < 0 ? data.length : head;
  const lines: Array<{ start: number; end: number }> = [];
  let at = data.indexOf(CRLF);
  while (at >= 0 && at < limit) {
    const start = at + 2;
    const next = data.indexOf(CRLF, start);
    const end = next < 0 || next > limit ? limit : next;
    if (end > start) lines.push({ start, end });
    at = next;
  }
  return lines;
}

function splice(data: Buffer, at: number, remove: number, insert: Buffer | Uint8Array | string): Buffer {
  return Buffer.concat([data.subarray(0, at), Buffer.from(insert as string), data.subarray(at + remove)]);
}

function hugeText(random: () => number, size: number): Buffer {
  const fill = pick(random, ['a', ';', ',', '"', '<', '%00', ' ', 'z9hG4bK']);
  return Buffer.from(fill.repeat(Math.ceil(size / fill.length)).slice(0, size));
}

/** One mutation of one kind; the input is never changed. */
export function applySipMutation(random: () => number, input: Buffer, kind: SipMutation, maxSize: number): Buffer {
  if (input.length === 0) return Buffer.from(input);
  const at = intBetween(random, 0, input.length - 1);
  const lines = headerLines(input);
  const line = lines.length > 0 ? pick(random, lines) : undefined;
  switch (kind) {
    case 'flip': {
      const out = Buffer.from(input);
      out[at] = intBetween(random, 0, 255);
      return out;
    }
    case 'spicy':
      return splice(input, at, 0, Buffer.from([pick(random, SPICY)]));
    case 'truncate':
      return Buffer.from(input.subarray(0, at));
    case 'cut':
      return splice(input, at, Math.min(input.length - at, intBetween(random, 1, 40)), '');
    case 'duplicate-header': {
      if (line === undefined) return splice(input, at, 0, input.subarray(at, at + 40));
      const copy = Buffer.concat([CRLF, input.subarray(line.start, line.end)]);
      return splice(input, line.end, 0, Buffer.concat(Array.from({ length: intBetween(random, 1, 60) }, () => copy)));
    }
    case 'huge-value': {
      const room = Math.max(0, maxSize - input.length);
      const size = Math.min(room, pick(random, [300, 1_000, 8_000, 30_000, 60_000]));
      return splice(input, line?.end ?? at, 0, hugeText(random, size));
    }
    case 'bad-utf8':
      return splice(input, at, random() < 0.5 ? 1 : 0, Buffer.from(pick(random, BAD_UTF8)));
    case 'crlf': {
      const head = input.indexOf('\r\n\r\n');
      const crlfs = lines.map((l) => l.start - 2);
      const target = crlfs.length > 0 ? pick(random, crlfs) : at;
      switch (intBetween(random, 0, 5)) {
        case 0: return splice(input, target, 2, '\n'); // bare LF
        case 1: return splice(input, target, 2, '\r'); // bare CR
        case 2: return splice(input, target, 0, '\r\n'); // blank line inside the headers
        case 3: return splice(input, target + 2, 0, pick(random, [' ', '\t', '\r\n '])); // folding where none belongs
        case 4: return Buffer.concat([Buffer.from('\r\n'.repeat(intBetween(random, 1, 8))), input]); // leading keep-alives
        default: return head < 0 ? Buffer.concat([input, CRLF]) : splice(input, head, 4, '\r\n'); // no blank line
      }
    }
    case 'content-length': {
      const value = pick(random, CONTENT_LENGTHS);
      const found = lines.find((l) => /^(content-length|l)\s*:/i.test(input.subarray(l.start, l.end).toString('latin1')));
      if (found === undefined || random() < 0.3) return splice(input, line?.end ?? at, 0, `\r\nContent-Length: ${value}`);
      return splice(input, found.start, found.end - found.start, `Content-Length: ${value}`);
    }
  }
}

export interface SipFuzzInput {
  bytes: Buffer;
  /** What the input was made from, for the run's tally. */
  kind: 'random' | 'generated' | SipMutation;
}

/**
 * A seeded, deterministic source of hostile SIP: random bytes, valid generated messages, and corpus or generated
 * messages under 1-3 mutations. `maxSize` caps what one input may grow to (a UDP datagram's room, say).
 */
export class SipMutator {
  private readonly random: () => number;
  private readonly maxSize: number;
  private readonly prepare: (base: Buffer) => Buffer;

  /** `prepare` adjusts each base message before it is mutated (see retargetVia). */
  constructor(seed: number, opts: { maxSize?: number; prepare?: (base: Buffer) => Buffer } = {}) {
    this.random = seededRandom(seed);
    this.maxSize = opts.maxSize ?? 60_000;
    this.prepare = opts.prepare ?? ((base) => base);
  }

  next(): SipFuzzInput {
    const random = this.random;
    const roll = random();
    if (roll < 0.1) return { kind: 'random', bytes: Buffer.from(Array.from({ length: intBetween(random, 1, 400) }, () => intBetween(random, 0, 255))) };
    if (roll < 0.2) return { kind: 'generated', bytes: this.prepare(Buffer.from(randomValidMessage(random))) };
    let bytes = this.prepare(random() < 0.7 ? pick(random, SIP_FUZZ_CORPUS) : Buffer.from(randomValidMessage(random)));
    let kind: SipMutation = 'flip';
    for (let i = intBetween(random, 1, 3); i > 0; i--) {
      kind = pick(random, SIP_MUTATIONS);
      bytes = applySipMutation(random, bytes, kind, this.maxSize);
    }
    return { kind, bytes: bytes.length > this.maxSize ? bytes.subarray(0, this.maxSize) : bytes };
  }
}

/**
 * Points the first Via of a message at `sentBy` (with rport), so whatever the target answers comes back to the
 * sender rather than to the corpus's made-up hosts; messages without a Via are left alone.
 */
export function retargetVia(message: Buffer, transport: string, sentBy: string, branch: string): Buffer {
  const text = message.toString('latin1');
  const match = /\r\n(via|v)[ \t]*:[^\r\n]*/i.exec(text);
  if (match === null) return message;
  const via = `\r\nVia: SIP/2.0/${transport} ${sentBy};rport;branch=z9hG4bK${branch}`;
  return Buffer.from(text.slice(0, match.index) + via + text.slice(match.index + match[0].length), 'latin1');
}
