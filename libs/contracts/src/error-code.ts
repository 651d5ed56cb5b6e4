const LEGWORK_CODE = /^[a-z][a-z0-9_]{0,63}$/;
const SWITCH_CAUSE = /^[A-Z][A-Z0-9_]{0,63}$/;

/**
 * The stable `Error-Code` of an originate failure from its Error-Message: Legwork's own codes
 * (`channel_limit_reached`) as they are, a switch hangup cause (`NO_ANSWER`) in lower case, anything
 * else (free text) `originate_failed`. Never prose.
 */
export function originateErrorCode(errorMessage: string): string {
  if (LEGWORK_CODE.test(errorMessage)) return errorMessage;
  if (SWITCH_CAUSE.test(errorMessage)) return errorMessage.toLowerCase();
  return 'originate_failed';
}
