import { canonicalName, compactName } from './header-names';
import { AnySipMessage } from './sip-message';

export interface SipSerializeOptions {
  /** keep: names as parsed or built; full: expand compact forms; compact: shortest form where one exists. */
  headerNames?: 'keep' | 'full' | 'compact';
}

function startLine(message: AnySipMessage): string {
  if (message.kind === 'request') return `${message.method} ${message.uri} ${message.version}`;
  return `${message.version} ${message.status} ${message.reason}`;
}

/** Message → wire bytes; Content-Length always states the body's byte length, whatever the header said. */
export function serializeMessage(message: AnySipMessage, options: SipSerializeOptions = {}): Buffer {
  const style = options.headerNames ?? 'keep';
  const rename = style === 'full' ? canonicalName : style === 'compact' ? compactName : undefined;
  let out = startLine(message) + '\r\n';
  let wroteLength = false;
  const length = String(message.body.length);
  for (const header of message.headers.list) {
    const name = rename ? rename(header.name) : header.name;
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
