import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import type { Logger } from '@legwork/common';
import type { Consumer, DeliveryContext } from './bus.driver';
import { errorMessage } from './bus.error';
import type { Namer } from './bus.topology';
import type { DeliveryProcessor } from './delivery.processor';
import { AckBatcher } from './amqp-ack.batcher';
import type { LiveProcessor } from './ordered.processor';

export interface AmqpConsumerDeps {
  namer: Namer;
  logger: Logger;
  /** Republishes to the dead-letter exchange; resolves false when it could not. */
  deadLetter(msg: ConsumeMessage, ctx: DeliveryContext, reason: string): Promise<boolean>;
  onCancel(consumer: AmqpConsumer): void;
  /** Its channel closed while it was attached and not cancelled (a channel error, or the connection going). */
  onChannelLost(consumer: AmqpConsumer, model: ChannelModel, err: unknown): void;
}

/**
 * One consumer on its own channel (own prefetch, isolated errors), re-attached after every reconnect.
 * Given a LiveProcessor (ordered consumption) each channel gets its own processor, live while it is current.
 */
export class AmqpConsumer implements Consumer {
  private channel: Channel | undefined;
  private tag: string | undefined;
  private cancelled = false;
  private readonly inflight = new Set<Promise<void>>();
  private readonly processors = new WeakMap<Channel, DeliveryProcessor>();
  private readonly acks = new WeakMap<Channel, AckBatcher>();

  constructor(
    readonly queue: string,
    private readonly prefetch: number,
    private readonly processor: DeliveryProcessor | { ordered: LiveProcessor },
    private readonly deps: AmqpConsumerDeps,
  ) {}

  async attach(model: ChannelModel): Promise<void> {
    if (this.cancelled) return;
    const ch = await model.createChannel();
    this.acks.set(ch, new AckBatcher(ch));
    let lastError: unknown;
    ch.on('error', (err: Error) => {
      lastError = err;
      this.deps.logger.warn({ queue: this.queue, err: errorMessage(err) }, 'consumer channel error');
    });
    if (typeof this.processor !== 'function') {
      const channel = { open: true };
      ch.on('close', () => (channel.open = false));
      this.processors.set(ch, this.processor.ordered(() => !this.cancelled && channel.open));
    }
    try {
      await ch.prefetch(this.prefetch);
      const ok = await ch.consume(this.deps.namer.real(this.queue), (msg) => this.onMessage(ch, msg), { noAck: false });
      this.channel = ch;
      this.tag = ok.consumerTag;
    } catch (err) {
      await ch.close().catch(() => undefined);
      throw err;
    }
    ch.on('close', () => {
      if (this.cancelled || this.channel !== ch) return;
      this.channel = undefined;
      this.tag = undefined;
      this.deps.onChannelLost(this, model, lastError);
    });
  }

  async cancel(): Promise<void> {
    if (this.cancelled) return;
    this.cancelled = true;
    this.deps.onCancel(this);
    const ch = this.channel;
    // Ordered: no basic.cancel, which would let the next consumer start while ours still run; the messages
    // not started are left unacked and closing the channel requeues them, in order, as the next one takes over.
    if (ch && this.tag && typeof this.processor === 'function') await ch.cancel(this.tag).catch(() => undefined);
    await Promise.allSettled([...this.inflight]);
    // The acks of the last deliveries go before the close, which would requeue them.
    if (ch) this.acks.get(ch)?.flush();
    if (ch) await ch.close().catch(() => undefined);
    this.channel = undefined;
  }

  private onMessage(ch: Channel, msg: ConsumeMessage | null): void {
    if (!msg) {
      // The broker cancelled us (queue deleted); the next reconnect re-declares and re-attaches.
      this.deps.logger.warn({ queue: this.queue }, 'consumer cancelled by the broker');
      return;
    }
    this.acks.get(ch)?.received(msg);
    const p = this.handle(ch, msg).finally(() => this.inflight.delete(p));
    this.inflight.add(p);
  }

  private async handle(ch: Channel, msg: ConsumeMessage): Promise<void> {
    const ctx: DeliveryContext = {
      exchange: this.deps.namer.logical(msg.fields.exchange),
      routingKey: msg.fields.routingKey,
      queue: this.queue,
      headers: { ...(msg.properties.headers ?? {}) },
      redelivered: msg.fields.redelivered,
    };
    const processor = typeof this.processor === 'function' ? this.processor : this.processors.get(ch);
    if (!processor) return;
    const outcome = await processor(msg.content, ctx);
    if (outcome.kind === 'leave') return;
    const acks = this.acks.get(ch);
    if (outcome.kind === 'dead-letter' && !(await this.deps.deadLetter(msg, ctx, outcome.reason))) {
      // Could not republish with the reason: let the queue's own DLX (if any) take it, never requeue forever.
      safely(() => ch.nack(msg, false, false));
      return acks?.settledElsewhere(msg);
    }
    if (acks) acks.ack(msg);
    else safely(() => ch.ack(msg));
  }
}

/** Acks on a channel lost to a reconnect throw; the broker redelivers those, so ignore. */
function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    /* channel already closed */
  }
}
