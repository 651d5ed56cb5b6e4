import { lookupKey } from './header-keys';
import { checkHeader } from './sip-unsafe-value';

export interface SipHeader {
  /** Name exactly as written (may be compact or odd case). */
  name: string;
  /** Lowercase full name used for lookup. */
  key: string;
  /** Value with folding undone and surrounding whitespace trimmed. */
  value: string;
}

/** Ordered header list that keeps original names, order, and raw values. */
export class SipHeaders implements Iterable<SipHeader> {
  /** Set by the owning message so cached parsed values are dropped on mutation. */
  onChange?: () => void;

  constructor(readonly list: SipHeader[] = []) {}

  static from(pairs: Iterable<readonly [string, string]>): SipHeaders {
    const headers = new SipHeaders();
    for (const [name, value] of pairs) {
      checkHeader(name, value);
      headers.list.push({ name, key: lookupKey(name), value });
    }
    return headers;
  }

  [Symbol.iterator](): Iterator<SipHeader> {
    return this.list[Symbol.iterator]();
  }

  get size(): number {
    return this.list.length;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** First value of the header, compact or full name, any case. */
  get(name: string): string | undefined {
    const key = lookupKey(name);
    for (const h of this.list) if (h.key === key) return h.value;
    return undefined;
  }

  /** Every occurrence in order (not comma-split). */
  getAll(name: string): string[] {
    const key = lookupKey(name);
    const out: string[] = [];
    for (const h of this.list) if (h.key === key) out.push(h.value);
    return out;
  }

  /** Throws SipUnsafeValueError for a name that is no token or a value that would leave its line. */
  append(name: string, value: string): this {
    checkHeader(name, value);
    this.list.push({ name, key: lookupKey(name), value });
    this.onChange?.();
    return this;
  }

  /** Adds before the first header of the same name (new top Via), or at the start when there is none. */
  prepend(name: string, value: string): this {
    checkHeader(name, value);
    const key = lookupKey(name);
    const at = this.list.findIndex((h) => h.key === key);
    this.list.splice(at === -1 ? 0 : at, 0, { name, key, value });
    this.onChange?.();
    return this;
  }

  /** Replaces the first occurrence in place (keeping its spelling) and drops the others. */
  set(name: string, value: string): this {
    checkHeader(name, value);
    const key = lookupKey(name);
    const at = this.list.findIndex((h) => h.key === key);
    if (at === -1) {
      this.list.push({ name, key, value });
    } else {
      this.list[at] = { name: this.list[at].name, key, value };
      for (let i = this.list.length - 1; i > at; i--) if (this.list[i].key === key) this.list.splice(i, 1);
    }
    this.onChange?.();
    return this;
  }

  remove(name: string): this {
    const key = lookupKey(name);
    for (let i = this.list.length - 1; i >= 0; i--) if (this.list[i].key === key) this.list.splice(i, 1);
    this.onChange?.();
    return this;
  }

  /** Removes only the first occurrence (a proxy popping its own Via). */
  removeFirst(name: string): this {
    const key = lookupKey(name);
    const at = this.list.findIndex((h) => h.key === key);
    if (at !== -1) this.list.splice(at, 1);
    this.onChange?.();
    return this;
  }

  clone(): SipHeaders {
    return new SipHeaders(this.list.map((h) => ({ ...h })));
  }
}
