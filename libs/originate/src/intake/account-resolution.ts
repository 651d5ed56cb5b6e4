import type { OriginateRequest } from '@legwork/contracts';

/** What account resolution needs from the directory. */
export interface AccountsByRealm {
  findByRealm(realm: string): Promise<{ id: string } | null>;
}

export type AccountResolution = { ok: true; accountId: string } | { ok: false; reason: string };

const MISSING = 'Account-ID: is required (envelope or Custom-Channel-Vars)';

/** Account from the envelope, else from the CCVs (where Kazoo puts it). */
export function accountOf(req: OriginateRequest): string | undefined {
  const fromCcv = req['Custom-Channel-Vars']?.['Account-ID'];
  const id = req['Account-ID'] ?? (typeof fromCcv === 'string' ? fromCcv : undefined);
  return id !== undefined && id !== '' ? id : undefined;
}

/**
 * The account a request runs for. Kazoo's originate_req has no Account-ID of its own (callers put it in the CCVs):
 * the envelope's or the CCVs' when given, else the one account owning every To-Realm its endpoints name.
 * Refused when none is named and the realms name no account, or several.
 */
export async function resolveAccount(req: OriginateRequest, accounts: AccountsByRealm | undefined): Promise<AccountResolution> {
  const named = accountOf(req);
  if (named !== undefined) return { ok: true, accountId: named };
  const realms = [...new Set(req.Endpoints.map((e) => e['To-Realm']?.toLowerCase()).filter((r): r is string => r !== undefined && r !== ''))];
  if (realms.length === 0) return { ok: false, reason: `${MISSING}, and no endpoint names a To-Realm` };
  if (accounts === undefined) return { ok: false, reason: MISSING };
  const owners = await Promise.all(realms.map((realm) => accounts.findByRealm(realm).catch(() => null)));
  const unknown = realms.filter((_, i) => owners[i] === null);
  if (unknown.length > 0) return { ok: false, reason: `${MISSING}, and no account owns the To-Realm ${unknown.join(', ')}` };
  const ids = new Set(owners.map((o) => o?.id));
  if (ids.size > 1) return { ok: false, reason: `${MISSING}: the endpoints' To-Realm values (${realms.join(', ')}) belong to different accounts` };
  return { ok: true, accountId: [...ids][0] ?? '' };
}
