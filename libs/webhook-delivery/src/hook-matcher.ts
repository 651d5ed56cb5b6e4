import type { Directory, Webhook } from '@legwork/directory';

/** Enabled hooks for an event: the account's own, plus ancestors' hooks that include sub-accounts. */
export async function matchingHooks(dir: Directory, accountId: string, hookEvent: string): Promise<Webhook[]> {
  const account = await dir.accounts.find(accountId);
  if (!account) return [];
  const wants = (h: Webhook): boolean => h.enabled && (h.hook === 'all' || h.hook === hookEvent);
  const own = (await dir.webhooks.list(accountId)).filter(wants);
  const inherited: Webhook[] = [];
  for (const ancestorId of account.tree) {
    const hooks = await dir.webhooks.list(ancestorId).catch(() => []);
    inherited.push(...hooks.filter((h) => h.include_subaccounts && wants(h)));
  }
  return [...own, ...inherited];
}
