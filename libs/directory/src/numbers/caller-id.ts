import { sanitizeDisplayName, sipUserProblem } from '@legwork/contracts';
import type { CallerId } from '../schemas/common.schema';
import { normalizeE164, type NumberPlan } from './e164-compat';

export interface ShownCallerId {
  name?: string;
  number?: string;
}

/**
 * A stored caller id made safe to present: data written before the directory validated caller ids may hold
 * CR/LF or `<>`; such a name is shown with those characters as spaces, such a number is not shown at all.
 */
function present(entry: { name?: string; number?: string } | undefined): ShownCallerId | undefined {
  const name = entry?.name !== undefined ? sanitizeDisplayName(entry.name) : '';
  const number = entry?.number !== undefined && sipUserProblem(entry.number) === undefined ? entry.number : undefined;
  if (name === '' && number === undefined) return undefined;
  return { ...(name !== '' ? { name } : {}), ...(number !== undefined ? { number } : {}) };
}

/**
 * The id a device shows to whom it calls: external when the dialled number is a public (E.164-reconcilable)
 * one, internal otherwise; the device's own ids first, then its owner's, each falling back to the other kind.
 */
export function endpointCallerId(sources: Array<CallerId | undefined>, dialled: string | undefined, plan: NumberPlan = {}): ShownCallerId | undefined {
  // parsing the dialled number is most of the cost, and without any id there is nothing to choose between
  if (!sources.some((source) => source?.external !== undefined || source?.internal !== undefined)) return undefined;
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
