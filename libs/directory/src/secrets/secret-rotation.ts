import { isLegworkError } from '@legwork/common';
import type { ApiClientRepository } from '../clients/api-client.repo';
import type { UserCredentials } from '../credentials/user-credentials';
import type { AccountDoc, AccountDocuments, RepoContext } from '../repos/repo-context';
import type { StoredUser } from '../schemas/user.schema';

export interface RotationFailure {
  kind: string;
  accountId: string;
  id: string;
  code: string;
  message: string;
}

export interface RotationReport {
  /** The key everything is now encrypted and indexed under (the first configured one). */
  keyId: string;
  accounts: number;
  /** Resources and webhooks whose secrets were in clear or under an older key, now re-encrypted. */
  resealed: number;
  /** Users still holding an earlier version's unsalted md5, now a slow hash. */
  usersMigrated: number;
  /**
   * Users whose md5 (user_auth) index entry still uses an older key: only the credential itself can
   * re-key it, which happens at their next login. Retire that key after they have logged in, or they must set a new password.
   */
  usersOnRetiredKeys: number;
  /** The same for sha credentials, re-keyed only by a login with method sha (or a new password). */
  shaOnRetiredKeys: number;
  /** API clients whose secret hash still uses an older key: re-keyed when they next authenticate. */
  apiClientsOnRetiredKeys: number;
  /** Documents left as they were because they could not be read (key not configured, altered). */
  failures: RotationFailure[];
}

export interface SecretMaintenance {
  /** Re-encrypts every recoverable secret under the first key, migrates legacy user hashes; safe to run again. */
  rotate(): Promise<RotationReport>;
}

/** Walks every account of the store; each document is rewritten on its own (compare-and-set), so apps may keep running. */
export class SecretRotation implements SecretMaintenance {
  constructor(
    private readonly ctx: RepoContext,
    private readonly sealed: Array<{ kind: string; docs: AccountDocuments<AccountDoc> }>,
    private readonly users: { docs: AccountDocuments<StoredUser>; credentials: UserCredentials },
    private readonly clients?: Pick<ApiClientRepository, 'docs' | 'onRetiredKey'>,
  ) {}

  async rotate(): Promise<RotationReport> {
    const report: RotationReport = { keyId: this.ctx.keyring.currentId, accounts: 0, resealed: 0, usersMigrated: 0, usersOnRetiredKeys: 0, shaOnRetiredKeys: 0, apiClientsOnRetiredKeys: 0, failures: [] };
    for (const accountId of await this.accountIds()) {
      report.accounts += 1;
      for (const { kind, docs } of this.sealed) {
        for (const id of await docs.ids(accountId)) {
          await this.attempt(report, kind, accountId, id, async () => {
            if (await docs.reseal(accountId, id)) report.resealed += 1;
          });
        }
      }
      for (const user of await this.users.docs.list(accountId)) {
        if (user.pvt_md5_auth && (await this.users.credentials.migrateLegacy(accountId, user.id))) report.usersMigrated += 1;
        if (this.users.credentials.onRetiredKey(user, 'md5')) report.usersOnRetiredKeys += 1;
        if (this.users.credentials.onRetiredKey(user, 'sha')) report.shaOnRetiredKeys += 1;
      }
      for (const client of (await this.clients?.docs.list(accountId)) ?? []) if (this.clients?.onRetiredKey(client) === true) report.apiClientsOnRetiredKeys += 1;
    }
    return report;
  }

  private async attempt(report: RotationReport, kind: string, accountId: string, id: string, run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (err) {
      if (!isLegworkError(err)) throw err;
      report.failures.push({ kind, accountId, id, code: err.code, message: err.message });
    }
  }

  /** Every account: each one holds a realm, unique platform-wide. */
  private async accountIds(): Promise<string[]> {
    const realms = await this.ctx.store.hgetall(this.ctx.keys.accountRealmIndex);
    return [...new Set(Object.values(realms))].sort();
  }
}
