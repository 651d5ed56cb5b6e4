import { answerDigestChallenge } from '../auth/digest-client';
import { SipRequest, type SipResponse } from '../message/sip-message';

/** What a UAC answers a 401/407 Digest challenge with. */
export interface UacCredentials {
  username: string;
  password: string;
  /** Answer only challenges for this realm; any realm when absent. */
  realm?: string;
}

const CHALLENGES: Record<number, { challenge: string; answer: string }> = {
  401: { challenge: 'WWW-Authenticate', answer: 'Authorization' },
  407: { challenge: 'Proxy-Authenticate', answer: 'Proxy-Authorization' },
};

/** True when the response asks for credentials (401/407). */
export function isChallenge(response: SipResponse): boolean {
  return CHALLENGES[response.status] !== undefined;
}

/**
 * §22.2/§22.3: the request to resend after a 401/407: same Call-ID, From tag and body, CSeq + 1, credentials added;
 * the Via is left off so the transaction layer gives it a new branch. undefined when no challenge can be answered.
 */
export function authenticatedRetry(request: SipRequest, response: SipResponse, credentials: UacCredentials): SipRequest | undefined {
  const names = CHALLENGES[response.status];
  const seq = request.cseq?.seq;
  if (names === undefined || seq === undefined) return undefined;
  const parsed = response.getAuth(names.challenge);
  if (!parsed.ok) return undefined;
  // the server lists challenges in order of preference (RFC 8760 §2.4): answer the first one we can
  const answer = parsed.value
    .filter((c) => credentials.realm === undefined || c.get('realm') === credentials.realm)
    .map((challenge) => answerDigestChallenge({ challenge, method: request.method, uri: request.uri, username: credentials.username, password: credentials.password }))
    .find((value) => value !== undefined);
  if (answer === undefined) return undefined;
  const headers = request.headers.clone();
  headers.remove('Via');
  headers.set('CSeq', `${seq + 1} ${request.method}`);
  headers.append(names.answer, answer);
  return new SipRequest(request.method, request.uri, headers, request.body);
}
