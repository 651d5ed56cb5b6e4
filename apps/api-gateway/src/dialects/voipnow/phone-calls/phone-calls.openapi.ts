import { applyDecorators } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';

const numbers = (max: number, description: string) => ({ type: 'array', minItems: 1, maxItems: max, items: { type: 'string', example: '0003*210' }, description });

/** `POST /uapi/phoneCalls/{userId}/simple` (timeouts and flags are query parameters). */
export const PHONE_CALL_BODY = {
  type: 'object',
  required: ['phoneCallView'],
  properties: {
    extension: { type: 'string', description: 'the extension the call is made for' },
    phoneCallView: {
      type: 'array', minItems: 1, maxItems: 10,
      items: {
        type: 'object',
        required: ['source', 'destination'],
        properties: {
          source: numbers(10, 'extensions or public numbers rung at once'),
          destination: numbers(1, 'the number the answered source is connected to'),
          nonce: { type: 'string', minLength: 1, maxLength: 128 },
          callerId: { type: 'string', example: 'Sales <0312341234>' },
          callerIdDestination: { type: 'string', example: 'Sales <0312341234>' },
        },
      },
    },
  },
};

/** `PUT /uapi/phoneCalls/{userId}/{extension}/{id}`. */
export const PHONE_CALL_UPDATE_BODY = {
  type: 'object',
  required: ['action'],
  properties: { action: { enum: ['Hold', 'Unhold', 'Transfer'] }, sendCallTo: { type: 'string', description: 'Transfer: an extension or a phone number' } },
};

/** The user a PhoneCall is made for: `@me`, `@viewer`, `@owner` or a user id. */
export function PhoneCallPath(self = false): MethodDecorator {
  return applyDecorators(
    ApiParam({ name: 'userId', description: '@me, @viewer, @owner or a user id' }),
    ...(self ? [ApiParam({ name: 'extension', description: 'the extension of the PhoneCall' }), ApiParam({ name: 'id', description: 'the PhoneCall id' })] : []),
  );
}
