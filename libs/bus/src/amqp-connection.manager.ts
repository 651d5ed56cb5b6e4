import { connect, type ChannelModel } from 'amqplib';
import type { Logger } from '@legwork/common';
import { BusError, errorMessage } from './bus.error';
import { brokerAddress } from './broker-urls';
import { corkFrameWrites } from './amqp-frame.cork';

export interface ConnectionManagerOptions {
  /** Nodes of one broker cluster in order of preference: a failed or lost one hands over to the next. */
  urls: readonly string[];
  connectionName: string;
  logger: Logger;
  /** Declares topology and consumers on a fresh connection; a failure means retry. */
  setup(model: ChannelModel): Promise<void>;
  onLost(): void;
  /** A setup error retrying cannot fix (the broker's topology is refused): start() rejects with it at once. */
  isFatal?(err: unknown): boolean;
}

interface Waiter {
  resolve(model: ChannelModel): void;
  reject(err: BusError): void;
  timer: NodeJS.Timeout;
}

type State = 'idle' | 'connecting' | 'ready' | 'closed';

const BACKOFF_BASE_MS = 100;
const BACKOFF_MAX_MS = 5_000;
/** A node that neither answers nor refuses (a dead host, a partition) must not hold the failover for long. */
const CONNECT_TIMEOUT_MS = 5_000;

/** One AMQP connection kept alive: connect, run setup, and on loss reconnect (to the next broker) with backoff. */
export class AmqpConnectionManager {
  private state: State = 'idle';
  private model: ChannelModel | undefined;
  private readonly waiters = new Set<Waiter>();
  private retryTimer: NodeJS.Timeout | undefined;
  private attempt = 0;
  private everReady = false;
  /** The broker tried now or connected to: an index into opts.urls. */
  private index = 0;

  constructor(private readonly opts: ConnectionManagerOptions) {}

  get current(): ChannelModel | undefined {
    return this.state === 'ready' ? this.model : undefined;
  }

  /** host:port of the broker connected to (or being tried). */
  get broker(): string {
    return brokerAddress(this.url);
  }

  private get url(): string {
    return this.opts.urls[this.index % this.opts.urls.length] as string;
  }

  async start(timeoutMs: number): Promise<void> {
    if (this.state === 'closed') throw new BusError('bus_closed', 'bus is closed');
    if (this.state !== 'idle') return void (await this.waitReady(Date.now() + timeoutMs));
    this.state = 'connecting';
    void this.connectOnce();
    try {
      await this.waitReady(Date.now() + timeoutMs);
    } catch (err) {
      // A bus that never came up must not keep retrying behind the caller's back.
      if (this.state === 'connecting') {
        clearTimeout(this.retryTimer);
        this.state = 'idle';
      }
      throw err;
    }
  }

  /** Resolves with the live connection, waiting through a reconnect until the deadline. */
  waitReady(deadline: number): Promise<ChannelModel> {
    if (this.state === 'closed') return Promise.reject(new BusError('bus_closed', 'bus is closed'));
    if (this.state === 'ready' && this.model) return Promise.resolve(this.model);
    if (this.state === 'idle') return Promise.reject(new BusError('bus_unavailable', 'bus not started'));
    return new Promise<ChannelModel>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new BusError('bus_unavailable', 'broker unavailable: not reconnected in time', { connection: this.opts.connectionName }));
        }, Math.max(0, deadline - Date.now())),
      };
      this.waiters.add(waiter);
    });
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    clearTimeout(this.retryTimer);
    this.flushWaiters((w) => w.reject(new BusError('bus_closed', 'bus is closed')));
    const model = this.model;
    this.model = undefined;
    if (model) await model.close().catch(() => undefined);
  }

  private async connectOnce(): Promise<void> {
    let model: ChannelModel | undefined;
    let lost = false;
    try {
      // Nagle's algorithm would hold small frames (confirms, replies) behind delayed ACKs.
      model = await connect(this.url, { noDelay: true, timeout: CONNECT_TIMEOUT_MS, clientProperties: { connection_name: this.opts.connectionName } });
      const self = model;
      if (!corkFrameWrites(self)) this.opts.logger.debug({ connection: this.opts.connectionName }, 'amqp frame writes not corked: unknown amqplib connection shape');
      self.on('error', (err: Error) => this.opts.logger.warn({ err: errorMessage(err) }, 'amqp connection error'));
      self.on('close', () => (this.model === self ? this.onClose(self) : (lost = true)));
      if (this.isClosed()) return void (await self.close().catch(() => undefined));
      await this.opts.setup(self);
      if (lost) throw new Error('connection closed during setup');
    } catch (err) {
      if (model && !lost) await model.close().catch(() => undefined);
      if (this.isClosed()) return;
      if (!this.everReady && this.opts.isFatal?.(err) === true) return this.failStart(err);
      this.scheduleRetry(err);
      return;
    }
    if (this.isClosed()) return void (await model.close().catch(() => undefined));
    this.model = model;
    this.state = 'ready';
    this.opts.logger.info({ connection: this.opts.connectionName, broker: this.broker, attempts: this.attempt }, this.everReady ? 'amqp reconnected' : 'amqp connected');
    this.everReady = true;
    this.attempt = 0;
    const ready = model;
    this.flushWaiters((w) => w.resolve(ready));
  }

  /** A running app keeps retrying (and logging why); one that never came up is told at once. */
  private failStart(err: unknown): void {
    this.state = 'idle';
    this.attempt = 0;
    const reason = err instanceof BusError ? err : new BusError('bus_unavailable', errorMessage(err));
    this.flushWaiters((w) => w.reject(reason));
  }

  /** A method, not a field check: close() may run while connectOnce awaits. */
  private isClosed(): boolean {
    return this.state === 'closed';
  }

  private onClose(model: ChannelModel): void {
    if (this.state === 'closed' || this.model !== model) return;
    this.model = undefined;
    this.state = 'connecting';
    const lost = this.broker;
    this.opts.onLost();
    this.scheduleRetry(new Error('connection lost'));
    this.opts.logger.warn({ connection: this.opts.connectionName, lost, next: this.broker }, 'amqp connection lost; reconnecting');
  }

  /** The next try goes to the next broker; the backoff grows only once every broker of the list failed in a row. */
  private scheduleRetry(err: unknown): void {
    const failed = this.broker;
    const round = Math.floor(this.attempt / this.opts.urls.length);
    const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** round) * (0.8 + Math.random() * 0.4);
    this.attempt++;
    this.index = (this.index + 1) % this.opts.urls.length;
    const log = this.opts.isFatal?.(err) === true ? this.opts.logger.error : this.opts.logger.warn;
    log.call(this.opts.logger, { err: errorMessage(err), broker: failed, next: this.broker, attempt: this.attempt, delayMs: Math.round(delay) }, 'amqp connect failed; retrying');
    this.retryTimer = setTimeout(() => void this.connectOnce(), delay);
  }

  private flushWaiters(fn: (w: Waiter) => void): void {
    for (const w of [...this.waiters]) {
      clearTimeout(w.timer);
      fn(w);
    }
    this.waiters.clear();
  }
}
