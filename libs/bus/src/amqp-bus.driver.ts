import { randomBytes } from 'node:crypto';
import type { Channel, ChannelModel, ConsumeMessage, Options } from 'amqplib';
import type { ZodType } from 'zod';
import { EXCHANGES, isKazooExchange } from '@legwork/contracts';
import type {
  Bus, CollectOptions, ConsumeOptions, Consumer, DeleteQueueOptions, DeliveryContext, ExchangeType, MessageHandler, PublishOptions, QueueBinding, QueueOptions, RequestOptions,
} from './bus.driver';
import type { BusConfig } from './bus.config';
import { BusError, errorMessage, isBusError } from './bus.error';
import { DEAD_LETTER_EXCHANGE, DEAD_LETTER_QUEUE, Namer, STANDARD_EXCHANGES, uniqueQueueName } from './bus.topology';
import { deadLetterHeaders, handlerProcessor } from './delivery.processor';
import { orderedProcessor } from './ordered.processor';
import { encodeBody } from './message.codec';
import { assertShortString, bindingKey, resolveQueueSpec, type QueueSpec } from './queue.options';
import { RequestReply } from './request-reply';
import { AmqpConnectionManager } from './amqp-connection.manager';
import { AmqpConsumer, type AmqpConsumerDeps } from './amqp.consumer';
import { AmqpPublisher } from './amqp.publisher';
import { assertQueueKeepingType, exchangeOptions } from './amqp.topology';
import { ensureKazooExchanges } from './amqp.kazoo-exchanges';

const REPLY_PREFETCH = 1000;
const RETRY_NOT_SENT_MS = 50;
/** A consumer whose channel the broker closed while the connection stays up is attached again this often until it is. */
const REATTACH_MS = 1000;

/** The RabbitMQ bus: confirm publishes, request/reply, and topology that survives reconnects. */
export class AmqpBus implements Bus {
  readonly serverId: string;
  /** Unique per instance so an operator (or a test) can close exactly this connection. */
  readonly connectionName: string;
  private readonly namer: Namer;
  private readonly conn: AmqpConnectionManager;
  private readonly publisher: AmqpPublisher;
  private readonly replies: RequestReply;
  private readonly replyConsumer: AmqpConsumer;
  private readonly exchanges = new Map<string, ExchangeType>(STANDARD_EXCHANGES.map((e) => [e.name, e.type]));
  private readonly queues = new Map<string, QueueSpec>();
  /** Shared by every app, hence quorum (or the classic queue an earlier version left). */
  private deadLetterSpec: QueueSpec = resolveQueueSpec(DEAD_LETTER_QUEUE, { deadLetter: false, type: 'quorum' });
  private readonly bindings = new Map<string, QueueBinding & { queue: string }>();
  private readonly consumers = new Set<AmqpConsumer>();
  private readonly consumerDeps: AmqpConsumerDeps;
  private started = false;
  /** A setup ran before: the next one is a reconnect. */
  private setUpOnce = false;
  private closed = false;

  constructor(private readonly cfg: BusConfig & { urls: readonly string[] }) {
    this.namer = new Namer(cfg.namespace);
    this.serverId = this.namer.real(uniqueQueueName(cfg.appName, cfg.nodeId));
    this.connectionName = `legwork ${cfg.appName}@${cfg.nodeId} ${randomBytes(6).toString('hex')}`;
    this.publisher = new AmqpPublisher(cfg.logger);
    this.replies = new RequestReply(this.serverId, (ex, rk, body, opts) => this.publish(ex, rk, body, opts));
    this.consumerDeps = {
      namer: this.namer,
      logger: cfg.logger,
      deadLetter: (msg, ctx, reason) => this.deadLetter(msg, ctx, reason),
      onCancel: (c) => this.onConsumerCancel(c),
      onChannelLost: (c, model, err) => this.reattachAfterChannelClose(c, model, err),
    };
    this.replyConsumer = new AmqpConsumer(this.namer.logical(this.serverId), REPLY_PREFETCH, this.replies.handle, { ...this.consumerDeps, onCancel: () => undefined });
    this.conn = new AmqpConnectionManager({
      urls: cfg.urls,
      connectionName: this.connectionName,
      logger: cfg.logger,
      setup: (model) => this.setup(model),
      onLost: () => undefined,
      isFatal: (err) => isBusError(err, 'bus_legacy_exchanges'),
    });
  }

  /** host:port of the broker in use (or being tried), one of the configured list. */
  get broker(): string {
    return this.conn.broker;
  }

  async start(): Promise<void> {
    if (this.closed) throw new BusError('bus_closed', 'bus is closed');
    await this.conn.start(this.cfg.startTimeoutMs);
    this.started = true;
    this.cfg.logger.info({ serverId: this.serverId, connection: this.connectionName }, 'amqp bus started');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.replies.closeAll(new BusError('bus_closed', 'bus closed'));
    await Promise.allSettled([...this.consumers].map((c) => c.cancel()));
    await this.replyConsumer.cancel();
    await this.conn.close();
  }

  async ping(): Promise<void> {
    this.assertOpen();
    const model = this.conn.current;
    if (!model) throw new BusError('bus_unavailable', 'not connected to the broker');
    // A channel round trip proves the broker answers, not just that a socket is open.
    await this.withChannel(async () => undefined, Date.now());
  }

  async publish(exchange: string, routingKey: string, body: object, opts: PublishOptions = {}): Promise<void> {
    this.assertOpen();
    assertShortString('routing key', routingKey);
    this.assertKnownExchange(exchange);
    const content = encodeBody(body, opts.json);
    const options: Options.Publish = {
      mandatory: opts.mandatory !== false,
      persistent: opts.persistent !== false,
      contentType: 'application/json',
      appId: this.cfg.appName,
      headers: { ...opts.headers },
    };
    await this.send(this.namer.real(exchange), routingKey, content, options, Date.now() + (opts.timeoutMs ?? this.cfg.publishTimeoutMs));
  }

  async declareExchange(name: string, type: ExchangeType): Promise<void> {
    this.assertOpen();
    assertShortString('exchange name', name);
    await this.withChannel((ch) => ch.assertExchange(this.namer.real(name), type, exchangeOptions(name)));
    this.exchanges.set(name, type);
  }

  async declareQueue(name: string, opts?: QueueOptions): Promise<string> {
    this.assertOpen();
    const spec = resolveQueueSpec(name, opts);
    const logical = name || uniqueQueueName(this.cfg.appName, this.cfg.nodeId);
    for (const b of spec.bindings) this.assertKnownExchange(b.exchange);
    const declared = await this.withModel((model) => assertQueueKeepingType(model, this.namer.real(logical), spec, this.namer, this.cfg.logger));
    this.queues.set(logical, { ...declared, bindings: [] });
    for (const b of spec.bindings) await this.bindQueue(logical, b.exchange, b.routingKey);
    return logical;
  }

  async bindQueue(queue: string, exchange: string, routingKey: string): Promise<void> {
    this.assertOpen();
    assertShortString('routing key', routingKey);
    this.assertKnownExchange(exchange);
    await this.withChannel((ch) => ch.bindQueue(this.namer.real(queue), this.namer.real(exchange), routingKey));
    this.bindings.set(bindingKey(queue, exchange, routingKey), { queue, exchange, routingKey });
  }

  async unbindQueue(queue: string, exchange: string, routingKey: string): Promise<void> {
    this.assertOpen();
    this.bindings.delete(bindingKey(queue, exchange, routingKey));
    await this.withChannel((ch) => ch.unbindQueue(this.namer.real(queue), this.namer.real(exchange), routingKey));
  }

  async deleteQueue(name: string, opts: DeleteQueueOptions = {}): Promise<void> {
    this.assertOpen();
    assertShortString('queue name', name);
    this.forgetQueue(name);
    await Promise.allSettled([...this.consumers].filter((c) => c.queue === name).map((c) => c.cancel()));
    // Disconnected: nothing to delete it on now, and having forgotten it the reconnect will not re-create it.
    if (!this.conn.current) return;
    const args = { ifUnused: opts.ifUnused === true, ifEmpty: opts.ifEmpty === true };
    await this.withChannel((ch) => ch.deleteQueue(this.namer.real(name), args));
  }

  async queueDepth(name: string): Promise<number> {
    this.assertOpen();
    assertShortString('queue name', name);
    return (await this.withChannel((ch) => ch.checkQueue(this.namer.real(name)))).messageCount;
  }

  async queueConsumers(name: string): Promise<number> {
    this.assertOpen();
    assertShortString('queue name', name);
    return (await this.withChannel((ch) => ch.checkQueue(this.namer.real(name)))).consumerCount;
  }

  /** How many queues this bus re-declares after a reconnect (for leak checks). */
  declaredQueueCount(): number {
    return this.queues.size;
  }

  async consume<T>(queue: string, schema: ZodType<T>, handler: MessageHandler<T>, opts: ConsumeOptions<T> = {}): Promise<Consumer> {
    this.assertOpen();
    if (!this.started) throw new BusError('bus_unavailable', 'bus not started');
    const processor = opts.orderKey ? { ordered: orderedProcessor(schema, handler, opts.orderKey) } : handlerProcessor(schema, handler);
    const consumer = new AmqpConsumer(queue, opts.prefetch ?? this.cfg.prefetch, processor, this.consumerDeps);
    const model = this.conn.current;
    if (model) {
      try {
        await consumer.attach(model);
      } catch (err) {
        throw new BusError('bus_topology', `cannot consume from ${queue}: ${errorMessage(err)}`, { queue });
      }
    }
    // While reconnecting it is only registered: setup attaches it once the broker is back.
    this.consumers.add(consumer);
    return consumer;
  }

  request<T>(exchange: string, routingKey: string, body: object, opts: RequestOptions<T>): Promise<T> {
    return this.replies.request(exchange, routingKey, body, opts);
  }

  collect<T>(exchange: string, routingKey: string, body: object, opts: CollectOptions<T>): Promise<T[]> {
    return this.replies.collect(exchange, routingKey, body, opts);
  }

  private forgetQueue(name: string): void {
    this.queues.delete(name);
    for (const [key, b] of this.bindings) if (b.queue === name) this.bindings.delete(key);
  }

  /** RabbitMQ drops an auto-delete queue with its last consumer; remembering it would resurrect it after a reconnect. */
  private onConsumerCancel(consumer: AmqpConsumer): void {
    this.consumers.delete(consumer);
    const spec = this.queues.get(consumer.queue);
    if (spec?.autoDelete && ![...this.consumers].some((c) => c.queue === consumer.queue)) this.forgetQueue(consumer.queue);
  }

  /**
   * A channel-level error (a 404 or 406 on the consumer's channel, a broker-side channel crash) closes only that
   * channel: without this the consumer would stay detached until the connection itself went. Retried on the same
   * connection; once it is gone the reconnect's setup attaches every consumer anyway.
   */
  private reattachAfterChannelClose(consumer: AmqpConsumer, model: ChannelModel, err: unknown): void {
    const wanted = (): boolean => !this.closed && (consumer === this.replyConsumer || this.consumers.has(consumer)) && this.conn.current === model;
    const retry = (): void => {
      if (!wanted()) return;
      consumer.attach(model).then(
        () => this.cfg.logger.info({ queue: consumer.queue }, 'consumer re-attached after its channel closed'),
        () => setTimeout(retry, REATTACH_MS).unref(),
      );
    };
    // Deferred: when the whole connection goes its channels close first, and the reconnect handles those.
    setTimeout(() => {
      if (!wanted()) return;
      this.cfg.logger.warn({ queue: consumer.queue, err: errorMessage(err ?? 'channel closed'), retryMs: REATTACH_MS }, 'consumer channel closed by the broker; re-attaching');
      retry();
    }, REATTACH_MS).unref();
  }

  /** Everything this bus relies on, declared on every (re)connect before publishes resume. */
  private async setup(model: ChannelModel): Promise<void> {
    const open = async (): Promise<Channel> => {
      const ch = await model.createChannel();
      ch.on('error', (err: Error) => this.cfg.logger.error({ err: errorMessage(err) }, 'topology channel error'));
      return ch;
    };
    let ch = await open();
    // Caller-declared topology the broker now refuses is logged, not fatal: one bad queue must not keep the bus down.
    const tolerate = async (what: string, fn: (c: Channel) => Promise<unknown>): Promise<void> => {
      try {
        await fn(ch);
      } catch (err) {
        this.cfg.logger.error({ what, err: errorMessage(err) }, 'could not re-declare after reconnect');
        ch = await open();
      }
    };
    try {
      // Kazoo's exchanges first, each on a channel of its own, so an old durable one is found and handled
      await ensureKazooExchanges(model, this.namer, { mode: this.cfg.exchangeMigration, known: [...this.bindings.values()], logger: this.cfg.logger });
      for (const [name, type] of this.exchanges) if (!isKazooExchange(name)) await ch.assertExchange(this.namer.real(name), type, exchangeOptions(name));
      const dlq = this.namer.real(DEAD_LETTER_QUEUE);
      this.deadLetterSpec = await assertQueueKeepingType(model, dlq, this.deadLetterSpec, this.namer, this.cfg.logger);
      await ch.bindQueue(dlq, this.namer.real(DEAD_LETTER_EXCHANGE), '');
      await ch.assertQueue(this.serverId, { durable: false, exclusive: true, autoDelete: true });
      await ch.bindQueue(this.serverId, this.namer.real(EXCHANGES.targeted.name), this.serverId);
      for (const [name, spec] of this.queues) {
        await tolerate(`queue ${name}`, async () => this.queues.set(name, await assertQueueKeepingType(model, this.namer.real(name), spec, this.namer, this.cfg.logger)));
      }
      for (const b of this.bindings.values()) {
        await tolerate(`binding ${b.queue}`, (c) => c.bindQueue(this.namer.real(b.queue), this.namer.real(b.exchange), b.routingKey));
      }
    } finally {
      await ch.close().catch(() => undefined);
    }
    await this.publisher.attach(model, this.setUpOnce);
    await this.replyConsumer.attach(model);
    for (const c of this.consumers) await tolerate(`consumer ${c.queue}`, () => c.attach(model));
    this.setUpOnce = true;
  }

  private async send(exchange: string, routingKey: string, content: Buffer, options: Options.Publish, deadline: number): Promise<void> {
    for (;;) {
      const model = await this.conn.waitReady(deadline);
      if ((await this.publisher.send(model, exchange, routingKey, content, options, deadline)) === 'confirmed') return;
      // Nothing was written: wait for the channel or connection to come back, within the same deadline.
      await new Promise((r) => setTimeout(r, RETRY_NOT_SENT_MS));
    }
  }

  private async deadLetter(msg: ConsumeMessage, ctx: DeliveryContext, reason: string): Promise<boolean> {
    this.cfg.logger.warn({ queue: ctx.queue, exchange: ctx.exchange, routingKey: ctx.routingKey, reason }, 'message dead-lettered');
    if (ctx.queue === DEAD_LETTER_QUEUE) return false;
    const options: Options.Publish = {
      mandatory: false,
      persistent: true,
      contentType: msg.properties.contentType ?? 'application/json',
      headers: deadLetterHeaders(ctx, reason),
    };
    try {
      await this.send(this.namer.real(DEAD_LETTER_EXCHANGE), ctx.routingKey, msg.content, options, Date.now() + this.cfg.publishTimeoutMs);
      return true;
    } catch (err) {
      this.cfg.logger.error({ queue: ctx.queue, err: errorMessage(err) }, 'dead-letter publish failed');
      return false;
    }
  }

  /** Runs topology work that opens channels of its own (a refused declare closes its channel). */
  private async withModel<R>(fn: (model: ChannelModel) => Promise<R>, deadline = Date.now() + this.cfg.publishTimeoutMs): Promise<R> {
    const model = await this.conn.waitReady(deadline);
    try {
      return await fn(model);
    } catch (err) {
      if (err instanceof BusError) throw err;
      throw new BusError('bus_topology', `broker refused: ${errorMessage(err)}`);
    }
  }

  /** Runs one topology operation on a short-lived channel, so a refused operation never poisons a shared one. */
  private async withChannel<R>(fn: (ch: Channel) => Promise<R>, deadline = Date.now() + this.cfg.publishTimeoutMs): Promise<R> {
    const model = await this.conn.waitReady(deadline);
    let ch: Channel | undefined;
    try {
      ch = await model.createChannel();
      ch.on('error', () => undefined);
      return await fn(ch);
    } catch (err) {
      if (err instanceof BusError) throw err;
      throw new BusError('bus_topology', `broker refused: ${errorMessage(err)}`);
    } finally {
      if (ch) await ch.close().catch(() => undefined);
    }
  }

  private assertKnownExchange(exchange: string): void {
    if (!this.exchanges.has(exchange)) throw new BusError('bus_unknown_exchange', `no exchange ${exchange}; declare it first`, { exchange });
  }

  private assertOpen(): void {
    if (this.closed) throw new BusError('bus_closed', 'bus is closed');
  }
}
