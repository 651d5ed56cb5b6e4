import { headerKey } from './header-names';
import { SipPartialMessage } from './sip-parse-error';
import { parseStartLine } from './sip-start-line';

/** Best-effort read of the fields a 400 response needs, from a message that failed to parse. Never throws. */
export function salvage(text: string): SipPartialMessage {
  const partial: SipPartialMessage = { vias: [] };
  const lines = text.split(/\r\n|\n/, 300);
  let i = 0;
  while (i < lines.length && lines[i] === '') i++;
  const startLine = lines[i];
  if (startLine === undefined) return partial;
  partial.startLine = startLine.slice(0, 500);
  const parsed = parseStartLine(startLine);
  if (parsed.kind === 'request') {
    partial.method = parsed.method;
    partial.requestUri = parsed.uri;
  } else if (parsed.kind === 'response') {
    partial.statusCode = parsed.status;
  } else if (parsed.method !== undefined) {
    // a request of another SIP version: still answerable (505)
    partial.method = parsed.method;
  }
  for (i++; i < lines.length; i++) {
    const line = lines[i];
    if (line === '') break;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const value = line.slice(colon + 1).trim().slice(0, 1000);
    switch (headerKey(line.slice(0, colon).trim())) {
      case 'via':
        partial.vias.push(value);
        break;
      case 'from':
        partial.from ??= value;
        break;
      case 'to':
        partial.to ??= value;
        break;
      case 'call-id':
        partial.callId ??= value;
        break;
      case 'cseq':
        partial.cseq ??= value;
        break;
      case 'content-length':
        partial.contentLength ??= value;
        break;
    }
  }
  return partial;
}
