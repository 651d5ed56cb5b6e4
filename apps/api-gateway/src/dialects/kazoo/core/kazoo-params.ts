import { kazooValidationError, type KazooIssue } from './kazoo.contract';

/** Account ids are Kazoo ids; anything else names no account (answered like a foreign one, without a lookup). */
export const ACCOUNT_ID = /^[0-9a-f]{32}$/;

/** Document ids; call and CDR ids are SIP Call-IDs (printable ASCII, as the call store bounds them). */
const DOC_ID = /^[A-Za-z0-9_-]{1,128}$/;
const CALL_ID = /^[\x21-\x7e]{1,256}$/;
const RULES: Record<string, { pattern: RegExp; message: string }> = {
  id: { pattern: DOC_ID, message: 'must be an id of at most 128 letters, digits, _ or -' },
  endpointId: { pattern: DOC_ID, message: 'must be an id of at most 128 letters, digits, _ or -' },
  callId: { pattern: CALL_ID, message: 'must be a call id of at most 256 printable characters' },
  cdrId: { pattern: CALL_ID, message: 'must be a call id of at most 256 printable characters' },
};
const MAX_PARAM = 256;

/** Path parameters are bounded where they enter: 400 naming the parameter, never a store key built from junk. */
export function checkPathParams(params: Record<string, string | undefined>): void {
  const issues: KazooIssue[] = [];
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || name === 'accountId') continue;
    const rule = RULES[name];
    if (rule !== undefined && !rule.pattern.test(value)) issues.push({ field: name, rule: value.length > 128 ? 'maxLength' : 'pattern', message: rule.message });
    else if (rule === undefined && value.length > MAX_PARAM) issues.push({ field: name, rule: 'maxLength', message: `must be at most ${MAX_PARAM} characters` });
  }
  if (issues.length > 0) throw kazooValidationError(issues);
}

/** Idempotency-Key: at most 256 printable ASCII characters (it becomes part of a store key). */
export function checkIdempotencyKey(key: string | undefined): string | undefined {
  if (key === undefined || key === '') return undefined;
  if (!/^[\x21-\x7e]{1,256}$/.test(key)) throw kazooValidationError([{ field: 'idempotency_key', rule: key.length > 256 ? 'maxLength' : 'pattern', message: 'must be at most 256 printable ASCII characters' }]);
  return key;
}
