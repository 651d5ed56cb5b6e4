import type { CallCommandName, CallCommandResultCode } from '@legwork/contracts';

/** An originate_req body without its envelope, as the contract in @legwork/contracts defines it. */
export type OriginateRequestBody = Record<string, unknown>;

/**
 * How long originate() waits: `published` (the broker took it: a media node consumes originate
 * requests), `started` (a node began ringing: originate_started), `answered` (a leg answered:
 * originate_resp, or the call failed: originate_error).
 */
export type AwaitMode = 'published' | 'started' | 'answered';

export interface IdempotencyOptions {
  /** The dialect (e.g. `kazoo`, `voipnow`): keys never collide across dialects. */
  dialect: string;
  accountId: string;
  key: string;
  ttlMs: number;
  /**
   * What makes two requests "the same": the same key with another fingerprint is an `idempotency_conflict`.
   * Default: requestFingerprint(request), the request without its envelope and Outbound-Call-IDs.
   */
  fingerprint?: string;
}

export interface OriginateOptions {
  await: AwaitMode;
  /** Idempotent origination: the same key and the same request answer the first outcome (replayed). */
  idempotency?: IdempotencyOptions;
}

export interface OriginateInitiated {
  kind: 'initiated';
  /** The request as published, with its envelope (Msg-ID, Server-ID, ...). */
  request: Record<string, unknown>;
  /** Every leg's Outbound-Call-ID, in the order of the request's Endpoints. */
  callIds: string[];
  /** The Call-ID of the leg that started or answered, when the await mode saw one. */
  callId?: string;
  /** originate_started or originate_resp, as received, when the await mode waited for one. */
  reply?: Record<string, unknown>;
}

export interface OriginateFailed {
  kind: 'failed';
  request: Record<string, unknown>;
  /** Kazoo's Error-Message words: MEDIA_SERVER_UNAVAILABLE, DESTINATION_OUT_OF_ORDER, NO_ANSWER, ... */
  cause: string;
  reply?: Record<string, unknown>;
}

export interface OriginateTimeout {
  kind: 'timeout';
  request: Record<string, unknown>;
}

export type OriginateOutcome = (OriginateInitiated | OriginateFailed | OriginateTimeout) & {
  /** True when this is the remembered outcome of an earlier request with the same idempotency key. */
  replayed: boolean;
};

export interface CallCommandOptions {
  /** Headers of the command besides Application-Name and Call-ID (Hangup-Cause, Transfer-To, ...). */
  args?: Record<string, unknown>;
  timeoutMs?: number;
}

export interface CommandOutcome {
  result: CallCommandResultCode;
  message?: string;
  callState?: string;
  data?: Record<string, unknown>;
  /** The media node that owns the call, when call-state knows it. */
  nodeId?: string;
}

/** A live leg as call-state holds it, dialect-neutral; dialects map it to their own shape. */
export interface CallView {
  callId: string;
  accountId: string;
  nodeId?: string;
  leg?: 'a' | 'b';
  peerCallId?: string;
  /** The leg's state (call-state's LegState: new, ringing, answered, bridged, ..., ended). */
  state?: string;
  answered?: boolean;
  from?: string;
  to?: string;
  callerIdName?: string;
  callerIdNumber?: string;
  calleeIdName?: string;
  calleeIdNumber?: string;
  recording?: string;
  hold?: string;
  hangupCause?: string;
  /** The device the leg was placed for, and its owner. */
  endpointId?: string;
  ownerId?: string;
  customApplicationVars?: Record<string, unknown>;
  /** Epoch milliseconds. */
  createdAt?: number;
  ringingAt?: number;
  answeredAt?: number;
  bridgedAt?: number;
  endedAt?: number;
  [field: string]: unknown;
}

/** With ownerId and/or endpointIds, a leg is listed when it belongs to that owner or was placed for one of those devices. */
export interface LiveCallFilter {
  /** Only legs of this owner (user id), for callers that see only their own calls. */
  ownerId?: string;
  endpointIds?: string[];
}

/** What every dialect uses to originate and control calls; it never touches SIP itself. */
export interface OriginationClient {
  originate(request: OriginateRequestBody, opts: OriginateOptions): Promise<OriginateOutcome>;
  command(callId: string, name: CallCommandName, opts?: CallCommandOptions): Promise<CommandOutcome>;
  liveCalls(accountId: string, filter?: LiveCallFilter): Promise<CallView[]>;
  call(callId: string): Promise<CallView | undefined>;
}
