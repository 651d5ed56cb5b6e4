import { topicMatches } from '@legwork/bus';
import type { Scope } from '@legwork/directory';
import { BLACKHOLE_CALL_EVENTS, type ParsedBinding } from './binding.parser';

export interface Subscription extends ParsedBinding {
  accountId: string;
  /** What the subscriber may see of the account's calls (a plain user: only its own). */
  scope: Scope;
  /** Set by a resume: events at or before this cursor were replayed from the log, so their live copies are skipped. */
  after?: string;
}

/** What one connection subscribed: (account, binding) pairs and the queue bindings they need. */
export class SubscriptionSet {
  private readonly byKey = new Map<string, Subscription>();

  get size(): number {
    return this.byKey.size;
  }

  has(accountId: string, binding: string): boolean {
    return this.byKey.has(key(accountId, binding));
  }

  add(sub: Subscription): void {
    this.byKey.set(key(sub.accountId, sub.binding), sub);
  }

  /** Removes the matching subscriptions (every one when no binding is named); returns them. */
  remove(bindings: readonly string[] | undefined, accountId?: string): Subscription[] {
    const removed: Subscription[] = [];
    for (const [k, sub] of this.byKey) {
      if (bindings !== undefined && !bindings.includes(sub.binding)) continue;
      if (accountId !== undefined && sub.accountId !== accountId) continue;
      this.byKey.delete(k);
      removed.push(sub);
    }
    return removed;
  }

  routingKeys(): Set<string> {
    return new Set([...this.byKey.values()].map((s) => s.routingKey));
  }

  /** The accounts subscribed to. */
  accounts(): Set<string> {
    return new Set([...this.byKey.values()].map((s) => s.accountId));
  }

  /** Replaces what the subscriber may see of the account (its role may have changed since it subscribed). */
  rescope(accountId: string, scope: Scope): void {
    for (const sub of this.byKey.values()) if (sub.accountId === accountId) sub.scope = scope;
  }

  /**
   * Subscriptions an event named `eventName`, delivered with `routingKey` for `accountId`, satisfies; `*` covers Kazoo's set only.
   * `routedBy` may stand in for the topic match (an event sent to many sockets matches each pattern once).
   */
  matching(routingKey: string, accountId: string, eventName: string, routedBy = (pattern: string): boolean => topicMatches(pattern, routingKey)): Subscription[] {
    const kazooEvent = BLACKHOLE_CALL_EVENTS.has(eventName);
    const hits: Subscription[] = [];
    for (const s of this.byKey.values()) if (s.accountId === accountId && (s.event !== '*' || kazooEvent) && routedBy(s.routingKey)) hits.push(s);
    return hits;
  }

  /** The account's subscriptions to these bindings. */
  of(accountId: string, bindings: readonly string[]): Subscription[] {
    return bindings.map((b) => this.byKey.get(key(accountId, b))).filter((s): s is Subscription => s !== undefined);
  }

  bindings(): string[] {
    return [...new Set([...this.byKey.values()].map((s) => s.binding))];
  }
}

function key(accountId: string, binding: string): string {
  return `${accountId} ${binding}`;
}
