import type { Logger } from '@legwork/common';
import type { RedisNode } from '@legwork/redis';

/** One call detail record: a leg's CHANNEL_DESTROY, normalized, kept per account. */
export interface Cdr {
  /** The leg's Call-ID. */
  id: string;
  accountId: string;
  /** When the leg was created, epoch milliseconds (the listing order and the range filter). */
  createdAt: number;
  doc: Record<string, unknown>;
}

export interface CdrQuery {
  /** Inclusive bounds on createdAt, epoch milliseconds. */
  createdFrom?: number;
  createdTo?: number;
  /** 1..1000. */
  pageSize: number;
  /** Opaque key from a previous page's nextStartKey. */
  startKey?: string;
}

export interface CdrPage {
  /** Newest first. */
  items: Cdr[];
  /** Set when more records follow; pass it back as startKey. */
  nextStartKey?: string;
}

export interface CdrStore {
  /** false when a record with this id is already kept (a redelivered event), which is left untouched. */
  put(cdr: Cdr): Promise<boolean>;
  get(accountId: string, cdrId: string): Promise<Cdr | null>;
  list(accountId: string, query: CdrQuery): Promise<CdrPage>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface CdrStoreOptions {
  /** `redis://…`; with neither this nor `clusterNodes` the in-process driver is selected. */
  url?: string;
  /** Seed nodes of a Redis Cluster (REDIS_CLUSTER_NODES); exclusive with `url`. */
  clusterNodes?: readonly RedisNode[];
  /** Prepended to every key; default `lw:`. */
  prefix?: string;
  /** How long a record is kept after it is written. */
  retentionMs: number;
  logger?: Logger;
  /** Epoch milliseconds; injectable so retention is testable without waiting (in-process driver). */
  now?: () => number;
}
