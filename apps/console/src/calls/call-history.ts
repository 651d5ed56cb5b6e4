import { mergeTimelines, type TimelineEntry } from './call-facts';
import type { CallMap } from './live-calls';

/** A call's history subscribes 9 bindings per leg and a connection takes 100: legs beyond this many are left out. */
export const MAX_LEGS = 8;

/** A timeline line with the leg it is about. */
export type CallTimelineEntry = TimelineEntry & { leg: string };

/** Whose Event-Sequence a leg counts in: its call's first leg, itself when no event named one yet. */
const originationOf = (calls: CallMap, leg: string): string => calls.get(leg)?.origination ?? leg;

/**
 * The legs of the call `root` belongs to that the events seen so far name: each bridge names the other party, so
 * following them finds every leg (a transfer's new one too), at most MAX_LEGS.
 */
export function legsOf(calls: CallMap, root: string): string[] {
  const legs = [root];
  for (let i = 0; i < legs.length && legs.length < MAX_LEGS; i++) {
    const leg = calls.get(legs[i] ?? '');
    const named = [leg?.otherLeg, ...(leg?.timeline.map((t) => t.peer) ?? [])];
    for (const other of named) if (other !== undefined && !legs.includes(other) && legs.length < MAX_LEGS) legs.push(other);
  }
  // the page's leg first, the rest in a fixed order: the stream is opened again only when a leg is new
  return [root, ...legs.slice(1).sort()];
}

/**
 * The whole call as one timeline: every event of each leg that counts in the root's sequence, each once, in
 * Event-Sequence order. Legs of another call (a leg bridged in from elsewhere) keep their own numbers and stay out.
 */
export function callTimeline(root: string, legs: readonly string[], ...maps: CallMap[]): CallTimelineEntry[] {
  const merged = maps.reduce<Map<string, CallTimelineEntry[]>>((acc, calls) => {
    for (const leg of legs) {
      const call = calls.get(leg);
      if (call === undefined || originationOf(calls, leg) !== originationOf(calls, root)) continue;
      acc.set(leg, [...(acc.get(leg) ?? []), ...call.timeline.map((t) => ({ ...t, leg }))]);
    }
    return acc;
  }, new Map());
  return mergeTimelines(...merged.values());
}
