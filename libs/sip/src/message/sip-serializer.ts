import { canonicalName, compactName } from './header-names';
import { AnySipMessage } from './sip-message';
import { SipUnsafeValueError, checkHeader, checkLine, isTokenText } from './sip-unsafe-value';

export interface SipSerializeOptions {
  /** keep: names as parsed or built; full: expand compact forms; compact: shortest form where one exists. */
  headerNames?: 'keep' | 'full' | 'compact';
}

// a Request-URI ends at the first space; controls would end the line
// eslint-disable-next-line no-control-regex
const ENDS_URI = /[\x00-\x20\x7f]/;
const VERSION = /^SIP\/[0-9]\.[0-9]$/i;

/** The last check before bytes exist: whatever built or edited the message, nothing leaves its line. */
function startLine(message: AnySipMessage): string {
  if (!VERSION.test(message.version)) throw new SipUnsafeValueError('SIP-Version', 'bad_token', 'not a SIP version');
  if (message.kind === 'request') {
    if (!isTokenText(message.method)) throw new SipUnsafeValueError('method', 'bad_method', 'a method must be a token');
    if (message.uri.length === 0 || ENDS_URI.test(message.uri)) throw new SipUnsafeValueError('Request-URI', 'bad_uri', 'empty, or a space or control character in the Request-URI');
    return `${message.method} ${message.uri} ${message.version}`;
  }
  if (!Number.isInteger(message.status) || message.status < 100 || message.status > 699) throw new SipUnsafeValueError('status-code', 'bad_number', 'a status code is 100 to 699');
  checkLine('reason-phrase', message.reason);
  return `${message.version} ${message.status} ${message.reason}`;
}

/**
 * Message → wire bytes; Content-Length always states the body's byte length, whatever the header said.
 * Throws SipUnsafeValueError (synchronously, nothing written) for a start line or header that would break its line.
 */
export function serializeMessage(message: AnySipMessage, options: SipSerializeOptions = {}): Buffer {
  const style = options.headerNames ?? 'keep';
  const rename = style === 'full' ? canonicalName : style === 'compact' ? compactName : undefined;
  let out = startLine(message) + '\r\n';
  let wroteLength = false;
  const length = String(message.body.length);
  for (const header of message.headers.list) {
    const name = rename ? rename(header.name) : header.name;
    checkHeader(name, header.value);
    if (header.key === 'content-length') {
      if (wroteLength) continue;
      wroteLength = true;
      out += `${name}: ${length}\r\n`;
    } else {
      out += `${name}: ${header.value}\r\n`;
    }
  }
  if (!wroteLength) out += `${style === 'compact' ? 'l' : 'Content-Length'}: ${length}\r\n`;
  out += '\r\n';
  const head = Buffer.from(out, 'utf8');
  return message.body.length === 0 ? head : Buffer.concat([head, message.body]);
}
