import { DirectoryError, type FieldViolation } from '../directory.error';
import { normalizeNumber, phoneNumberProblem } from '../numbers/phone-number';
import type { Account } from '../schemas/account.schema';

/**
 * DIDs and mobile numbers as stored: E.164, read with the account's country (national numbers need one),
 * duplicates within the document dropped. Every number that does not read is named in one `invalid_document`.
 */
export function withE164Numbers<T extends { dids?: string[]; mobile_number?: string }>(fields: T, account: Pick<Account, 'country'>): T {
  const ctx = account.country === undefined ? {} : { country: account.country };
  const violations: FieldViolation[] = [];
  const read = (value: string, field: string): string | undefined => {
    const e164 = normalizeNumber(value, ctx);
    if (e164 === undefined) violations.push({ field, rule: 'format', message: phoneNumberProblem(value, ctx) ?? 'must be a phone number' });
    return e164;
  };
  const out = { ...fields };
  if (fields.dids !== undefined) out.dids = [...new Set(fields.dids.map((d, i) => read(d, `dids.${i}`)).filter((d): d is string => d !== undefined))];
  if (fields.mobile_number !== undefined) out.mobile_number = read(fields.mobile_number, 'mobile_number');
  if (violations.length > 0) throw DirectoryError.invalid(violations);
  return out;
}
