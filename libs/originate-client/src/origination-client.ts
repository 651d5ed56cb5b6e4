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
}

/** A live leg as call-state holds it, dialect-neutral; dialects map it to their own shape. */
export interface CallView {
  callId: string;
  accountId: string;
  [field: string]: unknown;
}

export interface LiveCallFilter {
  /** Only legs of this owner (user id), for callers that see only their own calls. */
  ownerId?: string;
}

/** What every dialect uses to originate and control calls; it never touches SIP itself. */
export interface OriginationClient {
  originate(request: OriginateRequestBody, opts: OriginateOptions): Promise<OriginateOutcome>;
  command(callId: string, name: CallCommandName, opts?: CallCommandOptions): Promise<CommandOutcome>;
  liveCalls(accountId: string, filter?: LiveCallFilter): Promise<CallView[]>;
  call(callId: string): Promise<CallView | undefined>;
}
