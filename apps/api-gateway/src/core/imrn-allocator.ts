import type { ImrnBinding, ImrnRepository } from '@legwork/call-state';
import { type Account, imrnNumbers } from '@legwork/directory';
import { z } from 'zod';

/** IMRN settings every dialect shares, read from the environment. */
export const imrnConfigSchema = z.object({
  /** How long a reserved IMRN waits for its inbound call, seconds. */
  IMRN_TTL_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
});

export function readImrnConfig(env: Record<string, string | undefined> = process.env): { ttlSeconds: number } {
  const parsed = imrnConfigSchema.safeParse(env);
  if (!parsed.success) throw new Error(`invalid IMRN configuration: ${z.prettifyError(parsed.error)}`);
  return { ttlSeconds: parsed.data.IMRN_TTL_SECONDS };
}

/** Reserves a routing number of an account's pool (its `imrn_ranges`) for one inbound call; null when none is free. */
export class ImrnAllocator {
  constructor(
    private readonly imrns: ImrnRepository,
    readonly ttlSeconds: number,
  ) {}

  async allocate(account: Pick<Account, 'id' | 'imrn_ranges'>, binding: Omit<ImrnBinding, 'accountId'>): Promise<string | null> {
    const pool = imrnNumbers(account.imrn_ranges ?? []);
    if (pool.length === 0) return null;
    return this.imrns.allocate(pool, { ...binding, accountId: account.id }, this.ttlSeconds * 1000);
  }
}
