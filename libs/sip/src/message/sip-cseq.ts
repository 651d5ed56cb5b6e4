import { SipValueError } from './sip-parse-error';
import { Codes, InternTable, codesOf, decimalAt, internAt, internTable, isTokenRange, trimEndAt, trimStartAt } from './sip-scan';

export interface SipCSeq {
  seq: number;
  method: string;
}

const MAX_CSEQ = 2 ** 31 - 1;

/** The methods of RFC 3261 and its extensions, shared rather than sliced from every message. */
export const METHODS: InternTable = internTable(['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'REGISTER', 'PRACK', 'SUBSCRIBE', 'NOTIFY', 'PUBLISH', 'INFO', 'REFER', 'MESSAGE', 'UPDATE']);

export function parseCSeq(text: string): SipCSeq {
  return parseCSeqAt(text, codesOf(text), 0, text.length);
}

/** The same over text[start, end), scanning codes (see sip-scan). */
export function parseCSeqAt(text: string, codes: Codes, start: number, end: number): SipCSeq {
  const s = trimStartAt(text, codes, start, end);
  const e = trimEndAt(text, codes, s, end);
  let i = s;
  while (i < e && codes[i] >= 0x30 && codes[i] <= 0x39) i++;
  if (i === s || i - s > 10) throw new SipValueError('bad_cseq', `bad CSeq number: "${text.slice(start, end)}"`);
  const seq = decimalAt(codes, s, i);
  const methodStart = trimStartAt(text, codes, i, e);
  if (seq > MAX_CSEQ || !isTokenRange(codes, methodStart, e) || i === e || codes[i] > 0x20) {
    throw new SipValueError('bad_cseq', `bad CSeq: "${text.slice(start, end)}"`);
  }
  return { seq, method: internAt(text, codes, methodStart, e, METHODS) };
}

export function serializeCSeq(cseq: SipCSeq): string {
  return `${cseq.seq} ${cseq.method}`;
}
