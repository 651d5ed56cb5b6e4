import { CallStateError } from './call-state.errors';
import type { IdempotencyRepository } from './call-store';

type Primitives = Pick<IdempotencyRepository, 'claim' | 'complete' | 'abandon'>;

/** The claim/compute/complete dance shared by both drivers; a failed compute frees the key for a retry. */
export async function rememberWith<T>(
  repo: Primitives,
  scope: string,
  key: string,
  ttlMs: number,
  compute: () => Promise<T>,
): Promise<{ answer: T; replayed: boolean }> {
  const claim = await repo.claim(scope, key, ttlMs);
  if (claim.status === 'done') return { answer: claim.answer as T, replayed: true };
  if (claim.status === 'in_progress') {
    throw new CallStateError('idempotency_in_progress', 'a request with this key is still running', { scope, key });
  }
  let answer: T;
  try {
    answer = await compute();
  } catch (err) {
    await repo.abandon(scope, key);
    throw err;
  }
  await repo.complete(scope, key, answer);
  return { answer, replayed: false };
}
