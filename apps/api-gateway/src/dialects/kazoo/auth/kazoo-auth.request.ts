import { z } from 'zod';
import type { AccountSelector } from '@legwork/directory';
import { kazooParse } from '../core/kazoo-parse';

const dataOf = (body: unknown): unknown => (typeof body === 'object' && body !== null ? (body as { data?: unknown }).data : undefined);

const apiAuthSchema = z.object({ api_key: z.string().min(1).max(256) });

const userAuthSchema = z
  .object({
    credentials: z.string().regex(/^[0-9a-fA-F]{32}$/, { error: 'must be md5("username:password") in hex' }),
    account_name: z.string().min(1).max(128).optional(),
    account_realm: z.string().min(1).max(253).optional(),
  })
  .refine((d) => d.account_name !== undefined || d.account_realm !== undefined, { error: 'account_name or account_realm is required', path: ['account_name'] });

/** `{"data": {"api_key": "..."}}`. */
export function parseApiAuth(body: unknown): z.output<typeof apiAuthSchema> {
  return kazooParse(apiAuthSchema, dataOf(body) ?? {});
}

/** `{"data": {"credentials": md5, "account_realm" | "account_name": "..."}}`; each selects only by what it names. */
export function parseUserAuth(body: unknown): { credentials: string; account: AccountSelector } {
  const parsed = kazooParse(userAuthSchema, dataOf(body) ?? {});
  const account: AccountSelector = {
    ...(parsed.account_realm !== undefined ? { realm: parsed.account_realm } : {}),
    ...(parsed.account_name !== undefined ? { name: parsed.account_name } : {}),
  };
  return { credentials: parsed.credentials, account };
}

export const apiAuthBodyDoc = {
  type: 'object',
  required: ['data'],
  properties: { data: { type: 'object', required: ['api_key'], properties: { api_key: { type: 'string', description: '64-hex account API key' } } } },
};

export const userAuthBodyDoc = {
  type: 'object',
  required: ['data'],
  properties: {
    data: {
      type: 'object',
      required: ['credentials'],
      properties: {
        credentials: { type: 'string', description: 'md5("username:password")' },
        account_name: { type: 'string' },
        account_realm: { type: 'string', description: 'alternative to account_name' },
      },
    },
  },
};
