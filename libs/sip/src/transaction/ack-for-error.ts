import { SipHeaders } from '../message/sip-headers';
import { SipRequest, SipResponse } from '../message/sip-message';

/** RFC 3261 §17.1.1.3: the ACK for a 3xx-6xx reuses the INVITE's top Via, Request-URI, Call-ID, From and Route, with the response's To. */
export function buildAckForError(invite: SipRequest, response: SipResponse): SipRequest {
  const headers = new SipHeaders();
  const via = invite.headers.get('via');
  if (via !== undefined) headers.append('Via', invite.via?.toString() ?? via);
  headers.append('Max-Forwards', '70');
  for (const route of invite.headers.getAll('route')) headers.append('Route', route);
  headers.append('From', invite.headers.get('from') ?? '');
  headers.append('To', response.headers.get('to') ?? invite.headers.get('to') ?? '');
  headers.append('Call-ID', invite.callId ?? '');
  headers.append('CSeq', `${invite.cseq?.seq ?? 1} ACK`);
  return new SipRequest('ACK', invite.uri, headers);
}
