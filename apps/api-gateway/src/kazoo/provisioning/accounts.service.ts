import { Injectable } from '@nestjs/common';
import type { Account } from '@legwork/directory';
import { KazooError, type KazooAuth } from '../core/kazoo.contract';
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
    const body = await this.guardLimits(caller, id, doc);
    return withSubmittedValues(doc, () => this.accounts.replace(id, body, { revision }));
  }

  async patch(caller: KazooAuth, id: string, doc: Record<string, unknown>, revision?: string): Promise<Account> {
    const body = await this.guardLimits(caller, id, doc);
    return withSubmittedValues(doc, () => this.accounts.patch(id, body, { revision }));
  }

  /** Deletes a sub-account (409 while it has children); an account never deletes itself. */
  async remove(caller: KazooAuth, id: string): Promise<Account> {
    if (caller.accountId === id) throw KazooError.forbidden({ message: 'an account cannot delete itself' });
    const account = await this.accounts.get(id);
    await this.accounts.delete(id);
    return account;
  }

  private get accounts() {
    return this.dir.directory.accounts;
  }

  /** Limits are set by the parent: a sub-account writing its own document keeps the ones it has. */
  private async guardLimits(caller: KazooAuth, id: string, doc: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (caller.accountId !== id) return doc;
    const current = await this.accounts.get(id);
    if (current.parent_id === null) return doc;
    return { ...doc, limits: current.limits };
  }
}
