import { CHANNEL_ACTIONS, RECORD_ACTIONS } from './channel-action.contract';

/** `PUT`/`POST …/channels/{callId}`: one action on a live channel. */
export const CHANNEL_ACTION_BODY = {
  type: 'object',
  required: ['data'],
  properties: {
    data: {
      type: 'object',
      required: ['action'],
      properties: {
        action: { enum: [...CHANNEL_ACTIONS] },
        target: { type: 'string', description: 'transfer: an extension or number' },
        target_type: { enum: ['device', 'user'], description: 'intercept' },
        target_id: { type: 'string', description: 'intercept: the device or user id' },
        record_action: { enum: [...RECORD_ACTIONS], description: 'record' },
      },
    },
  },
};
