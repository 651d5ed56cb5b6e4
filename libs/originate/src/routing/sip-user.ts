import { escapeSipUser } from '@legwork/contracts';

/** Escapes a Request-URI user part (RFC 3261 §25.1 `user` characters pass through); the rule lives in @legwork/contracts. */
export function escapeUser(user: string): string {
  return escapeSipUser(user);
}
