import { METHODS } from './sip-cseq';
import { SipParseReason } from './sip-parse-error';
import { Codes, codesOf, decimalAt, indexAt, internAt, isTokenRange, matchesLower } from './sip-scan';

export type StartLine =
  | { kind: 'request'; method: string; uri: string; version: string }
  | { kind: 'response'; status: number; reason: string; version: string }
  /** method is set when a request line was readable but for its version (answered with 505). */
  | { kind: 'error'; reason: SipParseReason; message: string; method?: string };

const SIP_2_0 = Buffer.from('sip/2.0');

// ASCII case only: RFC 3261 §7.1 compares the version case-insensitively as ASCII
function isSipVersion(codes: Codes, start: number, end: number): boolean {
  return end - start === 7 && matchesLower(codes, start, SIP_2_0);
}

function looksLikeVersion(codes: Codes, start: number, end: number): boolean {
  return end - start >= 4 && matchesLower(codes, start, SIP_2_0.subarray(0, 4));
}

function badLine(line: string): StartLine {
  return { kind: 'error', reason: 'bad_start_line', message: `bad start line: "${line.slice(0, 200)}"` };
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** Request-Line or Status-Line (RFC 3261 §7.1, §7.2); the version string is matched case-insensitively. */
export function parseStartLine(line: string): StartLine {
  return parseStartLineAt(line, codesOf(line), 0, line.length);
}

/** The same over text[start, end), scanning codes (see sip-scan). */
export function parseStartLineAt(text: string, codes: Codes, start: number, end: number): StartLine {
  const line = () => text.slice(start, end);
  const sp = indexAt(codes, 0x20, start, end);
  if (sp <= start) return badLine(line());
  if (looksLikeVersion(codes, start, sp)) {
    if (!isSipVersion(codes, start, sp)) return { kind: 'error', reason: 'bad_version', message: `unsupported version "${text.slice(start, sp)}"` };
    const codeEnd = sp + 4;
    const statusOk = codeEnd <= end && codes[sp + 1] >= 0x31 && codes[sp + 1] <= 0x36 && isDigit(codes[sp + 2]) && isDigit(codes[sp + 3]);
    if (!statusOk || (end > codeEnd && codes[codeEnd] !== 0x20)) {
      return { kind: 'error', reason: 'bad_status_code', message: `bad status code in "${line().slice(0, 200)}"` };
    }
    return { kind: 'response', status: decimalAt(codes, sp + 1, codeEnd), reason: text.slice(Math.min(codeEnd + 1, end), end), version: 'SIP/2.0' };
  }
  let lastSp = end - 1;
  while (codes[lastSp] !== 0x20) lastSp--;
  if (lastSp === sp) return badLine(line());
  if (!isTokenRange(codes, start, sp) || lastSp === sp + 1) return badLine(line());
  for (let i = sp + 1; i < lastSp; i++) if (codes[i] <= 0x20) return badLine(line());
  const method = internAt(text, codes, start, sp, METHODS);
  if (!isSipVersion(codes, lastSp + 1, end)) {
    if (looksLikeVersion(codes, lastSp + 1, end)) return { kind: 'error', reason: 'bad_version', message: `unsupported version "${text.slice(lastSp + 1, end)}"`, method };
    return badLine(line());
  }
  return { kind: 'request', method, uri: text.slice(sp + 1, lastSp), version: 'SIP/2.0' };
}
