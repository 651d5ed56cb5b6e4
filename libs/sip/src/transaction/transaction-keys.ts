import type { AnySipMessage } from '../message/sip-message';

/**
 * RFC 3261 §17.2.3 server key: branch + sent-by + method (ACK matches INVITE).
 * Requests without a branch (RFC 2543 peers) get a key from Call-ID, CSeq and From tag: good enough
 * to absorb retransmissions, not the full §17.2.3 fallback (which is not implemented).
 */
export function serverKey(message: AnySipMessage, method: string): string | undefined {
  const via = message.via;
  if (via === undefined) return undefined;
  const m = method === 'ACK' ? 'INVITE' : method;
  const branch = via.branch ?? `2543:${message.callId ?? ''}:${message.cseq?.seq ?? ''}:${message.fromTag ?? ''}`;
  return `${branch}|${via.host.toLowerCase()}:${via.port ?? ''}|${m}`;
}

/** RFC 3261 §17.1.3 client key: branch of the top Via + CSeq method. */
export function clientKey(branch: string, method: string): string {
  return `${branch}|${method}`;
}
