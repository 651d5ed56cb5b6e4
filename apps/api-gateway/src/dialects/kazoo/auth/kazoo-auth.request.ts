import { z } from 'zod';
import type { AccountSelector } from '@legwork/directory';
import { kazooValidationError } from '../core/kazoo.contract';
import { kazooParse } from '../core/kazoo-parse';

const dataOf = (body: unknown): unknown => (typeof body === 'object' && body !== null ? (body as { data?: unknown }).data : undefined);

/** Kazoo's api_auth schema: exactly 64 characters. */
const API_KEY_LENGTH = 64;

const apiAuthSchema = z.object({ api_key: z.string() });

export type CredentialsMethod = 'md5' | 'sha';

/** Hex length of each method's hash of "username:password". */
const HASH_HEX: Record<CredentialsMethod, RegExp> = { md5: /^[0-9a-fA-F]{32}$/, sha: /^[0-9a-fA-F]{40}$/ };

const userAuthSchema = z
  .object({
    credentials: z.string().min(1).max(64),
    method: z.enum(['md5', 'sha']).default('md5'),
    account_name: z.string().min(1).max(128).optional(),
    account_realm: z.string().min(1).max(253).optional(),
    phone_number: z.string().min(1).max(64).optional(),
  })
  .refine((d) => d.account_name !== undefined || d.account_realm !== undefined || d.phone_number !== undefined, {
    error: 'account_name, account_realm or phone_number is required',
    path: ['account_name'],
  })
  .refine((d) => HASH_HEX[d.method].test(d.credentials), {
    error: 'must be md5 (method md5, 32 hex) or sha1 (method sha, 40 hex) of "username:password"',
    path: ['credentials'],
  });

/** `{"data": {"api_key": "..."}}`; a key of another length is refused as kz_json_schema does, without echoing it. */
export function parseApiAuth(body: unknown): z.output<typeof apiAuthSchema> {
  const parsed = kazooParse(apiAuthSchema, dataOf(body) ?? {});
  const length = parsed.api_key.length;
  if (length < API_KEY_LENGTH) throw kazooValidationError([{ field: 'api_key', rule: 'minLength', message: `String must be at least ${API_KEY_LENGTH} characters`, target: API_KEY_LENGTH }]);
  if (length > API_KEY_LENGTH) throw kazooValidationError([{ field: 'api_key', rule: 'maxLength', message: `String must not be more than ${API_KEY_LENGTH} characters`, target: API_KEY_LENGTH }]);
  return parsed;
}

export interface UserAuthRequest {
  credentials: string;
  method: CredentialsMethod;
  account: AccountSelector;
}

/** `{"data": {"credentials", "method"?, "phone_number" | "account_realm" | "account_name"}}`; each selects only by what it names. */
export function parseUserAuth(body: unknown): UserAuthRequest {
  const parsed = kazooParse(userAuthSchema, dataOf(body) ?? {});
  const account: AccountSelector = {
    ...(parsed.phone_number !== undefined ? { phoneNumber: parsed.phone_number } : {}),
    ...(parsed.account_realm !== undefined ? { realm: parsed.account_realm } : {}),
    ...(parsed.account_name !== undefined ? { name: parsed.account_name } : {}),
  };
  return { credentials: parsed.credentials, method: parsed.method, account };
}

export const apiAuthBodyDoc = {
  type: 'object',
  required: ['data'],
  properties: {
    data: { type: 'object', required: ['api_key'], properties: { api_key: { type: 'string', minLength: 64, maxLength: 64, description: '64-hex account API key' } } },
  },
};

export const userAuthBodyDoc = {
  type: 'object',
  required: ['data'],
  properties: {
    data: {
      type: 'object',
      required: ['credentials'],
      properties: {
        credentials: { type: 'string', description: 'md5 (method md5) or sha1 (method sha) of "username:password", hex' },
        method: { type: 'string', enum: ['md5', 'sha'], default: 'md5' },
        account_name: { type: 'string' },
        account_realm: { type: 'string', description: 'alternative to account_name' },
        phone_number: { type: 'string', description: "a DID of one of the account's users or groups; tried first" },
      },
    },
  },
};
