import type { Logger } from '@legwork/common';
import type { ZodType } from 'zod';

export interface BusOptions {
  /**
   * amqp(s):// URL, or several nodes of one cluster (a list, or comma-separated) tried in order: the bus uses the first
   * that answers and moves to the next when its connection is lost. Undefined selects the in-process driver (embedded mode).
   */
  url?: string | readonly string[];
  appName: string;
  nodeId: string;
  logger?: Logger;
  /** Prefix for every exchange and queue name (`<namespace>.<name>`); empty in production. */
  namespace?: string;
  /** How long a publish waits for the broker (reconnection and confirm) before rejecting. Default 10 000. */
  publishTimeoutMs?: number;
  /** Default consumer prefetch. Default 50. */
  prefetch?: number;
  /** How long start() keeps retrying the first connection. Default 30 000. */
  startTimeoutMs?: number;
  /**
   * Exchanges an earlier Legwork declared durable (Kazoo declares them non-durable): `auto` (default)
   * replaces them when nothing depends on them, `manual` refuses to start and names the migration command.
   */
  exchangeMigration?: 'auto' | 'manual';
}

export type ExchangeType = 'topic' | 'direct' | 'fanout';

export type HeaderValue = string | number | boolean;

export interface PublishOptions {
  /** Reject with `bus_unroutable` when no queue is bound. Default true. */
  mandatory?: boolean;
  /** Survive a broker restart. Default true. */
  persistent?: boolean;
  headers?: Record<string, HeaderValue>;
  /** Overrides the bus's publishTimeoutMs for this publish. */
  timeoutMs?: number;
  /** `body` as JSON text the caller already made (JSON.stringify of it), so it is not serialized a second time. */
  json?: string;
}

export interface QueueBinding {
  exchange: string;
  routingKey: string;
}

export interface DeadLetterTarget {
  exchange: string;
  /** Replaces the message's routing key when set (RabbitMQ x-dead-letter-routing-key). */
  routingKey?: string;
}

export interface QueueOptions {
  /** Default: true unless exclusive. */
  durable?: boolean;
  exclusive?: boolean;
  autoDelete?: boolean;
  bindings?: QueueBinding[];
  /** true (default): the bus dead-letter exchange; false: none; or a custom target (delay queues). */
  deadLetter?: boolean | DeadLetterTarget;
  /** Per-message time to live in the queue; expired messages go to the dead-letter target. */
  ttlMs?: number;
  /** Oldest messages are dead-lettered beyond this many. */
  maxLength?: number;
  /** The queue itself is deleted after being unused (no consumer, not re-declared) this long (RabbitMQ x-expires). */
  expiresMs?: number;
  /**
   * One consumer at a time receives the queue's messages; the next registered one takes over when it goes
   * (RabbitMQ x-single-active-consumer, which cannot be changed on an existing queue).
   */
  singleActiveConsumer?: boolean;
  /**
   * `quorum`: a replicated RabbitMQ quorum queue, for shared work queues (durable, not exclusive, not auto-delete).
   * Default `classic`. A queue an earlier version declared classic stays classic (its type cannot change in place).
   */
  type?: QueueType;
}

export type QueueType = 'classic' | 'quorum';

export interface DeleteQueueOptions {
  /** Refuse (bus_topology) while any connection consumes it. */
  ifUnused?: boolean;
  /** Refuse (bus_topology) while it holds messages. */
  ifEmpty?: boolean;
}

export interface DeliveryContext {
  /** Logical (un-namespaced) exchange the message was published to. */
  exchange: string;
  routingKey: string;
  /** Logical queue name the message was consumed from. */
  queue: string;
  headers: Record<string, unknown>;
  redelivered: boolean;
}

export type MessageHandler<T> = (msg: T, ctx: DeliveryContext) => Promise<void>;

export interface ConsumeOptions<T = unknown> {
  prefetch?: number;
  /**
   * Messages with the same key are handled one at a time, in delivery order; other keys run in parallel.
   * cancel() then finishes the handlers already running and hands every message not yet started back to
   * the queue in its order, so on a single-active-consumer queue the next consumer resumes exactly there.
   */
  orderKey?: (msg: T) => string;
}

export interface Consumer {
  readonly queue: string;
  /** Stops deliveries and waits for handlers in flight. */
  cancel(): Promise<void>;
}

export interface RequestOptions<T> {
  timeoutMs: number;
  /** Replies failing it are dead-lettered and ignored. */
  schema?: ZodType<T>;
  /** Resolve on the first reply that passes; others are ignored (e.g. wait past originate_uuid). */
  accept?: (reply: T) => boolean;
  publish?: PublishOptions;
}

export interface CollectOptions<T> {
  timeoutMs: number;
  schema?: ZodType<T>;
  /** Resolve as soon as it holds; without it collect gathers replies for the whole timeout. */
  until?: (replies: T[]) => boolean;
  publish?: PublishOptions;
}

export interface Bus {
  /** This instance's exclusive reply queue name (Kazoo Server-ID). */
  readonly serverId: string;
  start(): Promise<void>;
  close(): Promise<void>;
  ping(): Promise<void>;
  publish(exchange: string, routingKey: string, body: object, opts?: PublishOptions): Promise<void>;
  /** Extra exchanges (beyond the standard ones) that this bus then keeps declared. */
  declareExchange(name: string, type: ExchangeType): Promise<void>;
  /** Returns the logical queue name (a generated one when `name` is empty). */
  declareQueue(name: string, opts?: QueueOptions): Promise<string>;
  bindQueue(queue: string, exchange: string, routingKey: string): Promise<void>;
  unbindQueue(queue: string, exchange: string, routingKey: string): Promise<void>;
  /**
   * Cancels this bus's consumers of the queue, deletes it on the broker when connected, and always
   * forgets it (and its bindings) so a reconnect never re-declares it. Deleting a missing queue succeeds.
   */
  deleteQueue(name: string, opts?: DeleteQueueOptions): Promise<void>;
  /** Messages ready in a queue (not yet delivered to a consumer), e.g. a backlog for a dashboard; bus_topology when it does not exist. */
  queueDepth(name: string): Promise<number>;
  /** Consumers attached to a queue (active or waiting); bus_topology when it does not exist. */
  queueConsumers(name: string): Promise<number>;
  consume<T>(queue: string, schema: ZodType<T>, handler: MessageHandler<T>, opts?: ConsumeOptions<T>): Promise<Consumer>;
  request<T>(exchange: string, routingKey: string, body: object, opts: RequestOptions<T>): Promise<T>;
  collect<T>(exchange: string, routingKey: string, body: object, opts: CollectOptions<T>): Promise<T[]>;
}
