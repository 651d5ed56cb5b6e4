import { sipText } from '@legwork/contracts';
import { z } from 'zod';

export const CHANNEL_ACTIONS = ['hangup', 'hold', 'unhold', 'transfer', 'intercept', 'record'] as const;
/** A `record` action's own `action` in Kazoo's record_call: start or stop. */
export const RECORD_ACTIONS = ['start', 'stop'] as const;
export type ChannelAction = (typeof CHANNEL_ACTIONS)[number];

/**
 * `PUT /channels/{id}` body: Kazoo's `{"data":{"action":…}}`; a transfer names its `target` (an extension or number),
 * an intercept its `target_type` (`device` or `user`) and `target_id`, a record its `record_action`.
 */
export const channelActionSchema = z.object({
  data: z
    .object({
      action: z.enum(CHANNEL_ACTIONS, { error: `must be one of ${CHANNEL_ACTIONS.join(', ')}` }),
      target: sipText.uri.optional(),
      target_type: z.enum(['device', 'user'], { error: 'must be device or user' }).optional(),
      target_id: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'must be a device or user id').optional(),
      record_action: z.enum(RECORD_ACTIONS, { error: `must be one of ${RECORD_ACTIONS.join(', ')}` }).optional(),
    })
    .superRefine((data, ctx) => {
      // a missing target is Kazoo's `required`, as for any required field
      if (data.action === 'transfer' && (data.target === undefined || data.target.trim() === '')) ctx.addIssue({ code: 'invalid_type', expected: 'string', input: undefined, path: ['target'], message: 'action transfer requires target' });
      for (const field of ['target_type', 'target_id'] as const) {
        if (data.action === 'intercept' && data[field] === undefined) ctx.addIssue({ code: 'invalid_type', expected: 'string', input: undefined, path: [field], message: `action intercept requires ${field}` });
      }
      if (data.action === 'record' && data.record_action === undefined) ctx.addIssue({ code: 'invalid_type', expected: 'string', input: undefined, path: ['record_action'], message: 'action record requires record_action (start or stop)' });
    }),
});
export type ChannelActionBody = z.infer<typeof channelActionSchema>['data'];
