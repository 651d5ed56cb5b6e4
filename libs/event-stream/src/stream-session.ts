import type { Duplex } from 'node:stream';
import type { WebSocket, RawData } from 'ws';
import { compareCursors, type EventLog, type EventPage } from '@legwork/call-state';
import type { Directory } from '@legwork/directory';
import type { Logger } from '@legwork/common';
import { parseBinding, type ParsedBinding } from './binding.parser';
import { CLOSE_CODES, clientMessageSchema, errorReply, newRequestId, successReply, type ClientMessage, type ErrorEntry, type RequestId } from './blackhole.protocol';
import { eventAccountId, publishedRoutingKey } from './call-event.frame';
import type { EventFanOut, EventSink } from './event-fan-out';
import { REPLAY_PAGE, firstPage, headOf, loggedEvent } from './event-replay';
import { EventStreamError, isEventStreamError } from './event-stream.error';
import type { EventStreamOptions } from './event-stream.options';
import { OutgoingEvent } from './outgoing-event';
import type { WriteBatcher } from './write-batcher';
import { SessionAuth } from './session-auth';
import { SubscriptionSet, type Subscription } from './subscription.set';

/** A client that reads nothing for this long while it is being replayed to is closed as a slow consumer. */
const REPLAY_STALL_MS = 30_000;

interface Subscribed {
  reply: Record<string, unknown>;
  /** The resume to run once the reply is out. */
  replay?: () => Promise<void>;
}

export interface SessionDeps {
  /** The instance's queue, shared by its connections. */
  fanOut: EventFanOut;
  /** Corks the connection's socket for the rest of the event-loop turn. */
  batcher: WriteBatcher;
  directory: Directory;
  /** The per-account event logs `since` resumes from; without it a subscribe with `since` is refused. */
  events?: EventLog;
  logger: Logger;
  options: EventStreamOptions;
  /** Told of every close the server itself initiates (for counters). */
  onServerClose?: (code: number) => void;
  /** Told of every finished resume: whether the log still held all it asked for, and how many entries it read. */
  onResume?: (complete: boolean, entries: number) => void;
}

/** One client connection: who it is, its subscriptions, its share of the instance's queue and its outbound flow control. */
export class StreamSession implements EventSink {
  /** Cleared by each heartbeat ping, set again by the client's pong. */
  alive = true;
  private readonly auth: SessionAuth;
  private readonly subs = new SubscriptionSet();
  /** Routing keys this connection holds a reference on in the fan-out. */
  private readonly bound = new Set<string>();
  private reverifyTimer: NodeJS.Timeout | undefined;
  private pendingFrames = 0;
  /** Live events held back while a resume replays the log, so they follow it. */
  private held: OutgoingEvent[] | undefined;
  private closed = false;
  // Client frames and re-verifications run one after another, so subscriptions never change under either.
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly ws: WebSocket,
    /** The socket under `ws`, corked while a turn's frames are written. */
    private readonly socket: Duplex,
    private readonly deps: SessionDeps,
  ) {
    this.auth = new SessionAuth(deps.directory);
  }

  receive(data: RawData): void {
    const text = Buffer.isBuffer(data) ? data.toString('utf8') : Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data).toString('utf8');
    this.enqueue(() => this.handle(text), 'event-stream frame failed');
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
    clearTimeout(this.reverifyTimer);
    this.chain = this.chain.then(() => this.teardown());
    return this.chain;
  }

  private enqueue(task: () => Promise<void>, failure: string): void {
    this.chain = this.chain.then(task).catch((err: unknown) => this.deps.logger.error({ err }, failure));
  }

  private async handle(text: string): Promise<void> {
    if (this.closed) return;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return this.send(errorReply(newRequestId(), [{ code: 'invalid_message', message: 'frame is not JSON' }]));
    }
    const parsed = clientMessageSchema.safeParse(raw);
    if (!parsed.success) {
      const errors = parsed.error.issues.map((i) => ({ code: 'invalid_message', message: `${i.path.join('.') || 'frame'}: ${i.message}` }));
      return this.send(errorReply(requestIdOf(raw) ?? newRequestId(), errors));
    }
    const msg = parsed.data;
    const requestId = msg.request_id ?? newRequestId();
    try {
      const wasAuthenticated = this.auth.authenticated;
      await this.auth.authenticate(msg.auth_token);
      if (!wasAuthenticated) this.scheduleReverify();
      if (msg.action === 'ping') return this.send(successReply(requestId, { response: 'pong' }));
      if (msg.action === 'noop') return this.send(successReply(requestId, {}));
      if (msg.action === 'subscribe') {
        const { reply, replay } = await this.subscribe(msg);
        this.send(successReply(requestId, reply));
        return await replay?.();
      }
      return this.send(successReply(requestId, await this.unsubscribe(msg)));
    } catch (err) {
      this.send(errorReply(requestId, [errorEntry(err)]));
      if (!isEventStreamError(err)) this.deps.logger.error({ err }, 'event-stream request failed');
    }
  }

  private async subscribe(msg: ClientMessage): Promise<Subscribed> {
    const since = msg.data?.since;
    // held from before the queue is bound: nothing published meanwhile can slip between the log and the live events
    if (since !== undefined) this.held ??= [];
    try {
      return await this.subscribeFrom(msg, since);
    } catch (err) {
      if (since !== undefined) {
        this.deps.fanOut.watch(this, this.subs.accounts());
        this.release();
      }
      throw err;
    }
  }

  private async subscribeFrom(msg: ClientMessage, since: string | undefined): Promise<Subscribed> {
    const data = msg.data ?? {};
    const requested = bindingsOf(msg);
    if (Object.keys(data).length === 0) throw new EventStreamError('invalid_message', 'missing required keys in data object');
    const missing = [...(data.account_id === undefined ? ['account_id'] : []), ...(requested.length === 0 ? ['binding'] : [])];
    if (missing.length > 0) throw new EventStreamError('invalid_message', `missing required keys : ${missing.join(', ')}`);
    const accountId = data.account_id as string;
    const parsed: ParsedBinding[] = requested.map(parseBinding);
    // The socket's credentials are checked again before they widen what it sees.
    await this.reverify();
    const scope = await this.auth.scopeFor(accountId);
    const fresh = parsed.filter((p) => !this.subs.has(accountId, p.binding));
    if (this.subs.size + fresh.length > this.deps.options.maxSubscriptions) {
      throw new EventStreamError('forbidden', `at most ${this.deps.options.maxSubscriptions} subscriptions per connection`);
    }
    // Watched from before the first bind, so that a resume holds every live event from then on.
    if (since !== undefined) this.deps.fanOut.watch(this, new Set([...this.subs.accounts(), accountId]));
    for (const p of fresh) {
      if (!this.bound.has(p.routingKey)) {
        this.bound.add(p.routingKey);
        await this.deps.fanOut.bind(p.routingKey).catch((err: unknown) => {
          this.bound.delete(p.routingKey);
          throw err;
        });
      }
      this.subs.add({ ...p, accountId, scope });
      this.deps.fanOut.watch(this, this.subs.accounts());
    }
    this.subs.rescope(accountId, scope);
    const reply = { subscribed: this.subs.bindings() };
    if (since === undefined) {
      const head = await headOf(this.deps.events, accountId);
      return { reply: head !== undefined ? { ...reply, cursor: head } : reply };
    }
    let page: EventPage;
    try {
      page = await firstPage(this.deps.events, accountId, since);
    } catch (err) {
      this.subs.remove(fresh.map((p) => p.binding), accountId);
      await this.unbindUnused();
      throw err;
    }
    const mine = this.subs.of(accountId, parsed.map((p) => p.binding));
    return { reply: { ...reply, resumed: { since, complete: page.complete } }, replay: () => this.replay(accountId, mine, since, page) };
  }

  /** Sends the subscriptions' logged events after `since`, page by page at the client's pace, then the live ones held meanwhile. */
  private async replay(accountId: string, subs: Subscription[], since: string, first: EventPage): Promise<void> {
    let last = since;
    let page = first;
    let entries = 0;
    try {
      for (;;) {
        for (const entry of page.events) {
          if (!(await this.writable())) return;
          last = entry.cursor;
          entries += 1;
          const event = loggedEvent(entry);
          const eventAccount = event !== undefined ? eventAccountId(event) : undefined;
          if (event !== undefined && eventAccount !== undefined) this.frames(new OutgoingEvent(event, publishedRoutingKey(event), eventAccount, entry.cursor), subs);
        }
        if (page.events.length < REPLAY_PAGE || this.closed || this.deps.events === undefined) return;
        page = await this.deps.events.readAfter(accountId, last, REPLAY_PAGE);
      }
    } catch (err) {
      this.deps.logger.warn({ err, accountId }, 'event-stream resume failed');
      this.close(CLOSE_CODES.resumeFailed, 'resume failed');
    } finally {
      for (const sub of subs) if (sub.after === undefined || compareCursors(last, sub.after) > 0) sub.after = last;
      this.release();
      this.deps.onResume?.(first.complete, entries);
    }
  }

  /** Lets the live events held during a resume through; each subscription skips what its replay already sent. */
  private release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const event of held) this.deliver(event);
  }

  /** Waits while the client has much unread; false once it closed or stalled past REPLAY_STALL_MS. */
  private async writable(): Promise<boolean> {
    const { maxBufferedBytes, maxPendingFrames } = this.deps.options;
    const deadline = Date.now() + REPLAY_STALL_MS;
    while (!this.closed && (this.pendingFrames >= maxPendingFrames / 2 || this.ws.bufferedAmount > maxBufferedBytes / 2)) {
      if (Date.now() > deadline) {
        this.close(CLOSE_CODES.slowConsumer, 'slow consumer');
        return false;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return !this.closed;
  }

  private async unsubscribe(msg: ClientMessage): Promise<Record<string, unknown>> {
    const named = bindingsOf(msg);
    const removed = this.subs.remove(named.length > 0 ? named : undefined, msg.data?.account_id);
    await this.unbindUnused();
    return { unsubscribed: [...new Set(removed.map((s) => s.binding))], subscribed: this.subs.bindings() };
  }

  /** Re-verification every interval (jittered, so sockets opened together do not ask together). */
  private scheduleReverify(): void {
    const every = this.deps.options.reverifyIntervalMs;
    this.reverifyTimer = setTimeout(() => {
      this.enqueue(async () => {
        await this.reverify().catch((err: unknown) => {
          if (!isEventStreamError(err)) this.deps.logger.warn({ err }, 'event-stream re-verification failed; retried at the next interval');
        });
        if (!this.closed) this.scheduleReverify();
      }, 'event-stream re-verification failed');
    }, Math.round(every * (0.75 + Math.random() * 0.25)));
    this.reverifyTimer.unref();
  }

  /**
   * The socket's user, role and accounts, read again: closed (4001) once its token is revoked, its user or an
   * account of its tree disabled or deleted, or an account it subscribed to no longer reachable; otherwise every
   * subscription's scope is brought up to date (a plain user turned admin sees more, and back).
   */
  private async reverify(): Promise<void> {
    if (this.closed || !this.auth.authenticated) return;
    try {
      await this.auth.reverify();
      for (const accountId of this.subs.accounts()) this.subs.rescope(accountId, await this.auth.scopeFor(accountId));
    } catch (err) {
      if (isEventStreamError(err)) this.close(CLOSE_CODES.unauthorized, err.code === 'forbidden' ? 'access revoked' : 'credentials revoked');
      throw err;
    }
  }

  /** A live event of one of the accounts this connection watches (called by the fan-out, never throws on a closed socket). */
  deliver(event: OutgoingEvent): void {
    if (this.held === undefined) return this.frames(event);
    if (this.held.length >= this.deps.options.maxQueueLength) this.close(CLOSE_CODES.slowConsumer, 'slow consumer');
    else this.held.push(event);
  }

  /** One frame per matching subscription: live events to every one not past them, replayed ones to `replayTo` only. */
  private frames(event: OutgoingEvent, replayTo?: Subscription[]): void {
    if (this.closed) return;
    const { cursor } = event;
    for (const sub of this.subs.matching(event.deliveredKey, event.accountId, event.name, event.routedBy)) {
      if (replayTo !== undefined ? !replayTo.includes(sub) : cursor !== undefined && sub.after !== undefined && compareCursors(cursor, sub.after) <= 0) continue;
      if (!event.visibleTo(sub.scope)) continue;
      this.send(event.wireFrameFor(sub));
    }
  }

  /** A reply (encoded here), or an event frame already framed for the wire (the same bytes for every socket). */
  private send(frame: object | Buffer): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    const { maxBufferedBytes, maxPendingFrames } = this.deps.options;
    if (this.ws.bufferedAmount > maxBufferedBytes || this.pendingFrames >= maxPendingFrames) {
      this.close(CLOSE_CODES.slowConsumer, 'slow consumer');
      return;
    }
    this.pendingFrames++;
    this.deps.batcher.hold(this.socket);
    // ws writes its frames straight to the socket (no deflate, nothing queued), so a whole frame written beside them keeps its place.
    if (Buffer.isBuffer(frame)) this.socket.write(frame, this.written);
    else this.ws.send(JSON.stringify(frame), this.written);
  }

  private readonly written = (): void => {
    this.pendingFrames--;
  };

  private async unbindUnused(): Promise<void> {
    const needed = this.subs.routingKeys();
    this.deps.fanOut.watch(this, this.subs.accounts());
    for (const key of [...this.bound]) {
      if (needed.has(key)) continue;
      this.bound.delete(key);
      await this.deps.fanOut.unbind(key);
    }
  }

  private async teardown(): Promise<void> {
    this.subs.remove(undefined);
    try {
      await this.unbindUnused();
    } catch (err) {
      this.deps.logger.warn({ err }, 'event-stream queue unbind failed');
    }
  }
}

function bindingsOf(msg: ClientMessage): string[] {
  const { binding, bindings } = msg.data ?? {};
  return [...(binding !== undefined ? [binding] : []), ...(bindings ?? [])];
}

function requestIdOf(raw: unknown): RequestId | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const id = (raw as Record<string, unknown>)['request_id'];
  return (typeof id === 'string' && id.length <= 128) || typeof id === 'number' ? id : undefined;
}

function errorEntry(err: unknown): ErrorEntry {
  if (isEventStreamError(err)) return { code: err.code, message: err.message };
  return { code: 'unavailable', message: 'the event stream could not complete the request' };
}
