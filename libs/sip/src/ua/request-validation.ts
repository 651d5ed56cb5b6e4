import type { SipRequest } from '../message/sip-message';
import { readSessionExpires } from '../dialog/session-timer';
import { unsupportedRequired } from './extensions';

export { ALLOW } from './extensions';

export const KNOWN_METHODS: ReadonlySet<string> = new Set(['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'REGISTER', 'INFO', 'UPDATE', 'REFER', 'NOTIFY', 'SUBSCRIBE', 'MESSAGE', 'PRACK', 'PUBLISH']);

export interface Rejection {
  status: number;
  reason?: string;
  headers?: Array<[string, string]>;
}

/** Request-URI schemes the core can act on; any other is 416 (RFC 3261 §8.2.2.1, RFC 4475 §3.3.2). */
const SCHEMES: ReadonlySet<string> = new Set(['sip', 'sips', 'tel']);

/**
 * Checks a request that parsed (so it has Via, From, To, Call-ID, CSeq) for what the core needs:
 * a usable Request-URI of a known scheme, a Contact on INVITE, Max-Forwards not exhausted, every
 * Require option-tag among `supported` (ACK and CANCEL never get 420, §8.2.2.3), and a session interval
 * of at least `minSE` on INVITE/UPDATE when session timers are on.
 */
export function validateRequest(request: SipRequest, supported: ReadonlySet<string>, minSE?: number): Rejection | undefined {
  const uri = request.getRequestUri();
  if (!uri.ok) return { status: 400, reason: 'Bad Request-URI' };
  if (request.cseq === undefined || request.from === undefined || request.to === undefined) return { status: 400, reason: 'Bad Header' };
  if (request.maxForwards === 0 && request.method !== 'OPTIONS') return { status: 483 };
  if (!SCHEMES.has(uri.value.scheme)) return { status: 416 };
  if (request.method === 'INVITE') {
    const contacts = request.getContacts();
    if (!contacts.ok || contacts.value === '*' || contacts.value.length === 0) return { status: 400, reason: 'Missing Contact' };
  }
  if (request.method !== 'ACK' && request.method !== 'CANCEL') {
    const unknown = unsupportedRequired(request, supported);
    if (unknown.length > 0) return { status: 420, headers: [['Unsupported', unknown.join(', ')]] };
  }
  // RFC 4028 §8.1: a session interval below our Min-SE is refused naming the smallest we take
  if (minSE !== undefined && (request.method === 'INVITE' || request.method === 'UPDATE')) {
    const se = readSessionExpires(request);
    if (se !== undefined && se.delta < minSE) return { status: 422, headers: [['Min-SE', String(minSE)]] };
  }
  return undefined;
}
