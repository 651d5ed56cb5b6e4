import { Inject, Injectable } from '@nestjs/common';
import type { AccountWebhookAttempt, Directory, Webhook, WebhookAttempt } from '@legwork/directory';
import { splitList, UrlGuard } from '@legwork/webhook-delivery';
import { DIRECTORY } from '../../../core/infra.tokens';
import { kazooValidationError } from '../core/kazoo.contract';

/** Hook documents of one account, with the target URL checked against private ranges on every write. */
@Injectable()
export class KazooWebhooksService {
  private readonly guard = new UrlGuard(splitList(process.env['WEBHOOK_ALLOWED_HOSTS']));

  constructor(@Inject(DIRECTORY) private readonly directory: Directory) {}

  private get hooks() {
    return this.directory.webhooks;
  }

  async create(accountId: string, doc: Record<string, unknown>): Promise<Webhook> {
    await this.checkUri(doc['uri']);
    return this.hooks.create(accountId, doc);
  }

  list(accountId: string): Promise<Webhook[]> {
    return this.hooks.list(accountId);
  }

  get(accountId: string, id: string): Promise<Webhook> {
    return this.hooks.get(accountId, id);
  }

  async replace(accountId: string, id: string, doc: Record<string, unknown>, revision?: string): Promise<Webhook> {
    await this.checkUri(doc['uri']);
    return this.hooks.replace(accountId, id, doc, { revision });
  }

  async patch(accountId: string, id: string, doc: Record<string, unknown>, revision?: string): Promise<Webhook> {
    if (doc['uri'] !== undefined) await this.checkUri(doc['uri']);
    return this.hooks.patch(accountId, id, doc, { revision });
  }

  async remove(accountId: string, id: string): Promise<Webhook> {
    const hook = await this.hooks.get(accountId, id);
    await this.hooks.delete(accountId, id);
    return hook;
  }

  attempts(accountId: string, id: string): Promise<WebhookAttempt[]> {
    return this.hooks.attempts(accountId, id);
  }

  accountAttempts(accountId: string): Promise<AccountWebhookAttempt[]> {
    return this.hooks.accountAttempts(accountId);
  }

  /** Kazoo's collection PATCH (cb_webhooks:validate_collection_patch/2): `re-enable` must be there and true. */
  async reEnableAll(accountId: string, doc: Record<string, unknown>): Promise<Webhook[]> {
    const value = doc['re-enable'];
    if (value === undefined) throw kazooValidationError([{ field: 're-enable', rule: 'required', message: 're-enable is required to patch collections' }]);
    if (value !== true && value !== 'true') throw kazooValidationError([{ field: 're-enable', rule: 'enum', message: 'value not found in enumerated list of values', value }]);
    return this.hooks.reEnableAll(accountId);
  }

  /** Shape errors are the directory's to report; here only where the URL points. */
  private async checkUri(uri: unknown): Promise<void> {
    if (typeof uri !== 'string') return;
    const verdict = await this.guard.check(uri);
    if (!verdict.ok) throw kazooValidationError([{ field: 'uri', rule: 'format', message: verdict.reason, value: uri }]);
  }
}
