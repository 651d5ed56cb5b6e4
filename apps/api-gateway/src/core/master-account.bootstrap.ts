import type { Account, Directory } from '@legwork/directory';
import { isDirectoryError } from '@legwork/directory';
import type { Logger } from '@legwork/common';

export interface MasterBootstrapOptions {
  realm: string;
  /** LEGWORK_BOOTSTRAP_API_KEY: the master's key is pinned to it when set. */
  apiKey?: string;
}

export interface MasterBootstrapResult {
  account: Account;
  created: boolean;
  /** The key shown to the operator; only set when the account was created just now. */
  apiKey?: string;
}

/** Creates the master account on the first start; concurrent starts settle on whichever root won. */
async function createMaster(directory: Directory, realm: string): Promise<{ account: Account; created: boolean }> {
  try {
    return { account: await directory.accounts.create({ name: 'master', realm }), created: true };
  } catch (err) {
    if (!isDirectoryError(err, 'conflict')) throw err;
    const winner = await directory.accounts.getMaster();
    if (!winner) throw err;
    return { account: winner, created: false };
  }
}

/** First start: master account + API key. Later starts: only re-pin LEGWORK_BOOTSTRAP_API_KEY. */
export async function ensureMasterAccount(directory: Directory, opts: MasterBootstrapOptions, logger: Logger): Promise<MasterBootstrapResult> {
  const existing = await directory.accounts.getMaster();
  if (existing && !existing.enabled) {
    // Releases before the master was protected let it disable itself, locking everyone out for good.
    await directory.accounts.patch(existing.id, { enabled: true });
    logger.warn({ accountId: existing.id }, 'master account was disabled; enabled it again');
  }
  if (existing) {
    if (opts.apiKey !== undefined) await directory.credentials.setApiKey(existing.id, opts.apiKey);
    logger.info({ accountId: existing.id, pinnedKey: opts.apiKey !== undefined }, 'master account present');
    return { account: existing, created: false };
  }
  const { account, created } = await createMaster(directory, opts.realm);
  if (!created) {
    if (opts.apiKey !== undefined) await directory.credentials.setApiKey(account.id, opts.apiKey);
    return { account, created };
  }
  let apiKey: string;
  if (opts.apiKey !== undefined) {
    await directory.credentials.setApiKey(account.id, opts.apiKey);
    apiKey = opts.apiKey.toLowerCase();
  } else {
    apiKey = await directory.credentials.createApiKey(account.id);
  }
  // The key itself never enters the JSON log; the operator sees it once on stdout.
  logger.info({ accountId: account.id, realm: account.realm }, 'master account created');
  return { account, created, apiKey };
}

/** The one human line printed when the master account is created. */
export function masterAccountBanner(result: MasterBootstrapResult): string {
  return `Legwork master account created: account_id=${result.account.id} realm=${result.account.realm} api_key=${result.apiKey ?? ''}\n`;
}
