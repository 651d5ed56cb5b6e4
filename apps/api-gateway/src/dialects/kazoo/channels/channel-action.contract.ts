import { sipText } from '@legwork/contracts';
import { z } from 'zod';

export const CHANNEL_ACTIONS = ['hangup', 'hold', 'unhold', 'transfer'] as const;
export type ChannelAction = (typeof CHANNEL_ACTIONS)[number];

/** `PUT /channels/{id}` body: Kazoo's `{"data":{"action":…}}`; a transfer names its `target` (an extension or number). */
export const channelActionSchema = z.object({
  data: z
    .object({
      action: z.enum(CHANNEL_ACTIONS, { error: `must be one of ${CHANNEL_ACTIONS.join(', ')}` }),
      target: sipText.uri.optional(),
    })
    .superRefine((data, ctx) => {
      // a missing target is Kazoo's `required`, as for any required field
      if (data.action === 'transfer' && (data.target === undefined || data.target.trim() === '')) ctx.addIssue({ code: 'invalid_type', expected: 'string', input: undefined, path: ['target'], message: 'action transfer requires target' });
    }),
});
export type ChannelActionBody = z.infer<typeof channelActionSchema>['data'];
