import { displayNameProblem, sipSafe, sipUserProblem } from '@legwork/contracts';
import { z } from 'zod';

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
