import { PUSH_CANCEL_REASONS } from '@legwork/contracts';

const deviceId = { type: 'string', minLength: 1, maxLength: 4096, description: "the device's push id (pn-prid)" };
const callId = { type: 'string', minLength: 1, description: 'the call the push is about' };

/** `POST /v1/call` and `/v1/update-call`. */
export const XON_CALL_BODY = {
  type: 'object',
  required: ['deviceId', 'callId', 'callerName'],
  properties: { deviceId, callId, callerName: { type: 'string', description: 'shown on the device; may be empty' } },
};

/** `POST /v1/cancel-call`. */
export const XON_CANCEL_BODY = {
  type: 'object',
  required: ['deviceId', 'callId', 'reason'],
  properties: { deviceId, callId, reason: { enum: [...PUSH_CANCEL_REASONS] } },
};
