const str = { type: 'string' };
const idOrNumber = { oneOf: [{ type: 'string' }, { type: 'integer' }] };

/** call_user's parameters as the seed lists them (one user_* and at most one group_* selector). */
export const CALL_USER_BODY = {
  type: 'object',
  required: ['destination'],
  properties: {
    user_id: idOrNumber, user_name: str, user_label: str, user_extension: idOrNumber, user_did: idOrNumber, user_email: str,
    answer_timeout: { type: 'integer', minimum: 1, default: 180 },
    destination: {
      oneOf: [
        { type: 'string', example: '0312341234', description: 'a number, user name or extension; or {key=value,...}NUMBER' },
        {
          type: 'object',
          required: ['called_number'],
          properties: { called_number: str, calling_number: str, end_user: { type: 'object', additionalProperties: { type: 'string' } } },
        },
      ],
    },
    callback_url: { type: 'string', format: 'uri' },
    auto_answer: { type: 'boolean', default: false },
    calling_name: str,
    group_id: str, group_name: str, group_label: str, group_extension: idOrNumber, group_did: idOrNumber,
    group_resolver: { enum: ['*', 'any:CALL_CENTER'] },
  },
};

export const CALL_USER_REPLY = { type: 'object', properties: { result_code: { enum: [0] }, uuids: { type: 'array', items: str } } };

export const CALL_USER_ERROR = {
  type: 'object',
  properties: { result_code: { enum: [500] }, error: { type: 'object', properties: { id: str, field: str, message: str } } },
};
