import { WEBHOOK_EVENTS } from '@legwork/directory';

const hook = {
  type: 'object',
  required: ['name', 'uri', 'hook'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 128 },
    uri: { type: 'string', format: 'uri', example: 'https://crm.example.com/hooks/calls' },
    http_verb: { enum: ['get', 'post', 'put'] },
    hook: { enum: [...WEBHOOK_EVENTS] },
    retries: { type: 'integer', minimum: 0, maximum: 4 },
    custom_data: { type: 'object', additionalProperties: { type: 'string', maxLength: 1024 } },
    include_subaccounts: { type: 'boolean' },
    include_internal_legs: { type: 'boolean' },
    modifiers: { type: 'object', description: 'payload field → value (or values) the event must carry' },
    format: { enum: ['form-data', 'json'] },
    enabled: { type: 'boolean' },
  },
};

/** `PUT …/webhooks` and `POST …/webhooks/{id}`: the whole hook. */
export const WEBHOOK_BODY = { type: 'object', required: ['data'], properties: { data: hook } };
/** `PATCH …/webhooks/{id}`. */
export const WEBHOOK_PATCH_BODY = { type: 'object', required: ['data'], properties: { data: { type: 'object', description: 'JSON merge patch (RFC 7396) of the hook' } } };
/** `PATCH …/webhooks`: re-enable every hook of the account. */
export const WEBHOOKS_REENABLE_BODY = { type: 'object', required: ['data'], properties: { data: { type: 'object', required: ['re-enable'], properties: { 're-enable': { enum: [true] } } } } };
