import type { Leg } from '../legs/leg';

/** What a party answered to our re-INVITE: its SDP, or why it did not take the offer. */
export type ReofferOutcome = { ok: true; answer: string } | { ok: false; status: number | 'no dialog'; reason: string };

/**
 * Our re-INVITE of a leg's party with `sdp`, for the commands that move media (transfers, recording anchors): a 2xx
 * with a body is its answer and the offer becomes the leg's local session; anything else is a refusal.
 */
export async function reofferLeg(leg: Leg, sdp: string): Promise<ReofferOutcome> {
  const dialog = leg.dialog;
  if (dialog === undefined) return { ok: false, status: 'no dialog', reason: 'no dialog' };
  const reply = await dialog.reinvite({ body: sdp });
  if (reply.status >= 300 || reply.body.length === 0) return { ok: false, status: reply.status, reason: reply.reason };
  void leg.negotiated('local', sdp);
  return { ok: true, answer: reply.bodyText };
}
