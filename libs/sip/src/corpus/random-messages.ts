import { byteLength, wire } from './corpus-wire';
import { intBetween, pick } from './seeded-random';

const METHODS = ['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'REGISTER', 'MESSAGE', 'INFO', 'NOTIFY', 'SUBSCRIBE', 'REFER', 'PRACK', 'UPDATE', 'X-Custom'];
const HOSTS = ['example.com', 'a.b.example.org', '192.0.2.7', '[2001:db8::1]', 'host-1.example.net'];
const TRANSPORTS = ['UDP', 'TCP', 'TLS', 'WS', 'WSS', 'SCTP'];
const NAME_STYLES = [(full: string, _short: string) => full, (_full: string, short: string) => short, (full: string) => full.toUpperCase(), (full: string) => full.toLowerCase()];
const DISPLAY = ['', '"Alice" ', 'Bob Smith ', '"Quote \\"Me\\" ☎" ', '"Comma, Inc." '];
const BODIES = ['', 'hello', 'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n', 'ümlaut ☎ body', 'bin\0ary\r\n\r\nwith blank lines'];

function token(random: () => number, length: number): string {
  const chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.!%*_+~';
  let out = '';
  for (let i = 0; i < length; i++) out += chars[Math.floor(random() * chars.length)];
  return out;
}

function name(random: () => number, full: string, short: string): string {
  return pick(random, NAME_STYLES)(full, short);
}

function uri(random: () => number): string {
  const port = random() < 0.4 ? `:${intBetween(random, 1, 65535)}` : '';
  const params = random() < 0.5 ? `;transport=${pick(random, TRANSPORTS).toLowerCase()}` : '';
  return `${pick(random, ['sip', 'sips'])}:${token(random, intBetween(random, 1, 8))}@${pick(random, HOSTS)}${port}${params}`;
}

/** A random but valid SIP message (request or response) as wire text. */
export function randomValidMessage(random: () => number): string {
  const method = pick(random, METHODS);
  const isRequest = random() < 0.6;
  const start = isRequest ? `${method} ${uri(random)} SIP/2.0` : `SIP/2.0 ${intBetween(random, 100, 699)} ${pick(random, ['OK', 'Ringing', '', 'Not Found', 'Très bien'])}`;
  const vias = Array.from({ length: intBetween(random, 1, 3) }, () => `SIP/2.0/${pick(random, TRANSPORTS)} ${pick(random, HOSTS)}${random() < 0.5 ? ':5060' : ''};branch=z9hG4bK${token(random, 10)}${random() < 0.5 ? ';rport' : ''}`);
  const body = pick(random, BODIES);
  const lines = [start];
  if (random() < 0.5) lines.push(`${name(random, 'Via', 'v')}: ${vias.join(', ')}`);
  else for (const via of vias) lines.push(`${name(random, 'Via', 'v')}: ${via}`);
  lines.push(`${name(random, 'From', 'f')}: ${pick(random, DISPLAY)}<${uri(random)}>;tag=${token(random, 8)}`);
  lines.push(`${name(random, 'To', 't')}: ${pick(random, DISPLAY)}<${uri(random)}>${random() < 0.5 ? `;tag=${token(random, 6)}` : ''}`);
  lines.push(`${name(random, 'Call-ID', 'i')}: ${token(random, 16)}@${pick(random, HOSTS)}`);
  lines.push(`CSeq: ${intBetween(random, 0, 2 ** 31 - 1)} ${method}`);
  if (random() < 0.7) lines.push(`Max-Forwards: ${intBetween(random, 0, 70)}`);
  const extras = intBetween(random, 0, 6);
  for (let i = 0; i < extras; i++) {
    const kind = intBetween(random, 0, 3);
    if (kind === 0) lines.push(`${name(random, 'Contact', 'm')}: <${uri(random)}>;expires=${intBetween(random, 0, 3600)}`);
    else if (kind === 1) lines.push(`${name(random, 'Supported', 'k')}: ${token(random, 5)}, ${token(random, 4)}`);
    else if (kind === 2) lines.push(`X-${token(random, 6)}: ${token(random, intBetween(random, 0, 40))}`);
    else lines.push(`Subject: folded start\r\n\t${token(random, 10)} end`);
  }
  lines.push(`${name(random, 'Content-Length', 'l')}: ${byteLength(body)}`);
  return wire(lines, body);
}
