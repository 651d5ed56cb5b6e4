import { CallStateError, type IdempotencyRepository } from '@legwork/call-state';
import { OriginationClientError } from './origination-client.errors';
import type { IdempotencyOptions, OriginateOutcome } from './origination-client';
import type { Outcome } from './originate.publisher';

/** What the store keeps under a key: the request's fingerprint beside its outcome. */
interface Remembered {
  fingerprint: string;
  outcome: Outcome;
}

const isRemembered = (v: unknown): v is Remembered =>
  typeof v === 'object' && v !== null && typeof (v as Remembered).fingerprint === 'string' && typeof (v as Remembered).outcome === 'object';

/** Keys never collide across dialects or accounts. */
export const idempotencyScope = (o: Pick<IdempotencyOptions, 'dialect' | 'accountId'>): string => `originate:${o.dialect}:${o.accountId}`;

/**
 * Runs `run` once per dialect + account + key: a repeat with the same fingerprint answers the first outcome
 * (replayed), one with another fingerprint is an `idempotency_conflict`, one while the first runs `idempotency_in_progress`.
 */
export async function rememberOutcome(repo: IdempotencyRepository, o: IdempotencyOptions, fingerprint: string, run: () => Promise<Outcome>): Promise<OriginateOutcome> {
  const details = { dialect: o.dialect, accountId: o.accountId, key: o.key };
  let remembered: { answer: unknown; replayed: boolean };
  try {
    remembered = await repo.remember(idempotencyScope(o), o.key, o.ttlMs, async (): Promise<Remembered> => ({ fingerprint, outcome: await run() }));
  } catch (err) {
    if (err instanceof CallStateError && err.code === 'idempotency_in_progress') {
      throw new OriginationClientError('idempotency_in_progress', 'a request with this idempotency key is still running', details);
    }
    throw err;
  }
  const { answer, replayed } = remembered;
  // an answer of another shape was not written by this client: never replay it as an outcome
  if (!isRemembered(answer) || answer.fingerprint !== fingerprint) {
    throw new OriginationClientError('idempotency_conflict', 'this idempotency key was used with a different request', details);
  }
  return { ...answer.outcome, replayed } as OriginateOutcome;
}
