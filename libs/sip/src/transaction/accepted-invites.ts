import type { SipResponse } from '../message/sip-message';
import type { ClientTransactionUser } from './transaction.types';

interface AcceptedInvite {
  /** Date.now() at which Timer M fires. */
  until: number;
  user: ClientTransactionUser;
}

/**
 * INVITE client transactions in the Accepted state (RFC 6026 §8.4), reduced to what that state does: pass 2xx
 * retransmissions and other forks' 2xx to the core until Timer M. One record per transaction instead of its request,
 * responses and timers; one timer for all, as every record lives the same 64*T1 (insertion order is expiry order).
 */
export class AcceptedInvites {
  private readonly records = new Map<string, AcceptedInvite>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly lifetime: number) {}

  get size(): number {
    return this.records.size;
  }

  add(key: string, user: ClientTransactionUser): void {
    this.records.delete(key);
    this.records.set(key, { until: Date.now() + this.lifetime, user });
    if (this.timer === undefined) this.schedule(this.lifetime);
  }

  has(key: string): boolean {
    return this.records.has(key);
  }

  /** True when the response belonged to an accepted INVITE (a non-2xx there is absorbed, as in the full state machine). */
  receive(key: string, response: SipResponse): boolean {
    const record = this.records.get(key);
    if (record === undefined) return false;
    if (response.status >= 200 && response.status < 300) record.user.onResponse(response);
    return true;
  }

  delete(key: string): void {
    this.records.delete(key);
  }

  clear(): void {
    this.records.clear();
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => this.expire(), Math.max(0, ms));
    this.timer.unref?.();
  }

  private expire(): void {
    this.timer = undefined;
    const now = Date.now();
    for (const [key, record] of this.records) {
      if (record.until > now) {
        this.schedule(record.until - now);
        return;
      }
      this.records.delete(key);
    }
  }
}
