import type { SipRequest, SipResponse } from '../message/sip-message';
import type { ClientTransactionUser } from '../transaction/transaction.types';
import type { SipTimers } from '../transaction/timers';
import type { SipTarget } from '../transport/transport.types';
import type { SessionTimerConfig } from './session-timer';
import type { IncomingRequest, SipBody } from '../ua/incoming-request';

export type DialogState = 'early' | 'confirmed' | 'terminated';

/** session_expired: no session refresh came in time (RFC 4028 §10), we sent BYE. */
export type DialogTerminationReason = 'bye_sent' | 'bye_received' | 'no_ack' | 'closed' | 'rejected' | 'session_expired';

/** What a dialog needs from the UA core: sending and forgetting, nothing else. */
export interface DialogCore {
  readonly timers: SipTimers;
  readonly userAgent: string | undefined;
  /** Non-INVITE request through a client transaction; resolves with the final response. */
  sendRequest(request: SipRequest, target: SipTarget | undefined): Promise<SipResponse>;
  /** INVITE through a client transaction, with raw response and failure callbacks. */
  sendInvite(request: SipRequest, target: SipTarget | undefined, user: ClientTransactionUser): void;
  /** ACK for a 2xx: sent straight to the transport, no transaction (§13.2.2.4); `branch` for its Via, so a resent ACK is the same one. */
  sendAck(ack: SipRequest, target: SipTarget | undefined, branch?: string): void;
  forget(dialogId: string): void;
  /** Allow header value, without `refused` when answering 405 for it. */
  allow(refused?: string): string;
  /** Supported header value ('' when none). */
  supported(): string;
  /** RFC 4028 settings; undefined when session timers are off. */
  readonly sessionTimer: SessionTimerConfig | undefined;
}

export interface DialogInit {
  callId: string;
  localTag: string;
  remoteTag: string;
  /** From (UAC) or To (UAS) header value without its tag. */
  localUri: string;
  remoteUri: string;
  remoteTarget: string;
  /** Route header values in the order they go on our requests. */
  routeSet: string[];
  localSeq: number;
  remoteSeq: number | undefined;
  localContact: string;
  /** Send in-dialog requests over this exact connection when there is no route set (stream transports). */
  flow: SipTarget | undefined;
  state: DialogState;
  /** The session descriptions in force (ours and theirs), when the exchange that created the dialog settled them. */
  localSdp?: string;
  remoteSdp?: string;
  /** Methods the peer allows (its Allow), upper-cased; empty when it sent none. */
  remoteAllow?: readonly string[];
}

export interface InDialogRequestOptions {
  headers?: Array<[string, string]>;
  body?: SipBody;
  contentType?: string;
}

export interface ReinviteOptions extends InDialogRequestOptions {
  /** Offerless re-INVITE: produces the answer for the ACK from the offer in the 2xx. */
  answer?: (response: SipResponse) => SipBody | undefined | Promise<SipBody | undefined>;
}

export type DialogRequestHandler = (incoming: IncomingRequest) => void | Promise<void>;

/** A handler as an object (no closure and scope per dialog): `receiveRequest` is called with the request. */
export interface DialogRequestReceiver {
  receiveRequest(incoming: IncomingRequest): void | Promise<void>;
}

/** A change to the session the peer offered in a re-INVITE or UPDATE (its SDP is not the one in force). */
export interface SessionOffer {
  readonly method: 'INVITE' | 'UPDATE';
  readonly sdp: string;
}

/** What the peer's offer is answered with: our SDP, or a refusal (488 when it cannot be met, 491 for glare). */
export type SessionAnswer = { kind: 'answer'; sdp: string } | { kind: 'refuse'; status: number; reason?: string };

/**
 * Answers the peer's session changes for a dialog (a B2BUA relays them to the other leg). Session refreshes that
 * change nothing never reach it: the dialog answers those at once with the SDP in force.
 */
export interface SessionChangeHandler {
  /** A changed offer (re-INVITE or UPDATE): resolve with the answer to send, or a refusal. */
  offer(offer: SessionOffer): Promise<SessionAnswer>;
  /** An offerless re-INVITE got our SDP in force as the offer, and the answer in the peer's ACK changed its session. */
  answered?(sdp: string): void;
}
