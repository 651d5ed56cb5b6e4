import type { SipRequest } from '../message/sip-message';

export const KNOWN_METHODS: ReadonlySet<string> = new Set(['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'REGISTER', 'INFO', 'UPDATE', 'REFER', 'NOTIFY', 'SUBSCRIBE', 'MESSAGE', 'PRACK', 'PUBLISH']);

export const ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, REFER, NOTIFY, MESSAGE';

export interface Rejection {
  status: number;
  reason?: string;
}

/**
 * Checks a request that parsed (so it has Via, From, To, Call-ID, CSeq) for what the core needs:
 * a usable Request-URI, a Contact on INVITE, a From tag, Max-Forwards not exhausted.
 */
export function validateRequest(request: SipRequest): Rejection | undefined {
  if (!request.getRequestUri().ok) return { status: 400, reason: 'Bad Request-URI' };
  if (request.cseq === undefined || request.from === undefined || request.to === undefined) return { status: 400, reason: 'Bad Header' };
  if (request.maxForwards === 0 && request.method !== 'OPTIONS') return { status: 483 };
  if (request.method === 'INVITE') {
    const contacts = request.getContacts();
    if (!contacts.ok || contacts.value === '*' || contacts.value.length === 0) return { status: 400, reason: 'Missing Contact' };
  }
  return undefined;
}
