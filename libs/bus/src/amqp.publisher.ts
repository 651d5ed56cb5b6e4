import { randomUUID } from 'node:crypto';
import type { ChannelModel, ConfirmChannel, Options } from 'amqplib';
import type { Logger } from '@legwork/common';
import { BusError, errorMessage } from './bus.error';

export type SendResult = 'confirmed' | 'not-sent';

/** How long after a reconnect consumers get to re-bind: their own reconnect backoff tops out at 6 s, plus their setup. */
export const ROUTING_SETTLE_MS = 15_000;

/**
 * Publishes on one confirm channel per connection. Each publish carries its own
 * message id so a basic.return (which RabbitMQ sends before the ack) marks it unroutable.
 */
export class AmqpPublisher {
  private channel: Promise<ConfirmChannel> | undefined;
  private model: ChannelModel | undefined;
  private readonly returned = new Set<string>();
  /** Until then a returned message means the consumers may not have re-bound yet, not that there are none. */
  private settleUntil = 0;

  constructor(private readonly logger: Logger) {}

  /** Opens the channel on a fresh connection (part of setup, so failures retry the connection); `reconnected` starts the settle window. */
  async attach(model: ChannelModel, reconnected = false): Promise<void> {
    this.settleUntil = reconnected ? Date.now() + ROUTING_SETTLE_MS : 0;
    this.model = model;
    this.channel = undefined;
    this.returned.clear();
    await this.channelFor(model);
  }

  /** 'not-sent' means nothing reached the socket, so the caller may safely retry. */
  async send(model: ChannelModel, exchange: string, routingKey: string, content: Buffer, options: Options.Publish, deadline: number): Promise<SendResult> {
    let ch: ConfirmChannel;
    try {
      ch = await this.channelFor(model);
    } catch {
      return 'not-sent';
    }
    const messageId = randomUUID();
    return new Promise<SendResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new BusError('bus_unavailable', `no broker confirm within the publish timeout; delivery uncertain`, { exchange, routingKey, uncertain: true }));
      }, Math.max(0, deadline - Date.now()));
      try {
        ch.publish(exchange, routingKey, content, { ...options, messageId }, (err: unknown) => {
          clearTimeout(timer);
          const wasReturned = this.returned.delete(messageId);
          if (err) return reject(confirmError(err, exchange, routingKey));
          if (wasReturned) return reject(this.unroutable(exchange, routingKey));
          resolve('confirmed');
        });
      } catch (err) {
        clearTimeout(timer);
        this.logger.debug({ err: errorMessage(err) }, 'publish channel unavailable; will retry');
        resolve('not-sent');
      }
    });
  }

  /**
   * A restarted broker has lost the bindings of Kazoo's non-durable exchanges until each consumer re-binds; a return
   * in that window is an outage (retry shortly), not "nobody consumes this".
   */
  private unroutable(exchange: string, routingKey: string): BusError {
    if (Date.now() < this.settleUntil) {
      return new BusError('bus_unavailable', `no queue bound to ${exchange} for ${routingKey} yet: the broker connection is new and consumers may still be re-binding`, { exchange, routingKey, unroutable: true });
    }
    return new BusError('bus_unroutable', `no queue bound to ${exchange} for ${routingKey}`, { exchange, routingKey });
  }

  private channelFor(model: ChannelModel): Promise<ConfirmChannel> {
    if (this.channel && this.model === model) return this.channel;
    this.model = model;
    const opening = model.createConfirmChannel().then((ch) => {
      ch.on('error', (err: Error) => this.logger.warn({ err: errorMessage(err) }, 'publish channel error'));
      ch.on('return', (msg: { properties: { messageId?: unknown } }) => {
        if (typeof msg.properties.messageId === 'string') this.returned.add(msg.properties.messageId);
      });
      // A channel-level error (not the connection) closes only the channel: reopen on next use.
      ch.on('close', () => {
        if (this.channel === opening) this.channel = undefined;
      });
      return ch;
    });
    opening.catch(() => {
      if (this.channel === opening) this.channel = undefined;
    });
    this.channel = opening;
    return opening;
  }
}

function confirmError(err: unknown, exchange: string, routingKey: string): BusError {
  const message = errorMessage(err);
  if (message === 'message nacked') return new BusError('bus_nack', 'broker refused the message', { exchange, routingKey });
  return new BusError('bus_unavailable', `connection lost before the broker confirmed; delivery uncertain (${message})`, { exchange, routingKey, uncertain: true });
}
