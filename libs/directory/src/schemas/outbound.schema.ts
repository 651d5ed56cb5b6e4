import { userPatternProblem } from '@legwork/common';
import { sipUserProblem } from '@legwork/contracts';
import { z } from 'zod';
import { userPatternSchema } from './pattern.schema';

/** Destination number classes (libphonenumber's types); `unknown` is a number it cannot classify. */
export const NUMBER_CLASSES = [
  'premium_rate', 'shared_cost', 'toll_free', 'fixed_line', 'mobile', 'fixed_line_or_mobile', 'voip', 'personal_number', 'pager', 'uan', 'voicemail', 'unknown',
] as const;
export type NumberClass = (typeof NUMBER_CLASSES)[number];

/** What an account denies when it says nothing: numbers that cost the caller per minute. */
export const DEFAULT_DENIED_CLASSES: readonly NumberClass[] = ['premium_rate', 'shared_cost'];

const classList = z.array(z.enum(NUMBER_CLASSES)).max(NUMBER_CLASSES.length);
const patternList = z.array(userPatternSchema).max(50);

/** Where calls to numbers may go; a user's rules can only narrow its account's. */
export const outboundRulesSchema = z.object({
  /** Refused classes; the account default is DEFAULT_DENIED_CLASSES ([] allows every class). */
  deny_classes: classList.optional(),
  /** When set, only these classes are allowed. */
  allow_classes: classList.optional(),
  /** false: only numbers of the account's `country` (needs one). */
  allow_international: z.boolean().optional(),
  /** When set, the E.164 destination must match one (RE2). */
  allow_patterns: patternList.optional(),
  deny_patterns: patternList.optional(),
});

// an owned caller id: a number as presented (E.164 or national) or an RE2 pattern over the E.164 form
const callerIdNumberSchema = z.string().superRefine((value, ctx) => {
  const why = /^\+?[0-9]+$/.test(value) ? sipUserProblem(value) : userPatternProblem(value);
  if (why !== undefined) ctx.addIssue({ code: 'custom', message: why, params: { rule: 'pattern' } });
});

export const accountOutboundSchema = outboundRulesSchema.extend({
  /** Caller-id numbers the account may present to carriers besides its users' and devices' own. */
  caller_id_numbers: z.array(callerIdNumberSchema).max(200).optional(),
});

export type OutboundRules = z.output<typeof outboundRulesSchema>;
export type AccountOutbound = z.output<typeof accountOutboundSchema>;
