import { RtpProbe, receivedRequests, sdpAudio, type RtpDestination } from '@legwork/originate/testing';

// µ-law bytes that decode to sound of opposite signs, so each party is told apart in a recording
export const PHONE_SOUND = 0x10;
export const CARRIER_SOUND = 0x90;

/** 20 ms of PCMU per packet, sent at the pace a phone sends it, so the RTP clock and the wall clock agree. */
export const PACKET_MS = 20;

/**
 * Where a SIP peer must send its RTP: the audio address of the last SDP it was sent (the INVITE's offer, or the
 * answer in the ACK of an offerless INVITE, or a later re-INVITE's), in the call named or else its latest one.
 */
export function mediaTarget(peer: { messages(): string }, callId?: string): RtpDestination | undefined {
  const invites = receivedRequests(peer.messages(), 'INVITE');
  // without a Call-ID: the peer's latest call
  const call = callId ?? invites.at(-1)?.headers['call-id']?.[0];
  const ofCall = [...invites, ...receivedRequests(peer.messages(), 'ACK')].filter((m) => m.headers['call-id']?.[0] === call);
  // the log is in arrival order within each method; the CSeq orders a dialog's INVITEs and ACKs together
  const cseq = (m: (typeof ofCall)[number]): number => Number(/^(\d+)/.exec(m.headers['cseq']?.[0] ?? '')?.[1] ?? 0);
  const ack = (m: (typeof ofCall)[number]): number => (m.startLine.startsWith('ACK ') ? 1 : 0);
  const withSdp = ofCall.filter((m) => /^m=audio /m.test(m.body)).sort((a, b) => cseq(a) - cseq(b) || ack(a) - ack(b));
  const last = withSdp.at(-1);
  return last === undefined ? undefined : sdpAudio(last.body);
}

/** One party of a call talking through rtpengine: `from` sends `packets` to `target`, and `hearer` (the other party) must get them all. */
export async function talk(from: RtpProbe, target: RtpDestination, hearer: RtpProbe, packets: number, fill: number): Promise<void> {
  const before = hearer.from(from.ssrc).length;
  await from.send(target, packets, { fill, intervalMs: PACKET_MS });
  await hearer.waitFor(before + packets, { ssrc: from.ssrc, timeoutMs: 15_000 });
}
