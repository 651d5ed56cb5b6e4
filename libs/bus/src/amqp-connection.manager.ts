import { connect, type ChannelModel } from 'amqplib';
import type { Logger } from '@legwork/common';
import { BusError, errorMessage } from './bus.error';

export interface ConnectionManagerOptions {
  url: string;
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

/** One AMQP connection kept alive: connect, run setup, and on loss reconnect with backoff. */
export class AmqpConnectionManager {
  private state: State = 'idle';
  private model: ChannelModel | undefined;
  private readonly waiters = new Set<Waiter>();
  private retryTimer: NodeJS.Timeout | undefined;
  private attempt = 0;
  private everReady = false;

  constructor(private readonly opts: ConnectionManagerOptions) {}

  get current(): ChannelModel | undefined {
    return this.state === 'ready' ? this.model : undefined;
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
      model = await connect(this.opts.url, { noDelay: true, clientProperties: { connection_name: this.opts.connectionName } });
      const self = model;
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
    this.everReady = true;
    if (this.attempt > 0) this.opts.logger.info({ connection: this.opts.connectionName, attempts: this.attempt }, 'amqp reconnected');
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
    this.opts.logger.warn({ connection: this.opts.connectionName }, 'amqp connection lost; reconnecting');
    this.opts.onLost();
    this.scheduleRetry(new Error('connection lost'));
  }

  private scheduleRetry(err: unknown): void {
    const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** this.attempt) * (0.8 + Math.random() * 0.4);
    this.attempt++;
    const log = this.opts.isFatal?.(err) === true ? this.opts.logger.error : this.opts.logger.warn;
    log.call(this.opts.logger, { err: errorMessage(err), attempt: this.attempt, delayMs: Math.round(delay) }, 'amqp connect failed; retrying');
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
