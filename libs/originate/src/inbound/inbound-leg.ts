import type { Dialog, IncomingInvite } from '@legwork/sip';
import { Leg } from '../legs/leg';
import type { LegContext, LegInit } from '../legs/leg.types';
import { inboundFailureStatus } from './inbound-status';

/**
 * The caller's leg of an inbound call: the carrier's INVITE, answered by us (UAS). Until it is accepted,
 * ending it means a final error response to that INVITE; afterwards it is a leg like any other (BYE, re-INVITEs).
 */
export class InboundLeg extends Leg {
  constructor(
    ctx: LegContext,
    init: Omit<LegInit, 'direction'>,
    readonly incoming: IncomingInvite,
  ) {
    super(ctx, { ...init, direction: 'inbound' });
  }

  /** The caller's offer (its INVITE's SDP). */
  get offer(): string {
    return this.incoming.request.bodyText;
  }

  /** 180 Ringing to the carrier once a target rings; the leg shows RINGING (CHANNEL_PROGRESS). */
  async sendRinging(): Promise<void> {
    if (this.ended || this.incoming.replied || this.incoming.cancelled) return;
    await this.incoming.progress(180);
    await this.markProgress('ring');
  }

  /** Answers the carrier with `sdp` (the answered target's answer to its offer); resolves once it ACKed. */
  async accept(sdp: string): Promise<Dialog> {
    const dialog = await this.incoming.accept({ body: sdp, contentType: 'application/sdp' });
    await this.established(dialog);
    return dialog;
  }

  /** Not answered yet: the carrier gets the final error for `cause` (a CANCEL already got its 487), and the leg ends. */
  override cancel(cause: string, reason?: string): void {
    const wasCancelled = this.cancelled;
    super.cancel(cause, reason);
    if (wasCancelled) return;
    void this.reject(cause);
  }

  /** Refuses the carrier's INVITE with the status for `cause` and ends the leg with it. */
  async reject(cause: string): Promise<void> {
    const status = inboundFailureStatus(cause);
    if (!this.incoming.replied && !this.incoming.cancelled) await this.incoming.reject(status).catch(() => undefined);
    await this.end({ cause, status }, false);
  }
}
