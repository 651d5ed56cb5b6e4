import { SipParams, parseHeaderParamsAt } from './sip-params';
import { SipValueError } from './sip-parse-error';
import { Codes, codesOf, indexAt, quotedEnd, readQuotedAt, skipWsAt, trimEndAt, trimStartAt } from './sip-scan';
import { quote } from './sip-text';
import { Uri, parseUri, parseUriAt, serializeUri } from './sip-uri';

/** name-addr / addr-spec with header params: From, To, Contact, Route, Refer-To ... */
export class NameAddr {
  constructor(
    public uri: Uri,
    public displayName?: string,
    public params: SipParams = new SipParams(),
  ) {}

  get tag(): string | undefined {
    const tag = this.params.get('tag');
    return tag === null ? undefined : tag;
  }

  clone(): NameAddr {
    return new NameAddr(parseUri(serializeUri(this.uri)), this.displayName, this.params.clone());
  }

  toString(): string {
    return serializeNameAddr(this);
  }
}

export function parseNameAddr(input: string): NameAddr {
  return parseNameAddrAt(input, codesOf(input), 0, input.length);
}

/** The same over text[from, to), scanning codes (see sip-scan). */
export function parseNameAddrAt(text: string, codes: Codes, from: number, to: number): NameAddr {
  const start = trimStartAt(text, codes, from, to);
  const end = trimEndAt(text, codes, start, to);
  let displayName: string | undefined;
  let pos = start;
  if (start < end && codes[start] === 0x22) {
    displayName = readQuotedAt(text, codes, start, end);
    pos = skipWsAt(codes, quotedEnd, end);
    if (pos >= end || codes[pos] !== 0x3c) throw new SipValueError('bad_name_addr', `expected '<' after display name in "${text.slice(start, end)}"`);
  } else {
    const lt = indexAt(codes, 0x3c, start, end);
    if (lt === -1) {
      // addr-spec form: parameters after the URI belong to the header, not the URI (RFC 3261 §20.10)
      const semi = indexAt(codes, 0x3b, start, end);
      const uriEnd = trimEndAt(text, codes, start, semi === -1 ? end : semi);
      const params = semi === -1 ? new SipParams() : parseHeaderParamsAt(text, codes, semi, end, start);
      return new NameAddr(parseUriAt(text, codes, start, uriEnd), undefined, params);
    }
    const displayEnd = trimEndAt(text, codes, start, lt);
    if (displayEnd > start) displayName = text.slice(start, displayEnd);
    pos = lt;
  }
  const gt = indexAt(codes, 0x3e, pos, end);
  if (gt === -1) throw new SipValueError('unterminated_angle', `unterminated '<' in "${text.slice(start, end)}"`);
  const uriStart = trimStartAt(text, codes, pos + 1, gt);
  const uri = parseUriAt(text, codes, uriStart, trimEndAt(text, codes, uriStart, gt));
  return new NameAddr(uri, displayName, parseHeaderParamsAt(text, codes, gt + 1, end, start));
}

export function serializeNameAddr(value: NameAddr): string {
  const display = value.displayName !== undefined ? quote(value.displayName) + ' ' : '';
  return `${display}<${serializeUri(value.uri)}>${value.params.toString()}`;
}
