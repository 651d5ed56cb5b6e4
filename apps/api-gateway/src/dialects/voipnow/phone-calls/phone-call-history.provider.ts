import { Inject, Injectable } from '@nestjs/common';
import type { CdrStore } from '@legwork/cdr';
import { CDR_STORE } from '../../../core/infra.tokens';

/** The CDRs of ended legs (the gateway core's writer keeps them), for link.self once call-state let go. */
@Injectable()
export class PhoneCallHistory {
  constructor(@Inject(CDR_STORE) private readonly store: CdrStore) {}

  async get(accountId: string, callId: string): Promise<Record<string, unknown> | null> {
    return (await this.store.get(accountId, callId))?.doc ?? null;
  }
}
