import type { ZodType } from 'zod';
import { EXCHANGES } from '@legwork/contracts';
import type {
  Bus, CollectOptions, ConsumeOptions, Consumer, DeleteQueueOptions, DeliveryContext, ExchangeType, MessageHandler, PublishOptions, QueueOptions, RequestOptions,
} from './bus.driver';
import type { BusConfig } from './bus.config';
import { BusError } from './bus.error';
import { DEAD_LETTER_EXCHANGE, DEAD_LETTER_QUEUE, Namer, STANDARD_EXCHANGES, uniqueQueueName } from './bus.topology';
import { deadLetterHeaders, handlerProcessor, type DeliveryProcessor } from './delivery.processor';
import { orderedProcessor, type LiveProcessor } from './ordered.processor';
import { InProcessBroker, sharedInProcessBroker, type BrokerMessage } from './in-process.broker';
import { encodeBody } from './message.codec';
import { assertShortString, resolveQueueSpec } from './queue.options';
import { RequestReply } from './request-reply';

const REPLY_PREFETCH = 1000;

/** The bus for embedded single-process mode: same interface and semantics as the AMQP driver. */
export class InProcessBus implements Bus {
  readonly serverId: string;
  private state: 'idle' | 'ready' | 'closed' = 'idle';
  private readonly owner = {};
  private readonly namer: Namer;
  private readonly consumers = new Set<Consumer>();
  private readonly replies: RequestReply;

  constructor(
    private readonly cfg: BusConfig,
    private readonly broker: InProcessBroker = sharedInProcessBroker,
  ) {
    this.namer = new Namer(cfg.namespace);
    this.serverId = this.namer.real(uniqueQueueName(cfg.appName, cfg.nodeId));
    this.replies = new RequestReply(this.serverId, (ex, rk, body, opts) => this.publish(ex, rk, body, opts));
  }

  async start(): Promise<void> {
    if (this.state === 'closed') throw new BusError('bus_closed', 'bus is closed');
    if (this.state === 'ready') return;
    for (const ex of STANDARD_EXCHANGES) this.broker.declareExchange(this.namer.real(ex.name), ex.type);
    const dlq = this.namer.real(DEAD_LETTER_QUEUE);
    this.broker.declareQueue(dlq, { autoDelete: false });
    this.broker.bind(dlq, this.namer.real(DEAD_LETTER_EXCHANGE), '');
    this.broker.declareQueue(this.serverId, { exclusiveOwner: this.owner, autoDelete: true });
    this.broker.bind(this.serverId, this.namer.real(EXCHANGES.targeted.name), this.serverId);
    this.state = 'ready';
    this.attach(this.namer.logical(this.serverId), this.replies.handle, REPLY_PREFETCH);
    this.cfg.logger.info({ serverId: this.serverId }, 'in-process bus started');
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.replies.closeAll(new BusError('bus_closed', 'bus closed'));
    await Promise.all([...this.consumers].map((c) => c.cancel()));
    this.broker.releaseOwner(this.owner);
  }

  async ping(): Promise<void> {
    this.assertReady();
  }

  async publish(exchange: string, routingKey: string, body: object, opts: PublishOptions = {}): Promise<void> {
    this.assertReady();
    assertShortString('routing key', routingKey);
    const content = encodeBody(body, opts.json);
    const routed = this.broker.publish(this.realExchange(exchange), { content, exchange: this.namer.real(exchange), routingKey, headers: { ...opts.headers } });
    if (routed === 0 && opts.mandatory !== false) {
      throw new BusError('bus_unroutable', `no queue bound to ${exchange} for ${routingKey}`, { exchange, routingKey });
    }
  }

  async declareExchange(name: string, type: ExchangeType): Promise<void> {
    this.assertReady();
    assertShortString('exchange name', name);
    this.broker.declareExchange(this.namer.real(name), type);
  }

  async declareQueue(name: string, opts?: QueueOptions): Promise<string> {
    this.assertReady();
    const spec = resolveQueueSpec(name, opts);
    const logical = name || uniqueQueueName(this.cfg.appName, this.cfg.nodeId);
    const dl = spec.deadLetter;
    this.broker.declareQueue(this.namer.real(logical), {
      exclusiveOwner: spec.exclusive ? this.owner : undefined,
      autoDelete: spec.autoDelete,
      deadLetter: dl && { exchange: this.namer.real(dl.exchange), routingKey: dl.routingKey },
      ttlMs: spec.ttlMs,
      maxLength: spec.maxLength,
      expiresMs: spec.expiresMs,
      singleActive: spec.singleActiveConsumer,
    });
    for (const b of spec.bindings) await this.bindQueue(logical, b.exchange, b.routingKey);
    return logical;
  }

  async bindQueue(queue: string, exchange: string, routingKey: string): Promise<void> {
    this.assertReady();
    assertShortString('routing key', routingKey);
    this.broker.bind(this.namer.real(queue), this.realExchange(exchange), routingKey);
  }

  async unbindQueue(queue: string, exchange: string, routingKey: string): Promise<void> {
    this.assertReady();
    this.broker.unbind(this.namer.real(queue), this.namer.real(exchange), routingKey);
  }

  async queueDepth(name: string): Promise<number> {
    const depth = this.broker.depth(this.namer.real(name));
    if (depth === undefined) throw new BusError('bus_topology', `no queue ${name}`);
    return depth;
  }

  async queueConsumers(name: string): Promise<number> {
    const count = this.broker.consumerCount(this.namer.real(name));
    if (count === undefined) throw new BusError('bus_topology', `no queue ${name}`);
    return count;
  }

  async deleteQueue(name: string, opts: DeleteQueueOptions = {}): Promise<void> {
    this.assertReady();
    assertShortString('queue name', name);
    await Promise.all([...this.consumers].filter((c) => c.queue === name).map((c) => c.cancel()));
    this.broker.deleteQueue(this.namer.real(name), { owner: this.owner, ifUnused: opts.ifUnused, ifEmpty: opts.ifEmpty });
  }

  async consume<T>(queue: string, schema: ZodType<T>, handler: MessageHandler<T>, opts: ConsumeOptions<T> = {}): Promise<Consumer> {
    this.assertReady();
    const processor = opts.orderKey ? { ordered: orderedProcessor(schema, handler, opts.orderKey) } : handlerProcessor(schema, handler);
    return this.attach(queue, processor, opts.prefetch ?? this.cfg.prefetch);
  }

  request<T>(exchange: string, routingKey: string, body: object, opts: RequestOptions<T>): Promise<T> {
    return this.replies.request(exchange, routingKey, body, opts);
  }

  collect<T>(exchange: string, routingKey: string, body: object, opts: CollectOptions<T>): Promise<T[]> {
    return this.replies.collect(exchange, routingKey, body, opts);
  }

  private attach(queue: string, given: DeliveryProcessor | { ordered: LiveProcessor }, prefetch: number): Consumer {
    const inflight = new Set<Promise<void>>();
    let cancelled = false;
    let seq = 0;
    // Ordered consumers hand the messages they never started back in delivery order, as a closed channel does.
    const left: Array<{ n: number; msg: BrokerMessage }> = [];
    const processor = typeof given === 'function' ? given : given.ordered(() => !cancelled);
    const deliver = async (msg: BrokerMessage, redelivered: boolean): Promise<void> => {
      const n = seq++;
      const ctx: DeliveryContext = { exchange: this.namer.logical(msg.exchange), routingKey: msg.routingKey, queue, headers: { ...msg.headers }, redelivered };
      const outcome = await processor(msg.content, ctx);
      if (outcome.kind === 'dead-letter') this.deadLetter(msg, ctx, outcome.reason);
      if (outcome.kind === 'leave') left.push({ n, msg });
    };
    const slot = {
      prefetch,
      inflight: 0,
      deliver: (msg: BrokerMessage, redelivered: boolean) => {
        const p = deliver(msg, redelivered).finally(() => inflight.delete(p));
        inflight.add(p);
        return p;
      },
    };
    const real = this.namer.real(queue);
    const stop = this.broker.consume(real, slot);
    const consumer: Consumer = {
      queue,
      cancel: async () => {
        cancelled = true;
        if (typeof given === 'function') stop();
        // Ordered: still registered (so no other consumer starts yet) but taking nothing more.
        else slot.prefetch = 0;
        this.consumers.delete(consumer);
        await Promise.allSettled([...inflight]);
        if (typeof given === 'function') return;
        this.broker.returnToHead(real, left.sort((a, b) => a.n - b.n).map((l) => l.msg));
        stop();
      },
    };
    this.consumers.add(consumer);
    return consumer;
  }

  private deadLetter(msg: BrokerMessage, ctx: DeliveryContext, reason: string): void {
    this.cfg.logger.warn({ queue: ctx.queue, exchange: ctx.exchange, routingKey: ctx.routingKey, reason }, 'message dead-lettered');
    // A message failing on the dead-letter queue itself is dropped rather than looped.
    if (ctx.queue === DEAD_LETTER_QUEUE) return;
    const dlx = this.namer.real(DEAD_LETTER_EXCHANGE);
    this.broker.publish(dlx, { content: msg.content, exchange: dlx, routingKey: msg.routingKey, headers: deadLetterHeaders(ctx, reason) });
  }

  private realExchange(exchange: string): string {
    const real = this.namer.real(exchange);
    if (!this.broker.hasExchange(real)) throw new BusError('bus_unknown_exchange', `no exchange ${exchange}; declare it first`, { exchange });
    return real;
  }

  private assertReady(): void {
    if (this.state === 'closed') throw new BusError('bus_closed', 'bus is closed');
    if (this.state !== 'ready') throw new BusError('bus_unavailable', 'bus not started');
  }
}
