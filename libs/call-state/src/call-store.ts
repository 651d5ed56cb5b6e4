import type { Logger } from '@legwork/common';
import type { RedisNode } from '@legwork/redis';
import type { CallPatch, CallRecord, EndResult, NewCall } from './call-record';
import type { LegEvent } from './call-state.machine';
import type { Clock } from './clock';
import type { EventLog, EventLogBounds } from './event-log';
import type { Contact, ContactRef, LastPush, PushBinding } from './registration';

/** Live legs: one hash per call plus per-account and per-node live indexes. */
export interface CallRepository {
  /** Throws `call_exists` when the id is taken. */
  create(input: NewCall): Promise<CallRecord>;
  get(callId: string): Promise<CallRecord | null>;
  /** Like get, but throws `call_not_found`. */
  require(callId: string): Promise<CallRecord>;
  /** Throws `call_not_found`, or `call_ended` once the leg is over. */
  update(callId: string, patch: CallPatch): Promise<CallRecord>;
  /** Applies the leg state machine with compare-and-set; `hangup` ends the call with NORMAL_CLEARING. */
  transition(callId: string, event: LegEvent): Promise<CallRecord>;
  /** Moves to ended, drops the live indexes and keeps the record for late readers; idempotent. */
  end(callId: string, hangupCause: string): Promise<EndResult>;
  listByAccount(accountId: string): Promise<CallRecord[]>;
  listByNode(nodeId: string): Promise<CallRecord[]>;
  countByAccount(accountId: string): Promise<number>;
  countByNode(nodeId: string): Promise<number>;
}

export interface NodeInfo {
  nodeId: string;
  info: Record<string, string>;
}

/** Heartbeat info key: `'true'` when the media node can anchor RTP (rtpengine configured), so Media: process works there. */
export const MEDIA_PROCESS_INFO = 'media_process';

/** Media nodes announce themselves with a TTL'd heartbeat; a sweeper handles the ones that stop. */
export interface NodeRegistry {
  heartbeat(nodeId: string, ttlMs: number, info?: Record<string, string>): Promise<void>;
  isLive(nodeId: string): Promise<boolean>;
  liveNodes(): Promise<NodeInfo[]>;
  /** Nodes still in the registry whose heartbeat has lapsed. */
  expiredNodes(): Promise<string[]>;
  /** True for exactly one sweeper (re-claims by the same sweeper stay true); false while the node is live. */
  claimSweep(nodeId: string, sweeperId: string, ttlMs?: number): Promise<boolean>;
  /** Removes a node from the registry (graceful shutdown or finished sweep). */
  forget(nodeId: string): Promise<void>;
}

/** SIP registrar bindings: AOR (`user@realm`) → contacts. */
export interface RegistrationRepository {
  /** Adds or refreshes one binding; an expiry in the past removes it. */
  upsert(aor: string, contact: Contact): Promise<void>;
  /**
   * Adds or refreshes these bindings as one step, then removes the oldest other bindings (by registeredAt) while the
   * AOR holds more than maxContacts; returns the removed ones. `invalid_input` when contacts alone exceed maxContacts.
   */
  bind(aor: string, contacts: Contact[], maxContacts: number): Promise<Contact[]>;
  /** Removes the binding with this instance id (+reg-id) or, failing that, this URI. */
  remove(aor: string, ref: ContactRef): Promise<boolean>;
  removeAll(aor: string): Promise<number>;
  /** Unexpired contacts, soonest expiry last; expired ones are pruned on the way. */
  list(aor: string): Promise<Contact[]>;
  findByPushPrid(prid: string): Promise<PushBinding[]>;
  /** The push parameters of the AOR's last binding that had some, kept LAST_PUSH_TTL_MS after its REGISTER; removeAll forgets them. */
  lastPush(aor: string): Promise<LastPush | null>;
}

/** Digest nonce-counts (RFC 7616 §3.3): a nonce's count may only grow, across every node, for the nonce's whole lifetime. */
export interface NonceRepository {
  /** True (and remembered for ttlMs) when nc is higher than every count accepted before for this nonce; atomic. */
  accept(nonce: string, nc: number, ttlMs: number): Promise<boolean>;
}

/** What an IMRN reservation connects an inbound call to. */
export interface ImrnBinding {
  accountId: string;
  /** The user that reserved it (the caller's leg belongs to it). */
  userId?: string;
  /** Where the inbound call is connected (an E.164 number or an extension). */
  phoneNumber: string;
  /** The caller id it is presented with. */
  callingPhoneNumber: string;
}

/** IMRN reservations: a routing number of an account's pool held for one inbound call, for a short time. */
export interface ImrnRepository {
  /** Reserves the first free number of `pool` for ttlMs (a free number is never held twice); null when every one is held. */
  allocate(pool: readonly string[], binding: ImrnBinding, ttlMs: number): Promise<string | null>;
  /** Takes the reservation of `imrn`, freeing the number; null when none stands (never made, used, or expired). */
  claim(imrn: string): Promise<ImrnBinding | null>;
}

export interface Holder {
  callId: string;
  nodeId: string;
}

/** One account's channel cap along a chain: the call's own account, then each ancestor that caps its subtree. */
export interface ChannelCap {
  accountId: string;
  limit: number;
}

/** One account's request bucket along a chain, the addressed account first. */
export interface BucketCap {
  accountId: string;
  burst: number;
  refillPerSecond: number;
}

/** Granted everywhere, or refused by the first account of the chain that was full. */
export type ChainVerdict = { granted: true } | { granted: false; accountId: string };

/**
 * Per-account limits. Channel holders remember their node: when an account is full, holders on
 * nodes that registered and then stopped heartbeating are dropped before refusing; nodes that
 * never registered are never presumed dead.
 */
export interface LimitRepository {
  /** Granted or not; idempotent for the same call id. `limit` 0 refuses everything. */
  acquire(accountId: string, callId: string, nodeId: string, limit: number): Promise<boolean>;
  /** True only for the release that actually freed the channel. */
  release(accountId: string, callId: string): Promise<boolean>;
  inUse(accountId: string): Promise<number>;
  holders(accountId: string): Promise<Holder[]>;
  /** Drops every holder on this node; returns how many. */
  reap(nodeId: string): Promise<number>;
  /** Sliding one-second window of call attempts; true when this attempt fits. */
  rate(accountId: string, limitPerSecond: number): Promise<boolean>;
  /** Token bucket of `burst` tokens refilled at `refillPerSecond`; true when a token was taken. */
  bucket(accountId: string, burst: number, refillPerSecond: number): Promise<boolean>;
  /**
   * One channel under every account of the chain, or under none. Accounts live in different slots, so
   * these are ordered single-slot acquires, the ones taken released in reverse when one refuses. A
   * node dying between two steps leaves holders under its id, which its lapsed heartbeat frees like
   * any other (a full account drops dead nodes' holders, `reap(node)` drops them all).
   */
  acquireAlong(chain: ChannelCap[], callId: string, nodeId: string): Promise<ChainVerdict>;
  /** Releases the call's channel under each account; true when the first account held it. */
  releaseAlong(accountIds: string[], callId: string): Promise<boolean>;
  /**
   * A token from each bucket in order, stopping at the first empty one: a request refused by an
   * ancestor has spent its own account's token (a refused burst costs the sub-account, not the parent).
   */
  bucketAlong(chain: BucketCap[]): Promise<ChainVerdict>;
}

export type IdempotencyState = { status: 'in_progress' } | { status: 'done'; answer: unknown };
export type IdempotencyClaim = { status: 'claimed' } | IdempotencyState;

export interface IdempotencyRepository {
  /** First caller within the TTL gets `claimed`; later ones see `in_progress` or the stored answer. */
  claim(scope: string, key: string, ttlMs: number): Promise<IdempotencyClaim>;
  /** Stores the answer for the rest of the TTL; false when the claim is gone. */
  complete(scope: string, key: string, answer: unknown): Promise<boolean>;
  /** Drops an unfinished claim so a retry may run (the work failed). */
  abandon(scope: string, key: string): Promise<void>;
  get(scope: string, key: string): Promise<IdempotencyState | null>;
  /** Runs `compute` once per key; throws `idempotency_in_progress` for a concurrent duplicate. */
  remember<T>(scope: string, key: string, ttlMs: number, compute: () => Promise<T>): Promise<{ answer: T; replayed: boolean }>;
}

export interface CallStore {
  readonly calls: CallRepository;
  readonly nodes: NodeRegistry;
  readonly registrations: RegistrationRepository;
  readonly limits: LimitRepository;
  readonly idempotency: IdempotencyRepository;
  readonly nonces: NonceRepository;
  /** Call events: per-call sequence numbers and per-account logs a reconnecting client resumes from. */
  readonly events: EventLog;
  readonly imrns: ImrnRepository;
  /** Throws `store_unavailable` when the backend cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface CallStoreOptions {
  /** `redis://…`; with neither this nor `clusterNodes` the in-process driver is selected. */
  url?: string;
  /** Seed nodes of a Redis Cluster (REDIS_CLUSTER_NODES); exclusive with `url`. */
  clusterNodes?: readonly RedisNode[];
  /** Prepended to every key; default `lw:`. */
  prefix?: string;
  logger?: Logger;
  /** How long an ended call stays readable; default one hour. */
  endedTtlMs?: number;
  /** How much of each account's event log is kept; default 10 000 entries and 15 minutes. */
  eventLog?: EventLogBounds;
  /** Source of time for stored timestamps, expiries and rate windows. */
  clock?: Clock;
  /** One Redis only (a Cluster never does): many calls' commands of one event-loop turn share a write. Default true. */
  autoPipelining?: boolean;
  /** One Redis only: keep every script within one slot, as a Cluster needs (the Cluster layout spec). Default false. */
  singleSlotScripts?: boolean;
}
