import { SipParseReason } from './sip-parse-error';
import { isToken } from './sip-text';

export type StartLine =
  | { kind: 'request'; method: string; uri: string; version: string }
  | { kind: 'response'; status: number; reason: string; version: string }
  /** method is set when a request line was readable but for its version (answered with 505). */
  | { kind: 'error'; reason: SipParseReason; message: string; method?: string };

function isSipVersion(text: string): boolean {
  return text.length === 7 && text.toUpperCase() === 'SIP/2.0';
}

function looksLikeVersion(text: string): boolean {
  return text.length >= 4 && text.slice(0, 4).toUpperCase() === 'SIP/';
}

function badLine(line: string): StartLine {
  return { kind: 'error', reason: 'bad_start_line', message: `bad start line: "${line.slice(0, 200)}"` };
}

/** Request-Line or Status-Line (RFC 3261 §7.1, §7.2); the version string is matched case-insensitively. */
export function parseStartLine(line: string): StartLine {
  const sp = line.indexOf(' ');
  if (sp <= 0) return badLine(line);
  const first = line.slice(0, sp);
  if (looksLikeVersion(first)) {
    if (!isSipVersion(first)) return { kind: 'error', reason: 'bad_version', message: `unsupported version "${first}"` };
    const code = line.slice(sp + 1, sp + 4);
    const after = line.charCodeAt(sp + 4);
    if (!/^[1-6]\d\d$/.test(code) || (line.length > sp + 4 && after !== 0x20)) {
      return { kind: 'error', reason: 'bad_status_code', message: `bad status code in "${line.slice(0, 200)}"` };
    }
    return { kind: 'response', status: Number(code), reason: line.slice(sp + 5), version: 'SIP/2.0' };
  }
  const lastSp = line.lastIndexOf(' ');
  if (lastSp === sp) return badLine(line);
  const version = line.slice(lastSp + 1);
  const uri = line.slice(sp + 1, lastSp);
  if (!isToken(first) || uri.length === 0) return badLine(line);
  for (let i = 0; i < uri.length; i++) if (uri.charCodeAt(i) <= 0x20) return badLine(line);
  if (!isSipVersion(version)) {
    if (looksLikeVersion(version)) return { kind: 'error', reason: 'bad_version', message: `unsupported version "${version}"`, method: first };
    return badLine(line);
  }
  return { kind: 'request', method: first, uri, version: 'SIP/2.0' };
}
