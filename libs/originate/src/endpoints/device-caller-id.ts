import type { CallerId } from '@legwork/directory';
import type { NumberPlan } from '../routing/e164';
import { normalizeE164 } from '../routing/e164';

export interface ShownCallerId {
  name?: string;
  number?: string;
}

function present(entry: { name?: string; number?: string } | undefined): ShownCallerId | undefined {
  if (entry === undefined || (entry.name === undefined && entry.number === undefined)) return undefined;
  return { ...(entry.name !== undefined ? { name: entry.name } : {}), ...(entry.number !== undefined ? { number: entry.number } : {}) };
}

/**
 * The id a device shows to whom it calls: external when the dialled number is a public (E.164-reconcilable)
 * one, internal otherwise; the device's own ids first, then its owner's, each falling back to the other kind.
 */
export function endpointCallerId(sources: Array<CallerId | undefined>, dialled: string | undefined, plan: NumberPlan = {}): ShownCallerId | undefined {
  const external = dialled !== undefined && normalizeE164(dialled, plan) !== undefined;
  const order: Array<'external' | 'internal'> = external ? ['external', 'internal'] : ['internal', 'external'];
  for (const kind of order) {
    for (const source of sources) {
      const found = present(source?.[kind]);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
