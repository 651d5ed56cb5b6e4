import type { Bus, Consumer } from '@legwork/bus';
import { type Logger, silentLogger } from '@legwork/common';
import { buildMessage, callEventBindingKey, EXCHANGES, identifyMessage, webhookDisabled } from '@legwork/contracts';
import type { Directory, Webhook } from '@legwork/directory';
import { z } from 'zod';
import { type DeliveryJob, deliveryJobSchema, retryKey, retryQueueName, WEBHOOK_DEAD_HEADERS, WEBHOOK_TOPOLOGY as T } from './delivery-job';
import { type CallbackJob, callbackJobSchema, callbackSecretContext } from './callback-job';
import { HttpSender, type SendResult } from './http-sender';
import { hookEvent, hookEventName, hookPayload, isInternalLeg } from './hook-payload';
import { hookFires, matchingHooks } from './hook-matcher';
import { KeyedSerializer } from './keyed-serializer';
import { UrlGuard } from './url-guard';
import { resolveWebhookDeliveryConfig, type WebhookDeliveryConfig, type WebhookDeliveryConfigInput } from './webhook-delivery.config';

export interface WebhookWorkerOptions {
  bus: Bus;
  directory: Directory;
  /** App-Name and App-Version of the notices it publishes: the hosting app's. */
  appName: string;
  appVersion: string;
  config?: WebhookDeliveryConfigInput;
  logger?: Logger;
  now?: () => number;
}

const eventEnvelope = z.looseObject({ 'Event-Name': z.string(), 'Event-Category': z.string() });
/** The deliver queue carries account hooks' jobs and per-call callbacks. */
const deliverable = z.union([deliveryJobSchema, callbackJobSchema]);
type Deliverable = z.output<typeof deliverable>;
const isCallback = (job: Deliverable): job is CallbackJob => 'kind' in job && job.kind === 'callback';

/**
 * Delivery attempts a hook gets for one event: Kazoo reads `retries` as attempts in all, at least one
 * (kzd_webhooks:retries/1 clamps it to 1..5); the schema keeps new documents within 0..4.
 */
export function attemptsAllowed(hook: Pick<Webhook, 'retries'>): number {
  return Math.min(5, Math.max(1, hook.retries));
}

/** Declares the delivery topology (idempotent); every worker and the replay tool call it. */
export async function declareWebhookTopology(bus: Bus, retryTiersMs: number[]): Promise<void> {
  await bus.declareExchange(T.exchange, 'direct');
  await bus.declareQueue(T.eventQueue, { type: 'quorum', bindings: [{ exchange: EXCHANGES.callevt.name, routingKey: callEventBindingKey('*', '*') }] });
  await bus.declareQueue(T.deliverQueue, { type: 'quorum', bindings: [{ exchange: T.exchange, routingKey: T.deliverKey }] });
  await bus.declareQueue(T.deadQueue, { type: 'quorum', deadLetter: false, bindings: [{ exchange: T.exchange, routingKey: T.deadKey }] });
  for (const ms of new Set(retryTiersMs)) {
    await bus.declareQueue(retryQueueName(ms), { type: 'quorum', ttlMs: ms, deadLetter: { exchange: T.exchange, routingKey: T.deliverKey }, bindings: [{ exchange: T.exchange, routingKey: retryKey(ms) }] });
  }
}

/**
 * Call events → one job per matching hook → HTTP delivery with durable retries, at most attemptsAllowed(hook)
 * attempts per event (unlike Kazoo, a non-2xx answer other than 410 is retried too).
 * Order: one worker delivers a call's events to a hook in order (jobs of one hook+call run one at a
 * time); a retried event lets later ones of the same call pass, as Kazoo does.
 */
export class WebhookWorker {
  readonly config: WebhookDeliveryConfig;
  private readonly logger: Logger;
  private readonly sender: HttpSender;
  private readonly serial = new KeyedSerializer();
  private readonly consumers: Consumer[] = [];
  /** Hook id → the last failure slice counted toward auto-disable. */
  private readonly failureSlices = new Map<string, number>();

  constructor(private readonly opts: WebhookWorkerOptions) {
    this.config = resolveWebhookDeliveryConfig(opts.config);
    this.logger = opts.logger ?? silentLogger;
    this.sender = new HttpSender({ guard: new UrlGuard(this.config.allowedHosts), connectTimeoutMs: this.config.connectTimeoutMs, totalTimeoutMs: this.config.totalTimeoutMs, now: opts.now });
  }

  async start(): Promise<void> {
    const { bus } = this.opts;
    await declareWebhookTopology(bus, this.config.retryTiersMs);
    // prefetch 1: events leave for the deliver queue in the order they arrived.
    this.consumers.push(await bus.consume(T.eventQueue, eventEnvelope, (msg) => this.fanOut(msg), { prefetch: 1 }));
    this.consumers.push(
      await bus.consume(
        T.deliverQueue,
        deliverable,
        (job) => (isCallback(job) ? this.deliverCallback(job) : this.serial.run(`${job.hook_id}|${job.call_id}`, () => this.deliver(job))),
        { prefetch: this.config.concurrency },
      ),
    );
  }

  async stop(): Promise<void> {
    await Promise.all(this.consumers.splice(0).map((c) => c.cancel()));
    await this.sender.close();
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  private async fanOut(raw: Record<string, unknown>): Promise<void> {
    const def = identifyMessage(raw);
    if (!def) return;
    const parsed = def.schema.safeParse(raw);
    if (!parsed.success) throw new Error(`invalid ${def.name}: ${parsed.error.issues[0]?.message ?? ''}`);
    const event = parsed.data;
    const ccv = event['Custom-Channel-Vars'] as Record<string, unknown> | undefined;
    const accountId = typeof ccv?.['Account-ID'] === 'string' ? ccv['Account-ID'] : undefined;
    if (accountId === undefined) return;
    const account = await this.opts.directory.accounts.find(accountId);
    if (!account) return;
    const name = hookEventName(event);
    const callId = String(event['Call-ID'] ?? event['Msg-ID'] ?? '');
    // Kazoo's reseller is the account's; Legwork has no resellers below the tree's root.
    const resellerId = account.tree[0] ?? account.id;
    const curated = hookEvent(event, accountId, resellerId);
    const internal = isInternalLeg(event);
    for (const hook of await matchingHooks(this.opts.directory, account, name)) {
      if (!hookFires(hook, curated, internal)) continue;
      const job: DeliveryJob = { hook_id: hook.id, account_id: hook.account_id, event_account_id: accountId, call_id: callId, hook_event: name, payload: hookPayload(event, accountId, hook.custom_data, resellerId), attempt: 1, queued_at: this.now() };
      await this.opts.bus.publish(T.exchange, T.deliverKey, job);
    }
  }

  private async deliver(job: DeliveryJob): Promise<void> {
    const hook = await this.opts.directory.webhooks.find(job.account_id, job.hook_id);
    if (!hook) {
      this.logger.info({ hookId: job.hook_id }, 'webhook deleted; delivery dropped');
      return;
    }
    // Retries already queued when a hook was disabled are parked, so re-enable + replay recovers them.
    if (!hook.enabled) return this.park(job, 'hook_disabled', { kind: 'failure', durationMs: 0, error: 'hook disabled' });
    const result = await this.sender.send(hook, job.payload);
    await this.opts.directory.webhooks.recordAttempt(hook.account_id, hook.id, {
      timestamp: this.now(),
      hook_event: job.hook_event,
      call_id: job.call_id,
      attempt: job.attempt,
      result: result.kind,
      ...(result.statusCode === undefined ? {} : { status_code: result.statusCode }),
      ...(result.error === undefined ? {} : { error: result.error }),
      duration_ms: result.durationMs,
    });
    if (result.kind !== 'failure') return;
    if (this.countsTowardDisable(hook)) {
      const failures = await this.opts.directory.webhooks.recordFailure(hook.account_id, hook.id, this.config.failureWindowMs);
      if (failures === this.config.failureThreshold) await this.disable(hook, failures);
      if (failures >= this.config.failureThreshold) return this.park(job, 'hook_disabled', result);
    }
    if (job.attempt >= attemptsAllowed(hook)) return this.park(job, 'retries_exhausted', result);
    await this.opts.bus.publish(T.exchange, retryKey(this.retryDelay(job.attempt)), { ...job, attempt: job.attempt + 1 });
  }

  /** A per-call callback: signed with its own key, retried on the same tiers, parked when its attempts are spent. */
  private async deliverCallback(job: CallbackJob): Promise<void> {
    const secret = this.opts.directory.secretBox.open(job.sealed_secret, callbackSecretContext(job));
    const target = { id: job.target_id, account_id: job.account_id, uri: job.uri, secret, http_verb: 'post' as const, format: 'json' as const };
    const result = await this.sender.send(target, job.payload);
    this.logger.info({ targetId: job.target_id, callId: job.call_id, attempt: job.attempt, result: result.kind, status: result.statusCode }, 'callback delivery');
    if (result.kind !== 'failure') return;
    if (job.attempt >= job.max_attempts) return this.park(job, 'retries_exhausted', result);
    await this.opts.bus.publish(T.exchange, retryKey(this.retryDelay(job.attempt)), { ...job, attempt: job.attempt + 1 });
  }

  private retryDelay(attempt: number): number {
    const tiers = this.config.retryTiersMs;
    return tiers[Math.min(attempt - 1, tiers.length - 1)] ?? tiers[0] ?? 1000;
  }

  /**
   * A hook is disabled when it keeps failing over time, not because one outage failed a burst of events:
   * failures count at most once per slice (the shortest retry delay) per hook and worker.
   */
  private countsTowardDisable(hook: Webhook): boolean {
    const slice = Math.floor(this.now() / (this.config.retryTiersMs[0] ?? 1000));
    if (this.failureSlices.get(hook.id) === slice) return false;
    if (this.failureSlices.size > 10_000) this.failureSlices.clear();
    this.failureSlices.set(hook.id, slice);
    return true;
  }

  private async disable(hook: Webhook, failures: number): Promise<void> {
    const reason = `${failures} failed deliveries within ${Math.round(this.config.failureWindowMs / 1000)} s`;
    await this.opts.directory.webhooks.disable(hook.account_id, hook.id, reason);
    this.logger.warn({ hookId: hook.id, accountId: hook.account_id, reason }, 'webhook disabled');
    const msg = buildMessage(webhookDisabled, { 'Account-ID': hook.account_id, 'Hook-ID': hook.id, 'Hook-Name': hook.name, Reason: reason, Failures: failures }, { 'App-Name': this.opts.appName, 'App-Version': this.opts.appVersion });
    await this.opts.bus.publish(webhookDisabled.exchange, webhookDisabled.routingKey(msg), msg, { mandatory: false });
  }

  private async park(job: Deliverable, reason: string, result: SendResult): Promise<void> {
    const headers: Record<string, string | number> = { [WEBHOOK_DEAD_HEADERS.reason]: reason };
    if (result.statusCode !== undefined) headers[WEBHOOK_DEAD_HEADERS.status] = result.statusCode;
    if (result.error !== undefined) headers[WEBHOOK_DEAD_HEADERS.error] = result.error.slice(0, 256);
    await this.opts.bus.publish(T.exchange, T.deadKey, job, { headers });
  }
}
