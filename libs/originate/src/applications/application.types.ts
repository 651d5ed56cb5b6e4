import type { OriginateRequest } from '@legwork/contracts';
import type { Dialog } from '@legwork/sip';
import type { Call } from '../call/call';
import type { SessionHost } from '../engine/originate.outcome';
import type { ResolvedEndpoint } from '../engine/originate.types';
import type { SessionChannels } from '../engine/session-channels';
import type { Leg } from '../legs/leg';
import type { LegContext, Scalar } from '../legs/leg.types';
import type { MediaSession } from '../media/media.types';
import type { OutboundPolicy } from '../policy/outbound-policy';

/** The part of the A-leg's endpoint its B-legs use. */
export type CallerEndpoint = Pick<ResolvedEndpoint, 'callerId'>;

/** The answered A-leg and what an application needs from it. */
export interface AnsweredA {
  leg: Leg;
  dialog: Dialog;
  /** What a B-leg is shown of the A-leg's device: its caller id. */
  endpoint: CallerEndpoint;
  media: MediaSession;
}

/** What an application sees of the originate request that runs it. */
export interface SessionView {
  readonly req: OriginateRequest;
  readonly accountId: string;
  readonly host: SessionHost;
  readonly call: Call;
  readonly channels: SessionChannels;
  readonly legContext: LegContext;
  /** The outbound rules the request is held to, known before anything rings. */
  readonly policy: OutboundPolicy | undefined;
  /** Max-Call-Duration capped by the node's maximum, when either is set. */
  readonly maxDurationSeconds: number | undefined;
  /** Channel vars a B-leg carries: the exported ones and the account. */
  exportedCcv(): Record<string, Scalar>;
}

/** What `Application-Name` does once an A-leg answers; one object per request (it may keep what prepare found). */
export interface CallApplication {
  readonly name: string;
  /** Before anything rings: refuse (throw a Refusal) what cannot work, resolve what the answer will need; `ringing`: the A-legs about to ring. */
  prepare(s: SessionView, ringing: ResolvedEndpoint[]): Promise<void>;
  /** Endpoints the application dials itself, held to the outbound rules before anything rings. */
  dialled(): ResolvedEndpoint[];
  /** The other leg the success reply names, when known before the application runs. */
  otherLegCallId(): string | undefined;
  /** The A-leg answered: runs on the call; the call keeps the returned work (it may still add legs). */
  start(s: SessionView, a: AnsweredA): Promise<void>;
}
