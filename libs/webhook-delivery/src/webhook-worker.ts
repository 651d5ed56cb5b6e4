import type { Bus, Consumer } from '@legwork/bus';
import { type Logger, silentLogger } from '@legwork/common';
import { buildMessage, identifyMessage, webhookDisabled } from '@legwork/contracts';
import type { Directory, Webhook } from '@legwork/directory';
import type { RedisClient } from '@legwork/redis';
import { z } from 'zod';
import { type DeliveryJob, deliveryJobSchema, partitionKey, partitionQueueName, retryKey, WEBHOOK_DEAD_HEADERS, WEBHOOK_TOPOLOGY as T } from './delivery-job';
import { type CallbackJob, callbackJobSchema, callbackSecretContext } from './callback-job';
import { HttpSender, type SendResult } from './http-sender';
import { hookEvent, hookEventName, isInternalLeg, withCustomData } from './hook-payload';
import { hookFires, matchingHooks } from './hook-matcher';
import { HookCache } from './hook-cache';
import { AttemptLog } from './attempt-log';
import { AccountReads } from './account-reads';
import { KeyedSerializer } from './keyed-serializer';
import { HookOutageStore } from './hook-outage.store';
import { HookOutageProber, type ProbeOutcome } from './hook-outage.prober';
import { orderKey, partitionOf } from './partition';
import { PartitionBalancer } from './partition-balancer';
import { declareWebhookTopology, retireLegacyEventQueue } from './webhook-topology';
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
  /** The Redis workers share a hook's outage state and backlog on; without it there is no outage mode. */
  outage?: { redis: RedisClient; prefix: string };
}

/**
 * Failures that mean the receiver is away rather than refusing this event: no answer (refused, reset, timed out),
 * 5xx, 408 and 429. A URL the guard refuses and other 4xx are the event's or the hook's problem: retried as before.
 */
export function isOutageFailure(result: SendResult): boolean {
  if (result.kind !== 'failure') return false;
  if (result.statusCode === undefined) return !(result.error ?? '').startsWith('refused:');
  return result.statusCode >= 500 || result.statusCode === 408 || result.statusCode === 429;
}

const eventEnvelope = z.looseObject({ 'Event-Name': z.string(), 'Event-Category': z.string() });
/** A call's events fan out one at a time, in order: the sequence counts the origination call, every leg. */
const eventOrderKey = (e: Record<string, unknown>): string => String(e['Origination-Call-ID'] ?? e['Call-ID'] ?? e['Msg-ID'] ?? '');
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** The unordered deliver queue: per-call callbacks, retries that left their partition, replayed jobs. */
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

/**
 * Call events → one job per matching hook → HTTP delivery with durable retries, at most attemptsAllowed(hook)
 * attempts per event (unlike Kazoo, a non-2xx answer other than 410 is retried too).
 * Order, across any number of workers: the event queue has one active consumer, which fans a call's events
 * out one at a time; a hook's jobs for a call go to one partition queue (by hash), each with one active
 * consumer that delivers them one at a time. With `outage` set, a delivery that finds the receiver away puts
 * the hook in an outage: its jobs queue in one FIFO backlog that a single prober drains once the receiver is
 * back, so nothing of that hook passes anything. Other failures hold the call's later events while they retry
 * in place within orderHoldMs; a retry due later goes through the delay queues to the unordered deliver
 * queue and the later events pass it (the receiver orders by event_sequence).
 */
export class WebhookWorker {
  readonly config: WebhookDeliveryConfig;
  private readonly logger: Logger;
  private readonly sender: HttpSender;
  private readonly serial = new KeyedSerializer();
  private readonly hooks: HookCache;
  private readonly log: AttemptLog;
  private readonly accounts: AccountReads;
  private readonly consumers: Consumer[] = [];
  private balancer: PartitionBalancer | undefined;
  private attempts = 0;
  /** Hook id → the last failure slice counted toward auto-disable. */
  private readonly failureSlices = new Map<string, number>();
  private readonly outages: HookOutageStore | undefined;
  private prober: HookOutageProber | undefined;

  constructor(private readonly opts: WebhookWorkerOptions) {
    this.config = resolveWebhookDeliveryConfig(opts.config);
    this.logger = opts.logger ?? silentLogger;
    this.sender = new HttpSender({ guard: new UrlGuard(this.config.allowedHosts), connectTimeoutMs: this.config.connectTimeoutMs, totalTimeoutMs: this.config.totalTimeoutMs, now: opts.now });
    this.outages = opts.outage ? new HookOutageStore(opts.outage.redis, opts.outage.prefix) : undefined;
    this.hooks = new HookCache(opts.directory, { now: opts.now });
    this.log = new AttemptLog(opts.directory, this.logger);
    this.accounts = new AccountReads(opts.directory);
  }

  async start(): Promise<void> {
    const { bus } = this.opts;
    const { partitions, concurrency, rebalanceMs } = this.config;
    await declareWebhookTopology(bus, this.config.retryTiersMs, partitions);
    const legacy = await retireLegacyEventQueue(bus);
    if (legacy) this.consumers.push(await bus.consume(legacy, eventEnvelope, (msg) => this.fanOut(msg), { prefetch: 1 }));
    this.consumers.push(await bus.consume(T.eventQueue, eventEnvelope, (msg) => this.fanOut(msg), { prefetch: concurrency, orderKey: eventOrderKey }));
    this.consumers.push(
      await bus.consume(
        T.deliverQueue,
        deliverable,
        (job) => (isCallback(job) ? this.deliverCallback(job) : this.serial.run(orderKey(job), () => this.deliver(job, 0))),
        { prefetch: concurrency },
      ),
    );
    const balancer = new PartitionBalancer({
      bus,
      partitions,
      intervalMs: rebalanceMs,
      logger: this.logger,
      now: this.opts.now,
      consume: (p) =>
        bus.consume(partitionQueueName(p), deliveryJobSchema, (job) => {
          balancer.touch(p);
          return this.deliver(job, this.config.orderHoldMs);
        }, { prefetch: concurrency, orderKey }),
    });
    await balancer.start();
    this.balancer = balancer;
    if (this.outages) {
      const c = this.config;
      this.prober = new HookOutageProber({
        store: this.outages,
        logger: this.logger,
        tickMs: Math.min(250, c.outageProbeMinMs),
        maxOutageMs: c.outageMaxMs,
        probeMaxMs: c.outageProbeMaxMs,
        lockTtlMs: c.totalTimeoutMs + 10_000,
        now: () => this.now(),
        probe: (job) => this.probe(job),
        expire: async (job, since) => {
          const hook = await this.hooks.find(job.account_id, job.hook_id);
          if (hook?.enabled) await this.disable(hook, `receiver failing for more than ${Math.round(c.outageMaxMs / 1000)} s (since ${new Date(since).toISOString()})`);
        },
        park: (job, reason) => this.park(job, reason, { kind: 'failure', durationMs: 0, error: 'receiver outage' }),
      });
      this.prober.start();
    }
  }

  /** Finishes the deliveries under way (a held retry included) and hands the rest back to the broker. */
  async stop(): Promise<void> {
    await Promise.all([this.balancer?.stop(), this.prober?.stop(), ...this.consumers.splice(0).map((c) => c.cancel())]);
    this.balancer = undefined;
    this.prober = undefined;
    await Promise.all([this.sender.close(), this.log.flush()]);
  }

  /** HTTP attempts this worker made (account hooks and callbacks). */
  get deliveries(): number {
    return this.attempts;
  }

  /** Partitions this worker has been delivering from lately. */
  activePartitions(): number[] {
    return this.balancer?.busy() ?? [];
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
    const account = await this.accounts.find(accountId);
    if (!account) return;
    const name = hookEventName(event);
    const callId = String(event['Call-ID'] ?? event['Msg-ID'] ?? '');
    // Kazoo's reseller is the account's; Legwork has no resellers below the tree's root.
    const resellerId = account.tree[0] ?? account.id;
    const curated = hookEvent(event, accountId, resellerId);
    const internal = isInternalLeg(event);
    for (const hook of await matchingHooks(this.opts.directory, account, name, (ids) => this.hooks.hooksOf(ids))) {
      if (!hookFires(hook, curated, internal)) continue;
      const job: DeliveryJob = { hook_id: hook.id, account_id: hook.account_id, event_account_id: accountId, call_id: callId, hook_event: name, payload: withCustomData(curated, hook.custom_data), attempt: 1, queued_at: this.now() };
      await this.opts.bus.publish(T.exchange, partitionKey(partitionOf(job, this.config.partitions)), job);
    }
  }

  /** Attempts a job, retrying in place while the delays add up to at most `holdMs`, then on the delay queues. */
  private async deliver(first: DeliveryJob, holdMs: number): Promise<void> {
    let job = first;
    let held = 0;
    for (;;) {
      const retryInMs = await this.attempt(job);
      if (retryInMs === undefined) return;
      const next = { ...job, attempt: job.attempt + 1 };
      if (held + retryInMs > holdMs) return this.opts.bus.publish(T.exchange, retryKey(retryInMs), next);
      await sleep(retryInMs);
      held += retryInMs;
      job = next;
    }
  }

  /** One attempt; the delay before the next one, or undefined when the job is done (delivered, gone, parked). */
  private async attempt(job: DeliveryJob): Promise<number | undefined> {
    const hook = await this.hooks.find(job.account_id, job.hook_id);
    if (!hook) {
      this.logger.info({ hookId: job.hook_id }, 'webhook deleted; delivery dropped');
      return;
    }
    // Retries already queued when a hook was disabled are parked, so re-enable + replay recovers them.
    if (!hook.enabled) return this.park(job, 'hook_disabled', { kind: 'failure', durationMs: 0, error: 'hook disabled' });
    // While its hook is in an outage a job joins the backlog, behind every earlier one, unattempted.
    if (await this.toBacklog(hook, job, false)) return;
    const result = await this.send(hook, job);
    if (isOutageFailure(result) && (await this.toBacklog(hook, job, true))) return;
    if (result.kind !== 'failure') return;
    if (this.countsTowardDisable(hook)) {
      const failures = await this.opts.directory.webhooks.recordFailure(hook.account_id, hook.id, this.config.failureWindowMs);
      if (failures === this.config.failureThreshold) await this.disable(hook, failures);
      if (failures >= this.config.failureThreshold) return this.park(job, 'hook_disabled', result);
    }
    if (job.attempt >= attemptsAllowed(hook)) return this.park(job, 'retries_exhausted', result);
    return this.retryDelay(job.attempt);
  }

  /**
   * Appends the job to its hook's backlog when the hook is in an outage, or opens one (`start`). True when the job
   * is now the backlog's; a full backlog disables the hook and parks the job (the prober parks the rest).
   */
  private async toBacklog(hook: Webhook, job: DeliveryJob, start: boolean): Promise<boolean> {
    if (!this.outages) return false;
    const verdict = await this.outages.append(hook.id, JSON.stringify(job), { now: this.now(), maxLength: this.config.outageBacklogMax, firstBackoffMs: this.config.outageProbeMinMs, start });
    if (verdict === 'direct') return false;
    if (verdict === 'full') {
      await this.disable(hook, `receiver outage backlog over ${this.config.outageBacklogMax} jobs`);
      await this.park(job, 'hook_disabled', { kind: 'failure', durationMs: 0, error: 'outage backlog full' });
    }
    return true;
  }

  /** The prober's attempt at a backlog's head: a refusal that is not an outage goes the ordinary retry way. */
  private async probe(job: DeliveryJob): Promise<Exclude<ProbeOutcome, 'expired'>> {
    const hook = await this.hooks.find(job.account_id, job.hook_id);
    if (!hook) return 'done';
    if (!hook.enabled) return 'disabled';
    const result = await this.send(hook, job);
    if (isOutageFailure(result)) return 'down';
    if (result.kind === 'failure') {
      if (job.attempt >= attemptsAllowed(hook)) await this.park(job, 'retries_exhausted', result);
      else await this.opts.bus.publish(T.exchange, retryKey(this.retryDelay(job.attempt)), { ...job, attempt: job.attempt + 1 });
    }
    return 'done';
  }

  private async send(hook: Webhook, job: DeliveryJob): Promise<SendResult> {
    this.attempts++;
    const result = await this.sender.send(hook, job.payload);
    this.log.record(hook.account_id, hook.id, {
      timestamp: this.now(),
      hook_event: job.hook_event,
      call_id: job.call_id,
      attempt: job.attempt,
      result: result.kind,
      ...(result.statusCode === undefined ? {} : { status_code: result.statusCode }),
      ...(result.error === undefined ? {} : { error: result.error }),
      duration_ms: result.durationMs,
    });
    return result;
  }

  /** A per-call callback: signed with its own key, retried on the same tiers, parked when its attempts are spent. */
  private async deliverCallback(job: CallbackJob): Promise<void> {
    const secret = this.opts.directory.secretBox.open(job.sealed_secret, callbackSecretContext(job));
    const target = { id: job.target_id, account_id: job.account_id, uri: job.uri, secret, http_verb: 'post' as const, format: 'json' as const };
    this.attempts++;
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

  private async disable(hook: Webhook, cause: number | string): Promise<void> {
    const failures = typeof cause === 'number' ? cause : 0;
    const reason = typeof cause === 'string' ? cause : `${failures} failed deliveries within ${Math.round(this.config.failureWindowMs / 1000)} s`;
    await this.opts.directory.webhooks.disable(hook.account_id, hook.id, reason);
    this.logger.warn({ hookId: hook.id, accountId: hook.account_id, reason }, 'webhook disabled');
    const msg = buildMessage(webhookDisabled, { 'Account-ID': hook.account_id, 'Hook-ID': hook.id, 'Hook-Name': hook.name, Reason: reason, Failures: failures }, { 'App-Name': this.opts.appName, 'App-Version': this.opts.appVersion });
    await this.opts.bus.publish(webhookDisabled.exchange, webhookDisabled.routingKey(msg), msg, { mandatory: false });
  }

  private async park(job: Deliverable, reason: string, result: SendResult): Promise<undefined> {
    const headers: Record<string, string | number> = { [WEBHOOK_DEAD_HEADERS.reason]: reason };
    if (result.statusCode !== undefined) headers[WEBHOOK_DEAD_HEADERS.status] = result.statusCode;
    if (result.error !== undefined) headers[WEBHOOK_DEAD_HEADERS.error] = result.error.slice(0, 256);
    await this.opts.bus.publish(T.exchange, T.deadKey, job, { headers });
  }
}
