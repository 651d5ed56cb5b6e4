import { randomBytes } from 'node:crypto';
import { newId } from '@legwork/common';
import { systemOf, type WriteOptions } from '../documents/document-writer';
import { mergePatch } from '../documents/merge-patch';
import { parseDocument } from '../documents/validation';
import { type AccountWebhookAttempt, type Webhook, type WebhookAttempt, webhookSchema } from '../schemas/webhook.schema';
import { webhookCodec } from '../secrets/sealed-fields';
import { AccountDocuments, type RepoContext } from './repo-context';

/** Newest attempts kept per hook. */
export const WEBHOOK_ATTEMPTS_KEPT = 100;

export interface WebhookRepo {
  /** Generates the hook's signing `secret`. */
  create(accountId: string, input: unknown): Promise<Webhook>;
  get(accountId: string, hookId: string): Promise<Webhook>;
  find(accountId: string, hookId: string): Promise<Webhook | null>;
  list(accountId: string): Promise<Webhook[]>;
  replace(accountId: string, hookId: string, input: unknown, opts?: WriteOptions): Promise<Webhook>;
  /** Merge patch; `{"re-enable": true}` enables a disabled hook, clears its reason and its failure count. */
  patch(accountId: string, hookId: string, input: unknown, opts?: WriteOptions): Promise<Webhook>;
  delete(accountId: string, hookId: string): Promise<void>;
  /** Kazoo's collection PATCH `re-enable`: turns back on every hook the platform disabled (not those the account switched off). */
  reEnableAll(accountId: string): Promise<Webhook[]>;
  disable(accountId: string, hookId: string, reason: string): Promise<Webhook>;
  recordAttempt(accountId: string, hookId: string, attempt: WebhookAttempt): Promise<void>;
  /** Several attempts of one hook in one write, oldest first. */
  recordAttempts(accountId: string, hookId: string, attempts: readonly WebhookAttempt[]): Promise<void>;
  /**
   * Each account's webhook generation (0 before any write): every write of an account's hooks (create, replace,
   * patch, delete, re-enable, disable, account deletion) bumps it before it returns, so hooks read after reading a
   * generation are at least as new as it, and an unchanged generation means no write was acknowledged since.
   */
  generations(accountIds: readonly string[]): Promise<number[]>;
  /** Newest first, at most WEBHOOK_ATTEMPTS_KEPT. */
  attempts(accountId: string, hookId: string): Promise<WebhookAttempt[]>;
  /** Every hook's attempts of the account, newest first, each naming its hook. */
  accountAttempts(accountId: string): Promise<AccountWebhookAttempt[]>;
  /** Counts a failure in a fixed window opened by the first one; returns the count so far. */
  recordFailure(accountId: string, hookId: string, windowMs: number): Promise<number>;
}

export class WebhookRepository implements WebhookRepo {
  readonly docs: AccountDocuments<Webhook>;

  constructor(
    private readonly ctx: RepoContext,
    private readonly requireAccount: (accountId: string) => Promise<unknown>,
  ) {
    this.docs = new AccountDocuments<Webhook>(ctx, 'webhook', [], webhookCodec(ctx.box));
  }

  async create(accountId: string, input: unknown): Promise<Webhook> {
    const fields = parseDocument(webhookSchema, input);
    await this.requireAccount(accountId);
    const hook: Webhook = { ...fields, account_id: accountId, secret: randomBytes(32).toString('hex'), ...this.ctx.writer.stamp(newId()) };
    await this.docs.insert(hook);
    await this.bump(accountId);
    return hook;
  }

  find(accountId: string, hookId: string): Promise<Webhook | null> {
    return this.docs.find(accountId, hookId);
  }

  get(accountId: string, hookId: string): Promise<Webhook> {
    return this.docs.get(accountId, hookId);
  }

  async list(accountId: string): Promise<Webhook[]> {
    await this.requireAccount(accountId);
    return this.docs.list(accountId);
  }

  async replace(accountId: string, hookId: string, input: unknown, opts?: WriteOptions): Promise<Webhook> {
    const fields = parseDocument(webhookSchema, input);
    const next = await this.write(accountId, hookId, (current) => keep(current, fields), opts);
    await this.bump(accountId);
    return next;
  }

  async patch(accountId: string, hookId: string, input: unknown, opts?: WriteOptions): Promise<Webhook> {
    const reEnable = typeof input === 'object' && input !== null && (input as Record<string, unknown>)['re-enable'] === true;
    const next = await this.write(
      accountId,
      hookId,
      (current) => {
        const fields = parseDocument(webhookSchema, mergePatch(current, input));
        return reEnable ? { ...keep(current, fields), enabled: true, disabled_reason: undefined } : keep(current, fields);
      },
      opts,
    );
    if (reEnable) await this.ctx.store.del([this.ctx.keys.webhookFailures(accountId, hookId)]);
    await this.bump(accountId);
    return next;
  }

  async delete(accountId: string, hookId: string): Promise<void> {
    await this.docs.remove(accountId, hookId);
    await this.ctx.store.del(this.sideKeys(accountId, hookId));
    await this.bump(accountId);
  }

  async reEnableAll(accountId: string): Promise<Webhook[]> {
    const disabled = (await this.list(accountId)).filter((h) => !h.enabled && h.disabled_reason !== undefined);
    const enabled: Webhook[] = [];
    for (const hook of disabled) {
      // Re-checked inside the write: a hook switched off by hand meanwhile stays off.
      const next = await this.write(accountId, hook.id, (current) => (current.disabled_reason === undefined ? current : { ...current, enabled: true, disabled_reason: undefined }));
      await this.ctx.store.del([this.ctx.keys.webhookFailures(accountId, hook.id)]);
      if (next.enabled) enabled.push(next);
    }
    if (disabled.length > 0) await this.bump(accountId);
    return enabled;
  }

  async disable(accountId: string, hookId: string, reason: string): Promise<Webhook> {
    const next = await this.write(accountId, hookId, (current) => ({ ...current, enabled: false, disabled_reason: reason }));
    await this.bump(accountId);
    return next;
  }

  recordAttempt(accountId: string, hookId: string, attempt: WebhookAttempt): Promise<void> {
    return this.recordAttempts(accountId, hookId, [attempt]);
  }

  async recordAttempts(accountId: string, hookId: string, attempts: readonly WebhookAttempt[]): Promise<void> {
    await this.ctx.store.listPush(this.ctx.keys.webhookAttempts(accountId, hookId), attempts.map((a) => JSON.stringify(a)), WEBHOOK_ATTEMPTS_KEPT);
  }

  async generations(accountIds: readonly string[]): Promise<number[]> {
    const raw = await this.ctx.store.mget(accountIds.map((id) => this.ctx.keys.webhookGeneration(id)));
    return raw.map((v) => (v === null ? 0 : Number(v)));
  }

  async attempts(accountId: string, hookId: string): Promise<WebhookAttempt[]> {
    await this.docs.get(accountId, hookId);
    const raws = await this.ctx.store.listRange(this.ctx.keys.webhookAttempts(accountId, hookId), WEBHOOK_ATTEMPTS_KEPT);
    return raws.map((r) => JSON.parse(r) as WebhookAttempt);
  }

  async accountAttempts(accountId: string): Promise<AccountWebhookAttempt[]> {
    const hooks = await this.list(accountId);
    const logs = await Promise.all(
      hooks.map(async (h) => (await this.ctx.store.listRange(this.ctx.keys.webhookAttempts(accountId, h.id), WEBHOOK_ATTEMPTS_KEPT)).map((r) => ({ ...(JSON.parse(r) as WebhookAttempt), hook_id: h.id }))),
    );
    return logs.flat().sort((a, b) => b.timestamp - a.timestamp);
  }

  recordFailure(accountId: string, hookId: string, windowMs: number): Promise<number> {
    return this.ctx.store.incrWindow(this.ctx.keys.webhookFailures(accountId, hookId), windowMs);
  }

  async purge(accountId: string): Promise<void> {
    const removed = await this.docs.purge(accountId);
    await this.ctx.store.del(removed.flatMap((h) => this.sideKeys(accountId, h.id)));
    // Bumped, never deleted: a generation that restarted at 0 could match a copy cached before.
    await this.bump(accountId);
  }

  private async bump(accountId: string): Promise<void> {
    await this.ctx.store.incr(this.ctx.keys.webhookGeneration(accountId));
  }

  private sideKeys(accountId: string, hookId: string): string[] {
    return [this.ctx.keys.webhookAttempts(accountId, hookId), this.ctx.keys.webhookFailures(accountId, hookId)];
  }

  private async write(accountId: string, hookId: string, build: (current: Webhook) => Webhook, opts?: WriteOptions): Promise<Webhook> {
    const { next } = await this.docs.update(accountId, hookId, (current) => ({ ...build(current), ...systemOf(current) }), opts);
    if (next.disabled_reason === undefined) delete next.disabled_reason;
    return next;
  }
}

/** New body fields over the platform-owned ones; a disabled reason lasts only while the hook stays disabled. */
function keep(current: Webhook, fields: ReturnType<typeof webhookSchema.parse>): Webhook {
  const reason = !fields.enabled && current.disabled_reason !== undefined ? { disabled_reason: current.disabled_reason } : {};
  return { ...fields, account_id: current.account_id, secret: current.secret, ...reason, ...systemOf(current) };
}
