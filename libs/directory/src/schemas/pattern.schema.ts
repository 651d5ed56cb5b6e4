import { userPatternProblem } from '@legwork/common';
import { z } from 'zod';

/** A user-supplied pattern: RE2 syntax (linear time), bounded in length, refused at write time when RE2 cannot compile it. */
export const userPatternSchema = z.string().superRefine((source, ctx) => {
  const why = userPatternProblem(source);
  if (why !== undefined) ctx.addIssue({ code: 'custom', message: why, params: { rule: 'pattern' } });
});
