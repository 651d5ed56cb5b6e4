/** `POST /api/v1/auth/token`. */
export const TOKEN_BODY = {
  type: 'object',
  required: ['username', 'password'],
  properties: { username: { type: 'string', example: 'jane@acme.legwork.local', description: "a user's login@realm or a netaxis API client id" }, password: { type: 'string' } },
};
