import { NameAddr, parseNameAddr } from './name-addr';
import { SipAuth, parseAuth } from './sip-auth';
import { SipCSeq, parseCSeq } from './sip-cseq';
import { SipHeaders } from './sip-headers';
import { SipResult, attempt, ok } from './sip-parse-error';
import { firstListItem, splitList } from './sip-text';
import { Uri, parseUri } from './sip-uri';
import { SipVia, parseVia } from './sip-via';

export const SIP_VERSION = 'SIP/2.0';

/** Fields shared by requests and responses; header values are parsed on first access and cached. */
export abstract class SipMessage {
  abstract readonly kind: 'request' | 'response';
  version = SIP_VERSION;
  body: Buffer;
  readonly headers: SipHeaders;
  private cache = new Map<string, SipResult<unknown>>();
  /** The body decoded once, with the Buffer it was decoded from (the parser sets `body` after construction). */
  private decoded: { body: Buffer; text: string } | undefined;

  constructor(headers: SipHeaders = new SipHeaders(), body: Buffer = Buffer.alloc(0)) {
    this.headers = headers;
    this.body = body;
    headers.onChange = () => this.cache.clear();
  }

  /** The body as text, decoded once: every holder of a session description then shares one string rather than a copy each. */
  get bodyText(): string {
    const decoded = this.decoded;
    if (decoded !== undefined && decoded.body === this.body) return decoded.text;
    const text = this.body.toString();
    this.decoded = { body: this.body, text };
    return text;
  }

  /** The text the body was encoded from: bodyText returns that string itself. */
  primeBodyText(text: string): void {
    this.decoded = { body: this.body, text };
  }

  /** Lets the parser hand over values it already parsed on the hot path. */
  prime(key: string, value: unknown): void {
    this.cache.set(key, ok(value));
  }

  protected memo<T>(key: string, parse: () => T): SipResult<T> {
    let hit = this.cache.get(key) as SipResult<T> | undefined;
    if (hit === undefined) {
      hit = attempt(parse);
      this.cache.set(key, hit);
    }
    return hit;
  }

  private hot<T>(key: string, name: string, parse: (text: string) => T): T | undefined {
    const result = this.memo(key, () => {
      const raw = this.headers.get(name);
      return raw === undefined ? undefined : parse(raw);
    });
    return result.ok ? result.value : undefined;
  }

  get callId(): string | undefined {
    return this.headers.get('call-id');
  }

  get cseq(): SipCSeq | undefined {
    return this.hot('cseq', 'cseq', parseCSeq);
  }

  /** Top Via. */
  get via(): SipVia | undefined {
    return this.hot('via', 'via', (raw) => parseVia(firstListItem(raw)));
  }

  get from(): NameAddr | undefined {
    return this.hot('from', 'from', parseNameAddr);
  }

  get to(): NameAddr | undefined {
    return this.hot('to', 'to', parseNameAddr);
  }

  get fromTag(): string | undefined {
    return this.from?.tag;
  }

  get toTag(): string | undefined {
    return this.to?.tag;
  }

  get contentLength(): number | undefined {
    return this.hot('content-length', 'content-length', (raw) => Number(raw.trim()));
  }

  get maxForwards(): number | undefined {
    return this.hot('max-forwards', 'max-forwards', (raw) => Number(raw.trim()));
  }

  get contentType(): string | undefined {
    return this.headers.get('content-type');
  }

  /** Comma-split values across every occurrence of a list header. */
  getList(name: string): SipResult<string[]> {
    return this.memo(`list:${name.toLowerCase()}`, () => this.headers.getAll(name).flatMap(splitList));
  }

  getVias(): SipResult<SipVia[]> {
    return this.memo('vias', () => this.headers.getAll('via').flatMap(splitList).map(parseVia));
  }

  /** '*' for a wildcard Contact (REGISTER removal), otherwise every contact in order. */
  getContacts(): SipResult<NameAddr[] | '*'> {
    return this.memo('contacts', () => {
      const items = this.headers.getAll('contact').flatMap(splitList);
      if (items.length === 1 && items[0] === '*') return '*' as const;
      return items.map(parseNameAddr);
    });
  }

  getRoutes(): SipResult<NameAddr[]> {
    return this.memo('routes', () => this.headers.getAll('route').flatMap(splitList).map(parseNameAddr));
  }

  getRecordRoutes(): SipResult<NameAddr[]> {
    return this.memo('record-routes', () => this.headers.getAll('record-route').flatMap(splitList).map(parseNameAddr));
  }

  /** A single name-addr header such as Refer-To, Referred-By, Reply-To; undefined when absent. */
  getNameAddr(name: string): SipResult<NameAddr | undefined> {
    return this.memo(`name-addr:${name.toLowerCase()}`, () => {
      const raw = this.headers.get(name);
      return raw === undefined ? undefined : parseNameAddr(raw);
    });
  }

  /** Every WWW-Authenticate / Authorization / Proxy-* occurrence (never comma-split). */
  getAuth(name: string): SipResult<SipAuth[]> {
    return this.memo(`auth:${name.toLowerCase()}`, () => this.headers.getAll(name).map(parseAuth));
  }
}

export class SipRequest extends SipMessage {
  readonly kind = 'request' as const;

  constructor(
    public method: string,
    /** Request-URI as written; parsed by getRequestUri(). */
    public uri: string,
    headers?: SipHeaders,
    body?: Buffer,
  ) {
    super(headers, body);
  }

  getRequestUri(): SipResult<Uri> {
    return this.memo(`ruri:${this.uri}`, () => parseUri(this.uri));
  }
}

export class SipResponse extends SipMessage {
  readonly kind = 'response' as const;

  constructor(
    public status: number,
    public reason: string,
    headers?: SipHeaders,
    body?: Buffer,
  ) {
    super(headers, body);
  }
}

export type AnySipMessage = SipRequest | SipResponse;
