import { displayNameProblem, sipSafe, sipUserProblem } from '@legwork/contracts';
import { z } from 'zod';

/** C0 and C1 control characters and DEL: never part of a name, a number or a URL, and they break SIP headers and logs. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** A UTF-16 surrogate without its pair (JSON can carry one as a `\\ud800` escape): text with no UTF-8 form. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a string may not be stored, or undefined when it may. Every string of every directory document passes here. */
export function unsafeTextReason(value: string): string | undefined {
  if (CONTROL.test(value)) return 'must not contain control characters (NUL, CR, LF, ESC, ...)';
  if (LONE_SURROGATE.test(value)) return 'must be valid Unicode text';
  return undefined;
}

export const kazooIdSchema = z.string().regex(/^[0-9a-f]{32}$/, 'must be a 32 character hex id');

const HOST_LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
export const REALM_PATTERN = new RegExp(`^${HOST_LABEL}(?:\\.${HOST_LABEL})*$`);

/** SIP realms are host names: compared and stored lowercase. */
export const realmSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(REALM_PATTERN, 'must be a host name such as acme.legwork.local');

export const timezoneSchema = z.string().refine(isTimezone, { message: 'must be an IANA time zone', params: { rule: 'format' } });

function isTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

// caller ids end up in From/P-Asserted-Identity: the shared SIP-safety rules apply where they are written
const callerIdEntrySchema = z.object({
  name: z.string().max(128).superRefine(sipSafe(displayNameProblem)).optional(),
  number: z.string().max(64).superRefine(sipSafe(sipUserProblem)).optional(),
});

export const callerIdSchema = z.object({
  internal: callerIdEntrySchema.optional(),
  external: callerIdEntrySchema.optional(),
  emergency: callerIdEntrySchema.optional(),
});

export type CallerId = z.output<typeof callerIdSchema>;
