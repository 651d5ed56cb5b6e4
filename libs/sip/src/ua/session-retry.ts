import { readMinSE, readSessionExpires } from '../dialog/session-timer';
import { SipRequest, type SipResponse } from '../message/sip-message';

/**
 * RFC 4028 §7.2: the INVITE to resend after `422 Session Interval Too Small`: same Call-ID, From tag and body,
 * CSeq + 1, Session-Expires and Min-SE raised to the Min-SE the 422 named. Undefined when the 422 names none,
 * or nothing above what we asked (a retry would only loop).
 */
export function intervalTooSmallRetry(request: SipRequest, response: SipResponse): SipRequest | undefined {
  const seq = request.cseq?.seq;
  const asked = readSessionExpires(request)?.delta;
  const minSE = readMinSE(response);
  if (response.status !== 422 || seq === undefined || minSE === undefined || (asked !== undefined && minSE <= asked)) return undefined;
  const headers = request.headers.clone();
  headers.remove('Via');
  headers.set('CSeq', `${seq + 1} ${request.method}`);
  headers.set('Session-Expires', String(minSE));
  headers.set('Min-SE', String(minSE));
  return new SipRequest(request.method, request.uri, headers, request.body);
}
