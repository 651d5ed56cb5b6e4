import { Injectable } from '@nestjs/common';
import type { Account } from '@legwork/directory';
import { callerOfAuth, type KazooAuth } from '../core/kazoo.contract';
import { toKazooError } from '../core/kazoo-error.map';
import { ProvisioningDirectory } from './provisioning-directory.provider';
import { withSubmittedValues } from './provisioning.values';

/** Kazoo verbs on accounts; the guard has already checked the path account lies in the caller's tree. */
@Injectable()
export class AccountsService {
  constructor(private readonly dir: ProvisioningDirectory) {}

  /** PUT /v2/accounts/{parent}: Kazoo creates a sub-account of the path account. */
  createChild(parentId: string, doc: Record<string, unknown>): Promise<Account> {
    return withSubmittedValues(doc, () => this.accounts.create(doc, parentId));
  }

  get(id: string): Promise<Account> {
    return this.accounts.get(id);
  }

  children(id: string): Promise<Account[]> {
    return this.accounts.listChildren(id);
  }

  async replace(caller: KazooAuth, id: string, doc: Record<string, unknown>, revision?: string): Promise<Account> {
    this.assertChange(caller, id, doc);
    const body = await this.guardLimits(caller, id, doc);
    return withSubmittedValues(doc, () => this.accounts.replace(id, body, { revision }));
  }

  async patch(caller: KazooAuth, id: string, doc: Record<string, unknown>, revision?: string): Promise<Account> {
    this.assertChange(caller, id, doc);
    const body = await this.guardLimits(caller, id, doc);
    return withSubmittedValues(doc, () => this.accounts.patch(id, body, { revision }));
  }

  /** Deletes a sub-account (409 while it has children); an account never deletes itself, nobody the master. */
  async remove(caller: KazooAuth, id: string): Promise<Account> {
    this.assertChange(caller, id, 'delete');
    const account = await this.accounts.get(id);
    await this.accounts.delete(id);
    return account;
  }

  /** An account never disables or deletes itself through its own token (the shared policy's rule). */
  private assertChange(caller: KazooAuth, id: string, change: 'delete' | Record<string, unknown>): void {
    try {
      this.dir.directory.access.assertAccountChange(callerOfAuth(caller), id, change);
    } catch (err) {
      throw toKazooError(err);
    }
  }

  private get accounts() {
    return this.dir.directory.accounts;
  }

  /**
   * Limits, outbound rules, the country they are read against, the extension prefix (which routes
   * extended numbers platform-wide) and the IMRN ranges (numbers routed to the account) are set by the parent: a sub-account writing its own document keeps the ones it has.
   */
  private async guardLimits(caller: KazooAuth, id: string, doc: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (caller.accountId !== id) return doc;
    const current = await this.accounts.get(id);
    if (current.parent_id === null) return doc;
    const { limits, outbound, country, extension_prefix: prefix, imrn_ranges: imrns } = current;
    const { extension_prefix: _asked, imrn_ranges: _askedImrns, ...rest } = doc;
    return { ...rest, limits, outbound, country, ...(prefix !== undefined ? { extension_prefix: prefix } : {}), ...(imrns !== undefined ? { imrn_ranges: imrns } : {}) };
  }
}
