import type { Account, Directory, Webhook, WebhookModifiers } from '@legwork/directory';

/** Enabled hooks for an event: the account's own, plus ancestors' hooks that include sub-accounts. */
export async function matchingHooks(dir: Directory, account: Account | string, hookEvent: string): Promise<Webhook[]> {
  const acct = typeof account === 'string' ? await dir.accounts.find(account) : account;
  if (!acct) return [];
  const wants = (h: Webhook): boolean => h.enabled && (h.hook === 'all' || h.hook === hookEvent);
  const own = (await dir.webhooks.list(acct.id)).filter(wants);
  const inherited: Webhook[] = [];
  for (const ancestorId of acct.tree) {
    const hooks = await dir.webhooks.list(ancestorId).catch(() => []);
    inherited.push(...hooks.filter((h) => h.include_subaccounts && wants(h)));
  }
  return [...own, ...inherited];
}

/**
 * Kazoo's per-hook filters: `include_internal_legs: false` skips internal legs (webhooks_channel_util:is_fireable_hook/2);
 * each modifier key must hold the value (or one of the listed values) in the hook event, unless the event lacks the key
 * or the list is empty (webhooks_util:maybe_fire_hook/2).
 */
export function hookFires(hook: Pick<Webhook, 'include_internal_legs' | 'modifiers'>, hookEvent: Record<string, unknown>, internalLeg: boolean): boolean {
  if (internalLeg && hook.include_internal_legs === false) return false;
  return modifiersMatch(hook.modifiers, hookEvent);
}

function modifiersMatch(modifiers: WebhookModifiers | undefined, hookEvent: Record<string, unknown>): boolean {
  for (const [key, wanted] of Object.entries(modifiers ?? {})) {
    if (!Object.hasOwn(hookEvent, key)) continue;
    const value = hookEvent[key];
    if (Array.isArray(wanted) ? wanted.length > 0 && !wanted.some((w) => w === value) : wanted !== value) return false;
  }
  return true;
}
