import type { CallRepository, LimitRepository } from '@legwork/call-state';
import type { Logger } from '@legwork/common';
import type { Dialog, SipResponse } from '@legwork/sip';
import type { CallEventNotifier } from '../events/call-event.notifier';
import type { Leg } from './leg';
import type { StoreRetry } from './store-retry';

export type Scalar = string | number | boolean | null;

/** What every leg of this node shares. */
export interface LegContext {
  calls: CallRepository;
  limits: LimitRepository;
  notifier: CallEventNotifier;
  nodeId: string;
  logger: Logger;
  /** Where a leg's end writes wait for the store when it is unreachable (without it they are only logged). */
  storeRetry?: StoreRetry;
}

export interface LegInit {
  callId: string;
  role: 'a' | 'b';
  accountId: string;
  peerCallId?: string;
  from?: string;
  to?: string;
  callerIdName?: string;
  callerIdNumber?: string;
  calleeIdName?: string;
  calleeIdNumber?: string;
  cav?: Record<string, Scalar>;
  ccv?: Record<string, Scalar>;
  /** The channel limit is already held under this call id and must be released when the leg ends. */
  holdsChannel: boolean;
  /** Ancestor accounts that hold the channel too (their limits count their sub-accounts' calls). */
  channelAncestors?: string[];
  /** The device the call was placed for and its owner, kept on the call record (who may see and end it). */
  endpointId?: string;
  ownerId?: string;
  /** The call this leg's events are numbered under (default: its own id); the legs of one call share it. */
  sequenceId?: string;
  /** Call-Direction on the leg's events: `inbound` for a caller's leg (a carrier's INVITE), `outbound` (the default) for legs we dial. */
  direction?: 'inbound' | 'outbound';
}

export type DialResult =
  | { kind: 'answered'; dialog: Dialog; response: SipResponse }
  | { kind: 'failed'; cause: string; status?: number; reason: string };

/** Why a leg ended, for its CHANNEL_DESTROY. */
export interface HangupInfo {
  cause: string;
  status?: number;
}

/** What a leg tells the call that owns it; the call's reaction to each is a table (call/call.reactions.ts). */
export type LegSignal =
  /** The INVITE was answered: the dialog exists. */
  | 'answered'
  /** The far end hung up (BYE), or never ACKed our 2xx. */
  | 'remote_hangup'
  /** RFC 4028: the session was not refreshed in time; the stack sent BYE. */
  | 'session_expired'
  /** The leg is over: record ended, channel given back, CHANNEL_DESTROY out. */
  | 'ended';

/** The owner of a leg (its Call): every signal goes there, guarded by the leg. */
export interface LegSink {
  signal(leg: Leg, signal: LegSignal, info?: HangupInfo): void;
}
