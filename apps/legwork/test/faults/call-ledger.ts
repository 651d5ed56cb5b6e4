import { waitFor } from '@legwork/common/testing';
import type { Json } from '../kazoo-platform.fixture';

/** What became of one accepted call: every leg it created ended, or the platform reported it failed. */
export interface CallFate {
  callId: string;
  legs: string[];
  destroyed: string[];
  failed: boolean;
}

/** The accepted calls' fates, read from the call events seen (bus or event log, Kazoo's wire names). */
export function fates(callIds: readonly string[], events: readonly Json[]): CallFate[] {
  const byOrigin = new Map<string, Json[]>();
  const failed = new Set<string>();
  for (const e of events) {
    if (e['Event-Name'] === 'originate_failed') {
      for (const id of [e['Call-ID'], ...((e['Outbound-Call-IDs'] as unknown[] | undefined) ?? [])]) if (typeof id === 'string') failed.add(id);
      continue;
    }
    const origin = String(e['Origination-Call-ID'] ?? e['Call-ID']);
    byOrigin.set(origin, [...(byOrigin.get(origin) ?? []), e]);
  }
  return callIds.map((callId) => {
    const mine = byOrigin.get(callId) ?? [];
    const legs = [...new Set(mine.filter((e) => e['Event-Name'] === 'CHANNEL_CREATE').map((e) => String(e['Call-ID'])))];
    const destroyed = [...new Set(mine.filter((e) => e['Event-Name'] === 'CHANNEL_DESTROY').map((e) => String(e['Call-ID'])))];
    return { callId, legs, destroyed, failed: failed.has(callId) };
  });
}

/** Carried out (some leg, every leg destroyed) or reported failed; anything else was lost. */
export function lost(all: readonly CallFate[]): CallFate[] {
  return all.filter((f) => !f.failed && (f.legs.length === 0 || f.legs.some((l) => !f.destroyed.includes(l))));
}

/** The one line each case prints: what it counted. */
export function report(label: string, counts: Record<string, unknown>): void {
  process.stdout.write(`\n[fault] ${label}: ${Object.entries(counts).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(' ')}\n`);
}

/** Gives every accepted call time to end or be reported failed, then reads their fates (the case asserts on them). */
export async function settledFates(accepted: readonly string[], seen: () => Json[] | Promise<Json[]>): Promise<CallFate[]> {
  await waitFor(async () => lost(fates(accepted, await seen())).length === 0, { message: 'every accepted call ended or reported failed', timeoutMs: 90_000, intervalMs: 500 }).catch(() => undefined);
  return fates(accepted, await seen());
}
