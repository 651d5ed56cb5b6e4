import { SipParams, parseHeaderParams } from './sip-params';
import { SipValueError } from './sip-parse-error';
import { quote, readQuoted, skipWs } from './sip-text';
import { Uri, parseUri, serializeUri } from './sip-uri';

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
  const text = input.trim();
  let displayName: string | undefined;
  let pos = 0;
  if (text.charCodeAt(0) === 0x22) {
    [displayName, pos] = readQuoted(text, 0);
    pos = skipWs(text, pos);
    if (text.charCodeAt(pos) !== 0x3c) throw new SipValueError('bad_name_addr', `expected '<' after display name in "${text}"`);
  } else {
    const lt = text.indexOf('<');
    if (lt === -1) {
      // addr-spec form: parameters after the URI belong to the header, not the URI (RFC 3261 §20.10)
      const semi = text.indexOf(';');
      const uriText = (semi === -1 ? text : text.slice(0, semi)).trim();
      return new NameAddr(parseUri(uriText), undefined, semi === -1 ? new SipParams() : parseHeaderParams(text, semi));
    }
    const display = text.slice(0, lt).trim();
    if (display.length > 0) displayName = display;
    pos = lt;
  }
  const gt = text.indexOf('>', pos);
  if (gt === -1) throw new SipValueError('unterminated_angle', `unterminated '<' in "${text}"`);
  const uri = parseUri(text.slice(pos + 1, gt).trim());
  return new NameAddr(uri, displayName, parseHeaderParams(text, gt + 1));
}

export function serializeNameAddr(value: NameAddr): string {
  const display = value.displayName !== undefined ? quote(value.displayName) + ' ' : '';
  return `${display}<${serializeUri(value.uri)}>${value.params.toString()}`;
}
