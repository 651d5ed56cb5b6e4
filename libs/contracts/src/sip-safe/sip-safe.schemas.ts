import { z } from 'zod';
import {
  callIdProblem, displayNameProblem, headerNameProblem, headerValueProblem, sipHostProblem, sipUriProblem, sipUserProblem,
} from './sip-text.rules';

type Problem = (value: string) => string | undefined;

/** The one refinement every SIP-bound string field uses; `rule` names the check for the directory's Kazoo-style errors. */
export function sipSafe(problem: Problem, rule = 'format'): (value: string, ctx: z.RefinementCtx) => void {
  return (value, ctx) => {
    const why = problem(value);
    if (why !== undefined) ctx.addIssue({ code: 'custom', message: why, params: { rule } });
  };
}

const text = (problem: Problem) => z.string({ error: 'must be a string' }).superRefine(sipSafe(problem));

/** String schemas for fields that reach a SIP header or URI. */
export const sipText = {
  /** URI user parts: numbers, extensions, SIP usernames. */
  user: text(sipUserProblem),
  /** Display names (caller id names). */
  displayName: text(displayNameProblem),
  headerName: text(headerNameProblem),
  headerValue: text(headerValueProblem),
  host: text(sipHostProblem),
  callId: text(callIdProblem),
  /** A SIP URI or a route (`sip:1001@realm`, `+14155550100`). */
  uri: text(sipUriProblem),
};

/** Custom-SIP-Headers: header names and values, numbers allowed as values (Kazoo sends them). */
export const safeCustomSipHeaders = z
  .record(z.string(), z.union([z.string(), z.number()]), { error: 'must be an object of header name to string value' })
  .superRefine((headers, ctx) => {
    for (const [name, value] of Object.entries(headers)) {
      const why = headerNameProblem(name.trim()) ?? (typeof value === 'string' ? headerValueProblem(value) : undefined);
      if (why !== undefined) ctx.addIssue({ code: 'custom', path: [name], message: why, params: { rule: 'format' } });
    }
  });
