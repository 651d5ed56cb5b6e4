import type { FieldViolation } from '../directory.error';
import type { Account, AccountLimits } from '../schemas/account.schema';

const LIMIT_FIELDS: Array<{ field: string; of: (l: AccountLimits) => number | undefined }> = [
  { field: 'max_concurrent_channels', of: (l) => l.max_concurrent_channels },
  { field: 'calls_per_second', of: (l) => l.calls_per_second },
  { field: 'api_bucket.burst', of: (l) => l.api_bucket?.burst },
  { field: 'api_bucket.refill_per_second', of: (l) => l.api_bucket?.refill_per_second },
];

const defined = (values: Array<number | undefined>): number[] => values.filter((v): v is number => v !== undefined);

/**
 * A limit never exceeds the tightest one set above it, and is never set below one a sub-account already
 * has (lower the sub-accounts first). An absent limit means "no own cap": the ancestors' still apply,
 * because usage is counted along the whole ancestry.
 */
export function limitViolations(limits: AccountLimits, ancestors: Account[], children: Account[]): FieldViolation[] {
  const out: FieldViolation[] = [];
  for (const { field, of } of LIMIT_FIELDS) {
    const value = of(limits);
    if (value === undefined) continue;
    const caps = defined(ancestors.map((a) => of(a.limits)));
    const cap = caps.length > 0 ? Math.min(...caps) : undefined;
    if (cap !== undefined && value > cap) out.push({ field: `limits.${field}`, rule: 'maximum', message: `must be at most ${cap}, the limit of a parent account` });
    const held = defined(children.map((c) => of(c.limits)));
    const floor = held.length > 0 ? Math.max(...held) : undefined;
    if (floor !== undefined && value < floor) {
      out.push({ field: `limits.${field}`, rule: 'minimum', message: `must be at least ${floor}: a sub-account has that limit; lower the sub-account first` });
    }
  }
  return out;
}

export function sameLimits(a: AccountLimits, b: AccountLimits): boolean {
  return LIMIT_FIELDS.every(({ of }) => of(a) === of(b));
}
