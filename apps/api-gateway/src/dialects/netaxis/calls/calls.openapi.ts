import { applyDecorators } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { CALL_ACTIONS } from './call.request';

const phoneNumber = { type: 'string', example: '+3212345678', description: 'a phone number or an extension' };

/** The path every call-service route lives under. */
export function NetaxisCallPath(withCallId = false): MethodDecorator {
  return applyDecorators(
    ApiParam({ name: 'tenantId', description: 'the tenant (account) id' }),
    ApiParam({ name: 'groupId', description: 'the group id' }),
    ApiParam({ name: 'userId', description: 'the user id' }),
    ...(withCallId ? [ApiParam({ name: 'callId', description: 'the call id' })] : []),
  );
}

/** `POST …/calls`: click-to-dial. */
export const CLICK_TO_DIAL_BODY = { type: 'object', required: ['phoneNumber'], properties: { phoneNumber } };

/** `POST …/calls/imrn`. */
export const IMRN_BODY = { type: 'object', required: ['phoneNumber', 'callingPhoneNumber'], properties: { phoneNumber, callingPhoneNumber: phoneNumber } };

/** `GET …/calls`: the seed sends its flag as a body. */
export const LIST_BODY = { type: 'object', properties: { includeDetails: { type: 'boolean' } } };

/** `PUT …/calls/{callId}`: one action, with the number or call it needs. */
export const CALL_ACTION_BODY = {
  type: 'object',
  required: ['action'],
  properties: { action: { enum: [...CALL_ACTIONS] }, phoneNumber: { ...phoneNumber, description: 'blindTransfer' }, transferCallId: { type: 'string', description: 'consultativeTransfer' } },
};
