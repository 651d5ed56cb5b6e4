import type { CallRepository, LimitRepository } from '@legwork/call-state';
import type { Logger } from '@legwork/common';
import type { Dialog, SipResponse } from '@legwork/sip';
import type { CallEventNotifier } from '../events/call-event.notifier';

export type Scalar = string | number | boolean | null;

/** What every leg of this node shares. */
export interface LegContext {
  calls: CallRepository;
  limits: LimitRepository;
  notifier: CallEventNotifier;
  nodeId: string;
  logger: Logger;
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
}

export type DialResult =
  | { kind: 'answered'; dialog: Dialog; response: SipResponse }
  | { kind: 'failed'; cause: string; status?: number; reason: string };

/** Why a leg ended, for its CHANNEL_DESTROY. */
export interface HangupInfo {
  cause: string;
  status?: number;
}
