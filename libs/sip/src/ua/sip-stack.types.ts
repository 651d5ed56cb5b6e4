import type { Logger } from '@legwork/common';
import type { ReinviteOptions } from '../dialog/dialog.types';
import type { SessionTimerConfig } from '../dialog/session-timer';
import type { SipTimers } from '../transaction/timers';
import type { InboundSipMessage, SipTarget, SipTransportLayer } from '../transport/transport.types';
import type { IncomingInvite } from './incoming-invite';
import type { IncomingRequest, SipBody } from './incoming-request';
import type { UacCredentials } from './uac-auth';

export interface SipStackOptions {
  transport: SipTransportLayer;
  userAgent?: string;
  timers?: Partial<SipTimers>;
  logger?: Logger;
  /** Option-tags a mounted handler implements, by method (e.g. REGISTER: outbound, path), accepted in Require. */
  extensions?: Record<string, readonly string[]>;
  /**
   * RFC 4028 session timers, in seconds (default Session-Expires 1800, Min-SE 90); false turns them off.
   * Session-Expires is raised to Min-SE when lower. Only tests should go under RFC 4028's 90 s floor.
   */
  sessionTimer?: Partial<SessionTimerConfig> | false;
  /** Sees every inbound message first; true takes it away from the UA core (a relay forwarding it elsewhere). */
  relay?: (inbound: InboundSipMessage) => boolean;
}

export interface OutOfDialogRequestOptions {
  method: string;
  uri: string;
  /** name-addr; a From tag is added when missing. */
  from: string;
  to: string;
  target?: SipTarget;
  callId?: string;
  headers?: Array<[string, string]>;
  body?: SipBody;
  contentType?: string;
  /** Answer one 401/407 Digest challenge with these (CSeq + 1, same Call-ID and From tag); a second challenge is the final response. */
  credentials?: UacCredentials;
}

export interface InviteOptions extends Omit<OutOfDialogRequestOptions, 'method'> {
  /** User part of our Contact; its host, port and transport are always those of the flow the INVITE takes. */
  contactUser?: string;
  /** When the 2xx carries the offer (offerless INVITE): the answer to put in the ACK. */
  answer?: ReinviteOptions['answer'];
}

export type RequestHandler = (incoming: IncomingRequest) => void | Promise<void>;
export type InviteHandler = (incoming: IncomingInvite) => void | Promise<void>;
