import { performance } from 'node:perf_hooks';
import { EXCHANGES } from '@legwork/contracts';
import type { Bus, Consumer, DeliveryContext } from '@legwork/bus';
import type { Logger } from '@legwork/common';
import { cursorOf, eventAccountId, streamedEventSchema, type StreamedEvent } from './call-event.frame';
import type { EventStreamOptions } from './event-stream.options';
import { OutgoingEvent } from './outgoing-event';

/** What the fan-out hands each event to: a connection that subscribed to the event's account. */
export interface EventSink {
  deliver(event: OutgoingEvent): void;
}

/** Sees each dispatched event: its AMQP headers, how many sockets it went to and when its dispatch began (performance.now()). */
export type FanOutObserver = (headers: Readonly<Record<string, unknown>>, sinks: number, startedAt: number) => void;

interface KeyState {
  refs: number;
  bound: boolean;
  /** Binds and unbinds of one routing key run one after another, so the broker ends as the last one asked. */
  chain: Promise<void>;
}

/**
 * One instance's share of `callevt`: a single exclusive queue bound to the union of what its sockets subscribed,
 * consumed once, each event decoded once and handed to the sockets of its account. The broker routes one copy
 * per instance rather than one per socket, and the frames are encoded once per event (OutgoingEvent).
 */
export class EventFanOut {
  private queue: Promise<string> | undefined;
  private consumer: Consumer | undefined;
  private readonly keys = new Map<string, KeyState>();
  private readonly byAccount = new Map<string, Set<EventSink>>();
  private closed = false;

  constructor(
    private readonly bus: Bus,
    private readonly options: EventStreamOptions,
    private readonly logger: Logger,
    private readonly observer?: FanOutObserver,
  ) {}

  /** Takes a reference on `routingKey`: resolves once the instance's queue is bound to it. */
  async bind(routingKey: string): Promise<void> {
    const state = this.keyState(routingKey);
    state.refs++;
    try {
      await this.reconcile(routingKey, state);
    } catch (err) {
      state.refs--;
      throw err;
    }
  }

  /** Drops a reference on `routingKey`; the queue is unbound from it once nobody holds one. */
  async unbind(routingKey: string): Promise<void> {
    const state = this.keys.get(routingKey);
    if (state === undefined || state.refs === 0) return;
    state.refs--;
    await this.reconcile(routingKey, state);
  }

  /** The accounts whose events `sink` gets from now on (its subscriptions filter them further). */
  watch(sink: EventSink, accounts: ReadonlySet<string>): void {
    for (const [accountId, sinks] of this.byAccount) {
      if (accounts.has(accountId)) continue;
      sinks.delete(sink);
      if (sinks.size === 0) this.byAccount.delete(accountId);
    }
    for (const accountId of accounts) {
      let sinks = this.byAccount.get(accountId);
      if (sinks === undefined) this.byAccount.set(accountId, (sinks = new Set()));
      sinks.add(sink);
    }
  }

  /** Cancels the consumer and deletes the queue (the bus forgets it, so a reconnect never re-declares it). */
  async close(): Promise<void> {
    this.closed = true;
    this.byAccount.clear();
    const queue = await this.queue?.catch(() => undefined);
    if (queue === undefined) return;
    try {
      await this.consumer?.cancel();
      await this.bus.deleteQueue(queue);
    } catch (err) {
      this.logger.warn({ err }, 'event-stream queue release failed');
    }
  }

  private keyState(routingKey: string): KeyState {
    let state = this.keys.get(routingKey);
    if (state === undefined) this.keys.set(routingKey, (state = { refs: 0, bound: false, chain: Promise.resolve() }));
    return state;
  }

  private reconcile(routingKey: string, state: KeyState): Promise<void> {
    const step = state.chain.catch(() => undefined).then(async () => {
      const wanted = state.refs > 0;
      if (wanted === state.bound || this.closed) return;
      const queue = await this.ensureQueue();
      if (wanted) await this.bus.bindQueue(queue, EXCHANGES.callevt.name, routingKey);
      else await this.bus.unbindQueue(queue, EXCHANGES.callevt.name, routingKey);
      state.bound = wanted;
    });
    state.chain = step;
    return step;
  }

  private ensureQueue(): Promise<string> {
    this.queue ??= this.declare().catch((err: unknown) => {
      this.queue = undefined;
      throw err;
    });
    return this.queue;
  }

  private async declare(): Promise<string> {
    const queue = await this.bus.declareQueue('', { exclusive: true, autoDelete: true, deadLetter: false, maxLength: this.options.maxQueueLength });
    this.consumer = await this.bus.consume(queue, streamedEventSchema, this.dispatch, { prefetch: this.options.maxPendingFrames });
    return queue;
  }

  private readonly dispatch = (event: StreamedEvent, ctx: DeliveryContext): Promise<void> => {
    const startedAt = this.observer !== undefined ? performance.now() : 0;
    const accountId = eventAccountId(event);
    const sinks = accountId !== undefined ? this.byAccount.get(accountId) : undefined;
    if (accountId === undefined || sinks === undefined) return Promise.resolve();
    const outgoing = new OutgoingEvent(event, ctx.routingKey, accountId, cursorOf(ctx.headers));
    for (const sink of sinks) {
      try {
        sink.deliver(outgoing);
      } catch (err) {
        // One connection's failure must not keep the event from the others.
        this.logger.error({ err }, 'event-stream delivery failed');
      }
    }
    this.observer?.(ctx.headers, sinks.size, startedAt);
    return Promise.resolve();
  };
}
