import { randomUUID } from 'node:crypto';
import type { ZodType } from 'zod';
import type { CollectOptions, PublishOptions, RequestOptions } from './bus.driver';
import { BusError } from './bus.error';
import type { DeliveryProcessor } from './delivery.processor';
import { parseJson, validate } from './message.codec';

type PublishFn = (exchange: string, routingKey: string, body: object, opts?: PublishOptions) => Promise<void>;

interface Settle<R> {
  resolve(value: R): void;
  reject(err: unknown): void;
}

interface Pending {
  schema?: ZodType<unknown>;
  invalid: number;
  offer(reply: unknown): void;
  fail(err: unknown): void;
}

interface Track<T, R> {
  exchange: string;
  routingKey: string;
  body: object;
  timeoutMs: number;
  publish?: PublishOptions;
  schema?: ZodType<T>;
  onReply(reply: T, settle: Settle<R>): void;
  onTimeout(settle: Settle<R>, invalid: number): void;
}

/**
 * Kazoo request/reply over the bus: stamps Server-ID and a fresh Msg-ID, and
 * matches replies on the reply queue to their request by Msg-ID in one Map lookup.
 */
export class RequestReply {
  private readonly pending = new Map<string, Pending>();
  private closedWith: BusError | undefined;

  constructor(
    private readonly serverId: string,
    private readonly publish: PublishFn,
  ) {}

  get inFlight(): number {
    return this.pending.size;
  }

  request<T>(exchange: string, routingKey: string, body: object, opts: RequestOptions<T>): Promise<T> {
    return this.track<T, T>({
      exchange, routingKey, body, timeoutMs: opts.timeoutMs, publish: opts.publish, schema: opts.schema,
      onReply: (reply, settle) => {
        if (!opts.accept || opts.accept(reply)) settle.resolve(reply);
      },
      onTimeout: (settle, invalid) => settle.reject(timeoutError('request', exchange, routingKey, opts.timeoutMs, { invalidReplies: invalid })),
    });
  }

  collect<T>(exchange: string, routingKey: string, body: object, opts: CollectOptions<T>): Promise<T[]> {
    const replies: T[] = [];
    return this.track<T, T[]>({
      exchange, routingKey, body, timeoutMs: opts.timeoutMs, publish: opts.publish, schema: opts.schema,
      onReply: (reply, settle) => {
        replies.push(reply);
        if (opts.until?.(replies)) settle.resolve(replies);
      },
      onTimeout: (settle, invalid) => {
        // Without a predicate the timeout is the collection window, like Kazoo's call_collect.
        if (!opts.until) return settle.resolve(replies);
        settle.reject(timeoutError('collect', exchange, routingKey, opts.timeoutMs, { invalidReplies: invalid, replies: [...replies] }));
      },
    });
  }

  /** Processor for the reply queue: unknown Msg-IDs are acked and dropped. */
  readonly handle: DeliveryProcessor = async (content) => {
    const parsed = parseJson(content);
    if (!parsed.ok) return { kind: 'dead-letter', reason: parsed.reason };
    const msgId = isRecord(parsed.value) ? parsed.value['Msg-ID'] : undefined;
    const pending = typeof msgId === 'string' ? this.pending.get(msgId) : undefined;
    if (!pending) return { kind: 'ack' };
    const checked = pending.schema ? validate(parsed.value, pending.schema) : { ok: true as const, value: parsed.value };
    if (!checked.ok) {
      pending.invalid++;
      return { kind: 'dead-letter', reason: checked.reason };
    }
    try {
      pending.offer(checked.value);
    } catch (err) {
      pending.fail(err);
    }
    return { kind: 'ack' };
  };

  /** Rejects everything in flight; later calls reject at once. */
  closeAll(err: BusError): void {
    this.closedWith = err;
    for (const pending of [...this.pending.values()]) pending.fail(err);
  }

  private track<T, R>(t: Track<T, R>): Promise<R> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    if (!Number.isFinite(t.timeoutMs) || t.timeoutMs <= 0) {
      return Promise.reject(new BusError('bus_invalid_message', `timeoutMs must be a positive number, got ${t.timeoutMs}`));
    }
    const msgId = randomUUID();
    const outgoing = { ...t.body, 'Server-ID': this.serverId, 'Msg-ID': msgId };
    return new Promise<R>((resolve, reject) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.pending.delete(msgId);
      };
      const settle: Settle<R> = {
        resolve: (value) => { finish(); resolve(value); },
        reject: (err) => { finish(); reject(err); },
      };
      const entry: Pending = {
        schema: t.schema,
        invalid: 0,
        offer: (reply) => t.onReply(reply as T, settle),
        fail: settle.reject,
      };
      const timer = setTimeout(() => t.onTimeout(settle, entry.invalid), t.timeoutMs);
      // Registered before publishing: a fast responder can answer before the confirm arrives.
      this.pending.set(msgId, entry);
      this.publish(t.exchange, t.routingKey, outgoing, t.publish).catch(settle.reject);
    });
  }
}

function timeoutError(kind: string, exchange: string, routingKey: string, timeoutMs: number, extra: Record<string, unknown>): BusError {
  return new BusError('bus_timeout', `${kind} to ${exchange}/${routingKey} got no ${kind === 'collect' ? 'sufficient replies' : 'reply'} within ${timeoutMs} ms`, {
    exchange, routingKey, timeoutMs, ...extra,
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
