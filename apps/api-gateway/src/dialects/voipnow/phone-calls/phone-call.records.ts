import { createHash } from 'node:crypto';
import type { IdempotencyRepository } from '@legwork/call-state';

/** What link.self needs to find a phone call again: its legs, whose it is, how it was asked for. */
export interface PhoneCallRecord {
  id: string;
  /** The call's account (the extension's). */
  accountId: string;
  ownerId: string;
  deviceId: string;
  /** As the request gave it (or its first source): the second segment of link.self. */
  extension: string;
  /** The sources' legs: each leg's call id and the source (as given) it rings. */
  legs: Array<{ callId: string; source: string }>;
  destination: string;
  createdAt: number;
}

/** The phone call's id, derived from its first leg so a nonce replay (same legs) answers the same id. */
export function phoneCallId(callIds: readonly string[]): string {
  return createHash('sha256').update(callIds[0] ?? '').digest('hex').slice(0, 20);
}

/**
 * Phone calls by id in the call store's keyed, TTL'd answers (the idempotency store: the record is the one answer
 * "which call is this id" ever gets), scoped by the app's account so no other account can name them.
 */
export class PhoneCallRecords {
  constructor(
    private readonly store: Pick<IdempotencyRepository, 'claim' | 'complete' | 'get'>,
    private readonly ttlMs: number,
  ) {}

  async save(scopeAccountId: string, record: PhoneCallRecord): Promise<void> {
    const scope = this.scope(scopeAccountId);
    // a replayed nonce saves the same record again: the first one stands
    if ((await this.store.claim(scope, record.id, this.ttlMs)).status === 'claimed') await this.store.complete(scope, record.id, record);
  }

  async find(scopeAccountId: string, id: string): Promise<PhoneCallRecord | null> {
    if (!/^[0-9a-f]{20}$/.test(id)) return null;
    const state = await this.store.get(this.scope(scopeAccountId), id);
    return state?.status === 'done' ? (state.answer as PhoneCallRecord) : null;
  }

  private scope(accountId: string): string {
    return `voipnow-phone-call:${accountId}`;
  }
}
