import type { CallerId, Device } from '@legwork/directory';

export interface ShownCallerId {
  name?: string;
  number?: string;
}

/**
 * A dialect-neutral click-to-call: ring `sources` (devices of one account) and, once one answers,
 * connect it to `destination`. buildOriginateRequest() turns it into one originate_req body; every
 * dialect builds its call this way, never the wire headers itself.
 */
export interface OriginateSpec {
  accountId: string;
  /** Who asked (Authorizing-ID/-Type): the device, user or API client the dialect authenticated. */
  authorizing: { id: string; type: string };
  ownerId?: string;
  /** The phones to ring, at once (simultaneous) or one after another (single). */
  sources: Device[];
  /** Public numbers (or extensions) rung as sources too, routed as the account routes calls (loopback endpoints). */
  sourceNumbers?: string[];
  dialMethod?: 'simultaneous' | 'single';
  /** What the answered source is connected to: a number or extension, routed as Kazoo's transfer, or a group's `groupRoute(id)`. */
  destination: string;
  /** Shown on the ringing sources. */
  callerIdToSource: ShownCallerId;
  /** Shown to the destination; absent → the sources' own caller ids (`callerIds`, most specific first). */
  callerIdToDestination?: ShownCallerId;
  callerIds?: Array<CallerId | undefined>;
  presenceId?: string;
  /** Seconds the sources ring. */
  timeoutS: number;
  media: 'bypass' | 'process';
  /** false: video streams never reach the other leg (Media-Video: false); default true. */
  video?: boolean;
  autoAnswer?: boolean;
  ignoreEarlyMedia?: boolean;
  /** Seconds after answer at which the call is ended (a dialect's call duration limit). */
  maxDurationS?: number;
  /** Suffix of every leg's Outbound-Call-ID (Kazoo: `-quickcall`), so events show where a call came from. */
  callIdSuffix: string;
  /** Scalars (Kazoo's CAVs may be numbers, booleans or null too). */
  customApplicationVars?: Record<string, string | number | boolean | null>;
  /** Extra Custom-Channel-Vars (scalar values), carried on every event of the call. */
  customChannelVars?: Record<string, string | number | boolean>;
  /** The caller id shown to the sources was chosen by the API caller (Retain-CID), not derived. */
  retainCallerId?: boolean;
  /** Originate into this live call instead of starting a new one (Existing-Call-ID). */
  existingCallId?: string;
  /** A SIP header carrying each device's AOR on its INVITE (Kazoo: `X-Kazoo-AOR`), for phones that check it. */
  aorHeader?: string;
}
