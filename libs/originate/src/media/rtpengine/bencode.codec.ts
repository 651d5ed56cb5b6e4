import { LegworkError } from '@legwork/common';

/** A value of the ng protocol: bencode has byte strings, integers, lists and dictionaries; a Buffer is sent as raw bytes (a media blob). */
export type NgValue = string | number | Buffer | NgValue[] | NgDict;
export interface NgDict {
  [key: string]: NgValue;
}

/** Malformed ng protocol bytes (from rtpengine) or a value bencode cannot carry. */
export class BencodeError extends LegworkError<'bencode_invalid'> {
  constructor(message: string) {
    super('bencode_invalid', message);
  }
}

function encodeInto(value: NgValue, out: Buffer[]): void {
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    out.push(Buffer.from(`${bytes.length}:`), bytes);
  } else if (Buffer.isBuffer(value)) {
    out.push(Buffer.from(`${value.length}:`), value);
  } else if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new BencodeError(`bencode integers must be safe integers, got ${value}`);
    out.push(Buffer.from(`i${value}e`));
  } else if (Array.isArray(value)) {
    out.push(Buffer.from('l'));
    for (const item of value) encodeInto(item, out);
    out.push(Buffer.from('e'));
  } else {
    out.push(Buffer.from('d'));
    // bencode requires keys sorted by their raw bytes
    const keys = Object.keys(value).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    for (const key of keys) {
      encodeInto(key, out);
      encodeInto(value[key], out);
    }
    out.push(Buffer.from('e'));
  }
}

export function bencode(value: NgValue): Buffer {
  const out: Buffer[] = [];
  encodeInto(value, out);
  return Buffer.concat(out);
}

const MAX_DEPTH = 64;

class Decoder {
  pos = 0;
  constructor(private readonly buf: Buffer) {}

  value(depth: number): NgValue {
    if (depth > MAX_DEPTH) throw new BencodeError('bencode nesting too deep');
    const c = this.buf[this.pos];
    if (c === undefined) throw new BencodeError('truncated bencode');
    if (c === 0x69) return this.integer();
    if (c === 0x6c) return this.list(depth);
    if (c === 0x64) return this.dict(depth);
    if (c >= 0x30 && c <= 0x39) return this.string();
    throw new BencodeError(`unexpected byte 0x${c.toString(16)} at ${this.pos}`);
  }

  private until(byte: number): string {
    const end = this.buf.indexOf(byte, this.pos);
    if (end < 0) throw new BencodeError('truncated bencode');
    const text = this.buf.toString('latin1', this.pos, end);
    this.pos = end + 1;
    return text;
  }

  private integer(): number {
    this.pos++;
    const text = this.until(0x65);
    if (!/^(0|-?[1-9]\d*)$/.test(text)) throw new BencodeError(`bad bencode integer "${text}"`);
    return Number(text);
  }

  string(): string {
    const text = this.until(0x3a);
    if (!/^\d+$/.test(text)) throw new BencodeError(`bad bencode string length "${text}"`);
    const len = Number(text);
    if (this.pos + len > this.buf.length) throw new BencodeError('truncated bencode string');
    const s = this.buf.toString('utf8', this.pos, this.pos + len);
    this.pos += len;
    return s;
  }

  private list(depth: number): NgValue[] {
    this.pos++;
    const items: NgValue[] = [];
    while (this.buf[this.pos] !== 0x65) items.push(this.value(depth + 1));
    this.pos++;
    return items;
  }

  private dict(depth: number): NgDict {
    this.pos++;
    const dict: NgDict = {};
    while (this.buf[this.pos] !== 0x65) {
      if (this.buf[this.pos] === undefined) throw new BencodeError('truncated bencode dictionary');
      const key = this.string();
      dict[key] = this.value(depth + 1);
    }
    this.pos++;
    return dict;
  }
}

/** Decodes one complete value; byte strings become UTF-8 text (SDP and ng keys are text). */
export function bdecode(buf: Buffer): NgValue {
  const decoder = new Decoder(buf);
  const value = decoder.value(0);
  if (decoder.pos !== buf.length) throw new BencodeError('trailing bytes after bencode value');
  return value;
}
