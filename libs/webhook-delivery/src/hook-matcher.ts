import type { Account, Directory, Webhook, WebhookModifiers } from '@legwork/directory';

/** Every hook of each account, in the order asked (a HookCache's hooksOf, or the directory's own lists). */
export type HookLists = (accountIds: readonly string[]) => Promise<Webhook[][]>;

const directoryLists =
  (dir: Directory): HookLists =>
  (ids) =>
    Promise.all(ids.map((id, i) => (i === 0 ? dir.webhooks.list(id) : dir.webhooks.list(id).catch(() => []))));

/** Enabled hooks for an event: the account's own, plus ancestors' hooks that include sub-accounts. */
export async function matchingHooks(dir: Directory, account: Account | string, hookEvent: string, lists: HookLists = directoryLists(dir)): Promise<Webhook[]> {
  const acct = typeof account === 'string' ? await dir.accounts.find(account) : account;
  if (!acct) return [];
  const wants = (h: Webhook): boolean => h.enabled && (h.hook === 'all' || h.hook === hookEvent);
  const [own = [], ...ancestors] = await lists([acct.id, ...acct.tree]);
  return [...own.filter(wants), ...ancestors.flatMap((hooks) => hooks.filter((h) => h.include_subaccounts && wants(h)))];
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
