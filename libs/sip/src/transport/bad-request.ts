import { randomBytes } from 'node:crypto';
import type { SipParseError } from '../message/sip-parse-error';

// Salvaged values come from hostile input: keep them on one line.
function clean(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\x00-\x08\x0a-\x1f\x7f]/g, '');
}

function reasonFor(error: SipParseError): { status: number; reason: string } {
  if (error.reason === 'message_too_large') return { status: 513, reason: 'Message Too Large' };
  // RFC 3261 §21.5.7, RFC 4475 §3.1.2.16
  if (error.reason === 'bad_version') return { status: 505, reason: 'Version Not Supported' };
  return { status: 400, reason: `Bad Request (${error.reason.replace(/_/g, ' ')})` };
}

/**
 * A stateless 400 (513 when too large, 505 for another SIP version) for a request that failed to parse, built from the
 * salvaged Via/From/To/Call-ID/CSeq; undefined when it was a response, an ACK, or too little was readable.
 */
export function buildBadRequestReply(error: SipParseError): Buffer | undefined {
  const p = error.partial;
  if (p === undefined || p.method === undefined || p.method.toUpperCase() === 'ACK') return undefined;
  if (p.vias.length === 0 || p.from === undefined || p.to === undefined || p.callId === undefined || p.cseq === undefined) return undefined;
  const { status, reason } = reasonFor(error);
  const to = clean(p.to);
  const lines = [`SIP/2.0 ${status} ${reason}`];
  for (const via of p.vias) lines.push(`Via: ${clean(via)}`);
  lines.push(`From: ${clean(p.from)}`);
  lines.push(`To: ${/;\s*tag\s*=/i.test(to) ? to : `${to};tag=${randomBytes(8).toString('hex')}`}`);
  lines.push(`Call-ID: ${clean(p.callId)}`, `CSeq: ${clean(p.cseq)}`, 'Content-Length: 0');
  return Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'utf8');
}
