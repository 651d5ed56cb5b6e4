import type { DeadLetterTarget, ExchangeType } from './bus.driver';
import { BusError } from './bus.error';
import { topicMatches } from './topic.matcher';

export interface BrokerMessage {
  content: Buffer;
  exchange: string;
  routingKey: string;
  headers: Record<string, unknown>;
}

/** Broker-level queue arguments; every name here is a real (namespaced) name. */
export interface BrokerQueueArgs {
  exclusiveOwner?: object;
  autoDelete: boolean;
  deadLetter?: DeadLetterTarget;
  ttlMs?: number;
  maxLength?: number;
  /** Deleted once without consumers (and not re-declared) this long. */
  expiresMs?: number;
  /** Only the first consumer (in registration order) receives messages. */
  singleActive?: boolean;
}

/** RabbitMQ queue.delete preconditions; `owner` is the deleting connection, checked against exclusivity. */
export interface DeleteGuard {
  owner?: object;
  ifUnused?: boolean;
  ifEmpty?: boolean;
}

export interface ConsumerSlot {
  prefetch: number;
  inflight: number;
  deliver(msg: BrokerMessage, redelivered: boolean): Promise<void>;
}

interface Entry {
  msg: BrokerMessage;
  timer?: NodeJS.Timeout;
}

interface QueueState {
  name: string;
  args: BrokerQueueArgs;
  entries: Entry[];
  consumers: ConsumerSlot[];
  next: number;
  scheduled: boolean;
  expiry?: NodeJS.Timeout;
}

interface ExchangeState {
  type: ExchangeType;
  bindings: Map<string, Set<string>>;
}

/**
 * A RabbitMQ-shaped broker inside one process: topic/direct/fanout routing,
 * round-robin competing consumers bounded by prefetch, TTL and max-length
 * dead-lettering. Every in-process bus of the process shares one instance.
 */
export class InProcessBroker {
  private readonly exchanges = new Map<string, ExchangeState>();
  private readonly queues = new Map<string, QueueState>();

  declareExchange(name: string, type: ExchangeType): void {
    const existing = this.exchanges.get(name);
    if (existing && existing.type !== type) {
      throw new BusError('bus_topology', `exchange ${name} exists with type ${existing.type}, not ${type}`);
    }
    if (!existing) this.exchanges.set(name, { type, bindings: new Map() });
  }

  hasExchange(name: string): boolean {
    return this.exchanges.has(name);
  }

  /** Messages waiting in the queue; undefined when there is no such queue. */
  depth(name: string): number | undefined {
    return this.queues.get(name)?.entries.length;
  }

  /** Consumers attached to the queue; undefined when there is no such queue. */
  consumerCount(name: string): number | undefined {
    return this.queues.get(name)?.consumers.length;
  }

  /** Puts messages a consumer took but never handled back at the head of the queue, in the order given. */
  returnToHead(name: string, msgs: BrokerMessage[]): void {
    const q = this.queues.get(name);
    if (!q || msgs.length === 0) return;
    q.entries.unshift(...msgs.map((msg) => ({ msg })));
    this.schedule(q);
  }

  hasQueue(name: string): boolean {
    return this.queues.has(name);
  }

  declareQueue(name: string, args: BrokerQueueArgs): void {
    const existing = this.queues.get(name);
    if (existing) {
      if (existing.args.exclusiveOwner && existing.args.exclusiveOwner !== args.exclusiveOwner) {
        throw new BusError('bus_topology', `queue ${name} is exclusive to another connection`);
      }
      // A re-declare counts as use, as on RabbitMQ.
      this.armExpiry(existing);
      return;
    }
    const q: QueueState = { name, args, entries: [], consumers: [], next: 0, scheduled: false };
    this.queues.set(name, q);
    this.armExpiry(q);
  }

  /** Deleting a missing queue succeeds; a failed guard throws bus_topology and leaves the queue. */
  deleteQueue(name: string, guard: DeleteGuard = {}): void {
    const q = this.queues.get(name);
    if (!q) return;
    const owner = q.args.exclusiveOwner;
    if (guard.owner !== undefined && owner !== undefined && owner !== guard.owner) {
      throw new BusError('bus_topology', `queue ${name} is exclusive to another connection`);
    }
    if (guard.ifUnused && q.consumers.length > 0) throw new BusError('bus_topology', `queue ${name} is in use`);
    if (guard.ifEmpty && q.entries.length > 0) throw new BusError('bus_topology', `queue ${name} is not empty`);
    for (const e of q.entries) clearTimeout(e.timer);
    clearTimeout(q.expiry);
    this.queues.delete(name);
    for (const ex of this.exchanges.values()) ex.bindings.delete(name);
  }

  bind(queue: string, exchange: string, routingKey: string): void {
    const ex = this.requireExchange(exchange);
    this.requireQueue(queue);
    const keys = ex.bindings.get(queue) ?? new Set<string>();
    keys.add(routingKey);
    ex.bindings.set(queue, keys);
  }

  unbind(queue: string, exchange: string, routingKey: string): void {
    this.exchanges.get(exchange)?.bindings.get(queue)?.delete(routingKey);
  }

  /** Routes a copy to every matching queue; returns how many received it. */
  publish(exchange: string, msg: BrokerMessage): number {
    const ex = this.requireExchange(exchange);
    let routed = 0;
    for (const [queueName, keys] of ex.bindings) {
      const q = this.queues.get(queueName);
      if (!q || !this.matches(ex.type, keys, msg.routingKey)) continue;
      this.enqueue(q, { ...msg, headers: { ...msg.headers } });
      routed++;
    }
    return routed;
  }

  /** Returns the function that cancels this consumer. */
  consume(queue: string, slot: ConsumerSlot): () => void {
    const q = this.requireQueue(queue);
    q.consumers.push(slot);
    clearTimeout(q.expiry);
    this.schedule(q);
    return () => {
      const idx = q.consumers.indexOf(slot);
      if (idx < 0) return;
      q.consumers.splice(idx, 1);
      if (q.args.autoDelete && q.consumers.length === 0) this.deleteQueue(q.name);
      else this.armExpiry(q);
    };
  }

  /** Exclusive queues die with the connection that declared them. */
  releaseOwner(owner: object): void {
    for (const q of [...this.queues.values()]) if (q.args.exclusiveOwner === owner) this.deleteQueue(q.name);
  }

  /** Starts (or restarts) the unused-queue countdown; a consumer holds it off. */
  private armExpiry(q: QueueState): void {
    clearTimeout(q.expiry);
    if (q.args.expiresMs === undefined || q.consumers.length > 0) return;
    q.expiry = setTimeout(() => {
      if (this.queues.get(q.name) === q && q.consumers.length === 0) this.deleteQueue(q.name);
    }, q.args.expiresMs);
    q.expiry.unref();
  }

  private matches(type: ExchangeType, keys: Set<string>, routingKey: string): boolean {
    if (type === 'fanout') return keys.size > 0;
    if (type === 'direct') return keys.has(routingKey);
    for (const pattern of keys) if (topicMatches(pattern, routingKey)) return true;
    return false;
  }

  private enqueue(q: QueueState, msg: BrokerMessage): void {
    const entry: Entry = { msg };
    if (q.args.ttlMs !== undefined) {
      entry.timer = setTimeout(() => this.expire(q, entry, 'expired'), q.args.ttlMs);
      entry.timer.unref();
    }
    q.entries.push(entry);
    if (q.args.maxLength !== undefined && q.entries.length > q.args.maxLength) {
      const head = q.entries[0];
      if (head) this.expire(q, head, 'maxlen');
    }
    this.schedule(q);
  }

  private expire(q: QueueState, entry: Entry, reason: string): void {
    const idx = q.entries.indexOf(entry);
    if (idx < 0) return;
    q.entries.splice(idx, 1);
    clearTimeout(entry.timer);
    const target = q.args.deadLetter;
    if (!target || !this.exchanges.has(target.exchange)) return;
    const headers = { ...entry.msg.headers, 'x-first-death-reason': reason, 'x-first-death-queue': q.name, 'x-first-death-exchange': entry.msg.exchange };
    this.publish(target.exchange, { ...entry.msg, routingKey: target.routingKey ?? entry.msg.routingKey, headers, exchange: target.exchange });
  }

  private schedule(q: QueueState): void {
    if (q.scheduled) return;
    q.scheduled = true;
    // Deliveries never run inside publish(): handlers see the same asynchrony as on a real broker.
    setImmediate(() => {
      q.scheduled = false;
      this.pump(q);
    });
  }

  private pump(q: QueueState): void {
    while (q.entries.length > 0 && this.queues.get(q.name) === q) {
      const slot = this.nextSlot(q);
      if (!slot) return;
      const entry = q.entries.shift() as Entry;
      clearTimeout(entry.timer);
      slot.inflight++;
      void slot
        .deliver(entry.msg, false)
        .catch(() => undefined)
        .finally(() => {
          slot.inflight--;
          this.schedule(q);
        });
    }
  }

  private nextSlot(q: QueueState): ConsumerSlot | undefined {
    if (q.args.singleActive) {
      const active = q.consumers[0];
      return active && active.inflight < active.prefetch ? active : undefined;
    }
    for (let i = 0; i < q.consumers.length; i++) {
      const idx = (q.next + i) % q.consumers.length;
      const slot = q.consumers[idx];
      if (slot && slot.inflight < slot.prefetch) {
        q.next = (idx + 1) % q.consumers.length;
        return slot;
      }
    }
    return undefined;
  }

  private requireExchange(name: string): ExchangeState {
    const ex = this.exchanges.get(name);
    if (!ex) throw new BusError('bus_unknown_exchange', `no exchange ${name}`);
    return ex;
  }

  private requireQueue(name: string): QueueState {
    const q = this.queues.get(name);
    if (!q) throw new BusError('bus_topology', `no queue ${name}`);
    return q;
  }
}

/** The broker every in-process bus in this process talks to. */
export const sharedInProcessBroker = new InProcessBroker();
