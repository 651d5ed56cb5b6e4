import { SipValueError } from './sip-parse-error';
import { isToken } from './sip-text';

export interface SipCSeq {
  seq: number;
  method: string;
}

const MAX_CSEQ = 2 ** 31 - 1;

export function parseCSeq(text: string): SipCSeq {
  const trimmed = text.trim();
  let i = 0;
  while (i < trimmed.length && trimmed.charCodeAt(i) >= 0x30 && trimmed.charCodeAt(i) <= 0x39) i++;
  if (i === 0 || i > 10) throw new SipValueError('bad_cseq', `bad CSeq number: "${text}"`);
  const seq = Number(trimmed.slice(0, i));
  const method = trimmed.slice(i).trim();
  if (seq > MAX_CSEQ || !isToken(method) || i === trimmed.length || trimmed.charCodeAt(i) > 0x20) {
    throw new SipValueError('bad_cseq', `bad CSeq: "${text}"`);
  }
  return { seq, method };
}

export function serializeCSeq(cseq: SipCSeq): string {
  return `${cseq.seq} ${cseq.method}`;
}
