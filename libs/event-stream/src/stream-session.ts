import type { WebSocket, RawData } from 'ws';
import { EXCHANGES } from '@legwork/contracts';
import type { Bus, Consumer, DeliveryContext } from '@legwork/bus';
import { callerOf, owns, type Directory, type Scope } from '@legwork/directory';
import type { Logger } from '@legwork/common';
import { parseBinding, type ParsedBinding } from './binding.parser';
import { CLOSE_CODES, clientMessageSchema, errorReply, successReply, type ClientMessage, type ErrorEntry, type RequestId } from './blackhole.protocol';
import { eventAccountId, eventFrame, eventOwnership, streamedEventSchema, type StreamedEvent } from './call-event.frame';
import { EventStreamError, isEventStreamError } from './event-stream.error';
import type { EventStreamOptions } from './event-stream.options';
import { SubscriptionSet } from './subscription.set';

export interface SessionDeps {
  bus: Bus;
  directory: Directory;
  logger: Logger;
  options: EventStreamOptions;
  /** Told of every close the server itself initiates (for counters). */
  onServerClose?: (code: number) => void;
}

const MAX_TIMER_MS = 2_147_483_647;

/** One client connection: its subscriptions, its exclusive queue and its outbound flow control. */
export class StreamSession {
  /** Cleared by each heartbeat ping, set again by the client's pong. */
  alive = true;
  private readonly subs = new SubscriptionSet();
  private queue: string | undefined;
  private consumer: Consumer | undefined;
  private readonly bound = new Set<string>();
  private expiry: NodeJS.Timeout | undefined;
  private pendingFrames = 0;
  private closed = false;
  // Client frames run one after another so subscribe/unsubscribe never interleave.
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly ws: WebSocket,
    private readonly deps: SessionDeps,
  ) {}

  receive(data: RawData): void {
    const text = Buffer.isBuffer(data) ? data.toString('utf8') : Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data).toString('utf8');
    this.chain = this.chain.then(() => this.handle(text)).catch((err: unknown) => this.deps.logger.error({ err }, 'event-stream frame failed'));
  }

  /** Closes the socket with a code the client can act on; teardown follows on the close event. */
  close(code: number, reason: string): void {
    if (this.ws.readyState !== this.ws.OPEN && this.ws.readyState !== this.ws.CONNECTING) return;
    this.deps.onServerClose?.(code);
    this.ws.close(code, reason);
  }

  /** Releases the queue and timers once the socket is gone; waits for frames in progress. */
  dispose(): Promise<void> {
    if (this.closed) return this.chain;
    this.closed = true;
    clearTimeout(this.expiry);
    this.chain = this.chain.then(() => this.teardown());
    return this.chain;
  }

  private async handle(text: string): Promise<void> {
    if (this.closed) return;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return this.send(errorReply(undefined, [{ code: 'invalid_message', message: 'frame is not JSON' }]));
    }
    const parsed = clientMessageSchema.safeParse(raw);
    const requestId = requestIdOf(raw);
    if (!parsed.success) {
      const errors = parsed.error.issues.map((i) => ({ code: 'invalid_message', message: `${i.path.join('.') || 'frame'}: ${i.message}` }));
      return this.send(errorReply(requestId, errors));
    }
    const msg = parsed.data;
    try {
      if (msg.action === 'ping') return this.send(successReply(msg.request_id, { response: 'pong' }));
      if (msg.action === 'subscribe') return this.send(successReply(msg.request_id, await this.subscribe(msg)));
      return this.send(successReply(msg.request_id, await this.unsubscribe(msg)));
    } catch (err) {
      this.send(errorReply(msg.request_id, [errorEntry(err)]));
      if (!isEventStreamError(err)) this.deps.logger.error({ err }, 'event-stream request failed');
    }
  }

  private async subscribe(msg: ClientMessage): Promise<Record<string, unknown>> {
    const accountId = msg.data?.account_id;
    if (accountId === undefined) throw new EventStreamError('invalid_message', 'data.account_id is required');
    const requested = bindingsOf(msg);
    if (requested.length === 0) throw new EventStreamError('invalid_message', 'data.binding is required');
    const parsed: ParsedBinding[] = requested.map(parseBinding);
    const { expiresAt, scope } = await this.authorize(msg.auth_token, accountId);
    const fresh = parsed.filter((p) => !this.subs.has(accountId, p.binding));
    if (this.subs.size + fresh.length > this.deps.options.maxSubscriptions) {
      throw new EventStreamError('forbidden', `at most ${this.deps.options.maxSubscriptions} subscriptions per connection`);
    }
    const queue = await this.ensureQueue();
    for (const p of fresh) {
      if (!this.bound.has(p.routingKey)) {
        await this.deps.bus.bindQueue(queue, EXCHANGES.callevt.name, p.routingKey);
        this.bound.add(p.routingKey);
      }
      this.subs.add({ ...p, accountId, scope });
    }
    this.armExpiry(expiresAt);
    return { subscribed: this.subs.bindings() };
  }

  private async unsubscribe(msg: ClientMessage): Promise<Record<string, unknown>> {
    const named = bindingsOf(msg);
    const removed = this.subs.remove(named.length > 0 ? named : undefined, msg.data?.account_id);
    await this.unbindUnused();
    return { unsubscribed: [...new Set(removed.map((s) => s.binding))], subscribed: this.subs.bindings() };
  }

  /** Verified on every subscribe (the platform's one access policy): a revoked or foreign token never widens what a socket sees. */
  private async authorize(token: string | undefined, accountId: string): Promise<{ expiresAt: number; scope: Scope }> {
    if (token === undefined) throw new EventStreamError('unauthorized', 'auth_token is required');
    const { credentials, access } = this.deps.directory;
    const claims = await credentials.verifyToken(token).catch(() => {
      throw new EventStreamError('unauthorized', 'auth_token is invalid or expired');
    });
    const grant = await access.authorize(callerOf(claims), { operation: 'event.subscribe', accountId }).catch(() => {
      throw new EventStreamError('forbidden', 'token may not subscribe to this account');
    });
    return { expiresAt: claims.expiresAt, scope: grant.scope };
  }

  private async ensureQueue(): Promise<string> {
    if (this.queue !== undefined) return this.queue;
    const { bus, options } = this.deps;
    const queue = await bus.declareQueue('', { exclusive: true, autoDelete: true, deadLetter: false, maxLength: options.maxQueueLength });
    this.queue = queue;
    this.consumer = await bus.consume(queue, streamedEventSchema, (event, ctx) => this.deliver(event, ctx), { prefetch: options.maxPendingFrames });
    return queue;
  }

  private async deliver(event: StreamedEvent, ctx: DeliveryContext): Promise<void> {
    const accountId = eventAccountId(event);
    if (this.closed || accountId === undefined) return;
    for (const sub of this.subs.matching(ctx.routingKey, accountId)) {
      if (sub.scope.all || owns(sub.scope, eventOwnership(event))) this.send(eventFrame(event, ctx.routingKey, sub));
    }
  }

  private send(frame: object): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    const { maxBufferedBytes, maxPendingFrames } = this.deps.options;
    if (this.ws.bufferedAmount > maxBufferedBytes || this.pendingFrames >= maxPendingFrames) {
      this.close(CLOSE_CODES.slowConsumer, 'slow consumer');
      return;
    }
    this.pendingFrames++;
    this.ws.send(JSON.stringify(frame), () => {
      this.pendingFrames--;
    });
  }

  private armExpiry(expiresAt: number): void {
    clearTimeout(this.expiry);
    const delay = Math.min(Math.max(0, expiresAt - Date.now()), MAX_TIMER_MS);
    this.expiry = setTimeout(() => this.close(CLOSE_CODES.tokenExpired, 'token expired'), delay);
    this.expiry.unref();
  }

  private async unbindUnused(): Promise<void> {
    if (this.queue === undefined) return;
    const needed = this.subs.routingKeys();
    for (const key of [...this.bound]) {
      if (needed.has(key)) continue;
      await this.deps.bus.unbindQueue(this.queue, EXCHANGES.callevt.name, key);
      this.bound.delete(key);
    }
  }

  private async teardown(): Promise<void> {
    this.subs.remove(undefined);
    try {
      await this.consumer?.cancel();
      // Deleting (not just abandoning) the queue makes the bus forget it, so a reconnect never re-declares it.
      if (this.queue !== undefined) await this.deps.bus.deleteQueue(this.queue);
      this.bound.clear();
    } catch (err) {
      this.deps.logger.warn({ err }, 'event-stream queue release failed');
    }
  }
}

function bindingsOf(msg: ClientMessage): string[] {
  const { binding, bindings } = msg.data ?? {};
  return [...(binding !== undefined ? [binding] : []), ...(bindings ?? [])];
}

function requestIdOf(raw: unknown): RequestId {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const id = (raw as Record<string, unknown>)['request_id'];
  return typeof id === 'string' || typeof id === 'number' ? id : undefined;
}

function errorEntry(err: unknown): ErrorEntry {
  if (isEventStreamError(err)) {
    const binding = typeof err.details['binding'] === 'string' ? err.details['binding'] : undefined;
    return { code: err.code, message: err.message, ...(binding !== undefined ? { binding } : {}) };
  }
  return { code: 'unavailable', message: 'the event stream could not complete the request' };
}
