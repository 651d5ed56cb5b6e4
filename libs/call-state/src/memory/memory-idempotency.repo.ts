import type { IdempotencyClaim, IdempotencyRepository, IdempotencyState } from '../call-store';
import { check } from '../call-store.validate';
import type { Clock } from '../clock';
import { rememberWith } from '../idempotency.remember';

interface Slot {
  state: IdempotencyState;
  expiresAt: number;
}

export class MemoryIdempotencyRepository implements IdempotencyRepository {
  private readonly slots = new Map<string, Slot>();

  constructor(private readonly clock: Clock) {}

  async claim(scope: string, key: string, ttlMs: number): Promise<IdempotencyClaim> {
    const id = slotId(scope, key);
    check.ttl(ttlMs);
    const slot = this.slot(id);
    if (slot) return cloneState(slot.state);
    this.slots.set(id, { state: { status: 'in_progress' }, expiresAt: this.clock.now() + ttlMs });
    return { status: 'claimed' };
  }

  async complete(scope: string, key: string, answer: unknown): Promise<boolean> {
    const slot = this.slot(slotId(scope, key));
    if (!slot) return false;
    slot.state = { status: 'done', answer: roundTrip(answer) };
    return true;
  }

  async abandon(scope: string, key: string): Promise<void> {
    const id = slotId(scope, key);
    if (this.slot(id)?.state.status === 'in_progress') this.slots.delete(id);
  }

  async get(scope: string, key: string): Promise<IdempotencyState | null> {
    const slot = this.slot(slotId(scope, key));
    return slot ? cloneState(slot.state) : null;
  }

  remember<T>(scope: string, key: string, ttlMs: number, compute: () => Promise<T>): Promise<{ answer: T; replayed: boolean }> {
    return rememberWith(this, scope, key, ttlMs, compute);
  }

  private slot(id: string): Slot | undefined {
    const slot = this.slots.get(id);
    if (slot && slot.expiresAt <= this.clock.now()) {
      this.slots.delete(id);
      return undefined;
    }
    return slot;
  }
}

function slotId(scope: string, key: string): string {
  return JSON.stringify([check.id(scope, 'scope'), check.id(key, 'key')]);
}

/** Answers go through JSON exactly as they would through Redis, so both drivers replay the same thing. */
function roundTrip(answer: unknown): unknown {
  return JSON.parse(JSON.stringify(answer ?? null)) as unknown;
}

function cloneState(state: IdempotencyState): IdempotencyState {
  return state.status === 'done' ? { status: 'done', answer: roundTrip(state.answer) } : { status: 'in_progress' };
}
