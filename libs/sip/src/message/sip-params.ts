import { SipValueError } from './sip-parse-error';
import { isTokenCode, skipQuoted, skipWs } from './sip-text';

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
    const lower = name.toLowerCase();
    for (let i = 0; i < this.list.length; i++) if (this.list[i].name.toLowerCase() === lower) return i;
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
  return isTokenCode(code) || code === 0x5b || code === 0x5d || code === 0x3a;
}

/** Parses header params (`;a=b;flag;c="q s"`) from pos to the end of text. */
export function parseHeaderParams(text: string, pos: number): SipParams {
  const list: SipParam[] = [];
  pos = skipWs(text, pos);
  while (pos < text.length) {
    if (text.charCodeAt(pos) !== 0x3b) throw new SipValueError('bad_params', `expected ';' at ${pos} in "${text}"`);
    pos = skipWs(text, pos + 1);
    const nameStart = pos;
    while (pos < text.length && isTokenCode(text.charCodeAt(pos))) pos++;
    if (pos === nameStart) throw new SipValueError('bad_params', `empty parameter name in "${text}"`);
    const name = text.slice(nameStart, pos);
    pos = skipWs(text, pos);
    let value: string | null = null;
    if (pos < text.length && text.charCodeAt(pos) === 0x3d) {
      pos = skipWs(text, pos + 1);
      const valueStart = pos;
      if (text.charCodeAt(pos) === 0x22) pos = skipQuoted(text, pos);
      else while (pos < text.length && isParamValueCode(text.charCodeAt(pos))) pos++;
      value = text.slice(valueStart, pos);
      pos = skipWs(text, pos);
    }
    list.push({ name, value });
  }
  return new SipParams(list);
}
