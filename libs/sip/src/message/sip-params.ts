import { SipValueError } from './sip-parse-error';
import { Codes, codesOf, isTokenByte, skipQuotedAt, skipWsAt } from './sip-scan';

export interface SipParam {
  name: string;
  /** Raw value as written (quoted strings keep their quotes); null for a flag like `;lr`. */
  value: string | null;
}

/** Ordered `;name=value` parameters with case-insensitive lookup. */
export class SipParams {
  constructor(readonly list: SipParam[] = []) {}

  static of(record: Record<string, string | null>): SipParams {
    return new SipParams(Object.entries(record).map(([name, value]) => ({ name, value })));
  }

  private find(name: string): number {
    // the same spelling matches without lowercasing; only a same-length other spelling is lowercased
    let lower: string | undefined;
    for (let i = 0; i < this.list.length; i++) {
      const own = this.list[i].name;
      if (own === name) return i;
      if (own.length === name.length && own.toLowerCase() === (lower ??= name.toLowerCase())) return i;
    }
    return -1;
  }

  has(name: string): boolean {
    return this.find(name) !== -1;
  }

  /** undefined when absent, null when present without a value. */
  get(name: string): string | null | undefined {
    const i = this.find(name);
    return i === -1 ? undefined : this.list[i].value;
  }

  set(name: string, value: string | null): this {
    const i = this.find(name);
    if (i === -1) this.list.push({ name, value });
    else this.list[i] = { name: this.list[i].name, value };
    return this;
  }

  delete(name: string): this {
    const i = this.find(name);
    if (i !== -1) this.list.splice(i, 1);
    return this;
  }

  get size(): number {
    return this.list.length;
  }

  clone(): SipParams {
    return new SipParams(this.list.map((p) => ({ ...p })));
  }

  toString(): string {
    let out = '';
    for (const p of this.list) out += p.value === null ? `;${p.name}` : `;${p.name}=${p.value}`;
    return out;
  }
}

function isParamValueCode(code: number): boolean {
  // token plus the characters of hosts: IPv6 brackets and colons
  return isTokenByte(code) || code === 0x5b || code === 0x5d || code === 0x3a;
}

/** Parses header params (`;a=b;flag;c="q s"`) from pos to the end of text. */
export function parseHeaderParams(text: string, pos: number): SipParams {
  return parseHeaderParamsAt(text, codesOf(text), pos, text.length);
}

/** The same over text[pos, end), scanning codes (see sip-scan); errors quote text[0, end). */
export function parseHeaderParamsAt(text: string, codes: Codes, pos: number, end: number, from = 0): SipParams {
  const list: SipParam[] = [];
  pos = skipWsAt(codes, pos, end);
  while (pos < end) {
    if (codes[pos] !== 0x3b) throw new SipValueError('bad_params', `expected ';' at ${pos - from} in "${text.slice(from, end)}"`);
    pos = skipWsAt(codes, pos + 1, end);
    const nameStart = pos;
    while (pos < end && isTokenByte(codes[pos])) pos++;
    if (pos === nameStart) throw new SipValueError('bad_params', `empty parameter name in "${text.slice(from, end)}"`);
    const name = text.slice(nameStart, pos);
    pos = skipWsAt(codes, pos, end);
    let value: string | null = null;
    if (pos < end && codes[pos] === 0x3d) {
      pos = skipWsAt(codes, pos + 1, end);
      const valueStart = pos;
      if (pos < end && codes[pos] === 0x22) pos = skipQuotedAt(codes, pos, end);
      else while (pos < end && isParamValueCode(codes[pos])) pos++;
      value = text.slice(valueStart, pos);
      pos = skipWsAt(codes, pos, end);
    }
    list.push({ name, value });
  }
  return new SipParams(list);
}
