import type { HookReceiver } from '@legwork/webhook-delivery/testing';
import type { Json } from '../kazoo-platform.fixture';
import type { BusWatch } from './bus-watch';

const keyOf = (origin: unknown, seq: unknown): string => `${String(origin)}#${String(seq)}`;

/** What an `all` hook's receiver got, against every numbered event of the account seen on the bus. */
export interface HookTally {
  expected: number;
  delivered: number;
  repeats: number;
  calls: number;
  /** Calls whose first copies did not arrive in `event_sequence` order. */
  outOfOrder: string[];
}

/** Compares the receiver's deliveries with the account's events on the bus, as a receiver de-duplicating by (call, sequence) would. */
export class HookLedger {
  constructor(
    private readonly bus: BusWatch,
    private readonly receiver: HookReceiver,
    private readonly path: string,
    private readonly accountId: string,
  ) {}

  /** (origination call, event_sequence) of every numbered event of the account on the bus. */
  expected(): Set<string> {
    const mine = (e: Json): boolean => (e['Custom-Channel-Vars'] as Json | undefined)?.['Account-ID'] === this.accountId && typeof e['Event-Sequence'] === 'number';
    return new Set(this.bus.events.filter(mine).map((e) => keyOf(e['Origination-Call-ID'] ?? e['Call-ID'], e['Event-Sequence'])));
  }

  bodies(): Json[] {
    return this.receiver.got(this.path).map((r) => JSON.parse(r.body) as Json);
  }

  /** The receiver answers from this process: each check reads the bodies once, so it never stalls the receiver. */
  missing(): string[] {
    const got = new Set(this.bodies().map((b) => keyOf(b['origination_call_id'], b['event_sequence'])));
    return [...this.expected()].filter((k) => !got.has(k));
  }

  /** Per call, the first copy of each event (a receiver drops repeats by (origination_call_id, event_sequence)), in order. */
  tally(): HookTally {
    const byCall = new Map<string, number[]>();
    const seen = new Set<string>();
    let repeats = 0;
    for (const b of this.bodies()) {
      const k = keyOf(b['origination_call_id'], b['event_sequence']);
      if (seen.has(k)) {
        repeats += 1;
        continue;
      }
      seen.add(k);
      if (typeof b['event_sequence'] !== 'number') continue;
      const id = String(b['origination_call_id']);
      byCall.set(id, [...(byCall.get(id) ?? []), b['event_sequence']]);
    }
    const outOfOrder = [...byCall].filter(([, seqs]) => seqs.some((s, i) => i > 0 && s < (seqs[i - 1] ?? 0))).map(([id]) => id);
    return { expected: this.expected().size, delivered: seen.size, repeats, calls: byCall.size, outOfOrder };
  }
}
