import type { Bus, Consumer, DeliveryContext } from '@legwork/bus';
import type { CallStore } from '@legwork/call-state';
import type { Logger } from '@legwork/common';
import { EXCHANGES, ROUTING_KEYS, SHARED_QUEUE_NAMES, parseMessage, originateRequest, type OriginateRequest } from '@legwork/contracts';
import { z } from 'zod';
import { type ExecuteHandshake, needsHandshake } from '../engine/execute-handshake';
import type { OriginateOutcome } from '../engine/originate.outcome';
import type { EndpointResolution, EndpointResolver, OriginateMeta } from '../engine/originate.types';
import type { CallEventNotifier } from '../events/call-event.notifier';
import { type AccountsByRealm, resolveAccount } from './account-resolution';
import { forwardDecision } from './forward.target';
import { InFlightLimiter } from './in-flight.limiter';
import { IntakeError } from './intake.errors';
import { InvalidRequestReporter } from './invalid-request.reporter';

/** Shared durable queue all media nodes compete on. */
export const SHARED_ORIGINATE_QUEUE = SHARED_QUEUE_NAMES.originate;
/** Marks a request handed over by another node, so it is never bounced again. */
export const FORWARDED_BY_HEADER = 'x-legwork-forwarded-by';
/** Forwarded requests not picked up in this time are dead-lettered rather than run late. */
const NODE_QUEUE_MESSAGE_TTL_MS = 60_000;

export const nodeOriginateQueue = (nodeId: string): string => `${SHARED_ORIGINATE_QUEUE}.${nodeId}`;
export const nodeOriginateRoutingKey = (nodeId: string): string => `${ROUTING_KEYS.originateReq}.${nodeId}`;

/** What intake needs from the engine. */
export interface OriginateRunner {
  originate(req: OriginateRequest, meta: OriginateMeta): Promise<OriginateOutcome>;
}

export interface OriginateIntakeOptions {
  bus: Bus;
  engine: OriginateRunner;
  calls: CallStore;
  notifier: CallEventNotifier;
  nodeId: string;
  appName: string;
  appVersion: string;
  logger: Logger;
  /** Pre-resolves endpoints to find requests whose devices are connected to another node; must be the engine's, which reuses the result. */
  resolver?: EndpointResolver;
  /** Originates running at once on this node; the consumers wait beyond it. Default 100. */
  maxInFlight?: number;
  /** Finds the account of a request that names none, by its endpoints' To-Realm; without it such requests are refused. */
  accounts?: AccountsByRealm;
  /** Where parks wait for originate_execute; without it every request rings at once. */
  handshake?: ExecuteHandshake;
}

const envelopeLoose = z.record(z.string(), z.unknown());

export { accountOf } from './account-resolution';

/** Takes originate_req off the bus, validates it, hands it to another node or runs it here without blocking the consumer. */
export class OriginateIntake {
  private readonly limiter: InFlightLimiter;
  private readonly reporter: InvalidRequestReporter;
  private readonly running = new Set<Promise<void>>();
  private consumers: Consumer[] = [];

  constructor(private readonly opts: OriginateIntakeOptions) {
    this.limiter = new InFlightLimiter(opts.maxInFlight ?? 100);
    this.reporter = new InvalidRequestReporter(opts);
  }

  get inFlight(): number {
    return this.limiter.inFlight;
  }

  async start(): Promise<void> {
    const { bus, nodeId } = this.opts;
    const prefetch = this.limiter.limit;
    const shared = await bus.declareQueue(SHARED_ORIGINATE_QUEUE, { durable: true, type: 'quorum', bindings: [{ exchange: EXCHANGES.callmgr.name, routingKey: ROUTING_KEYS.originateReq }] });
    // the bus cannot set x-expires: auto-delete removes a stopped or dead node's queue instead
    const own = await bus.declareQueue(nodeOriginateQueue(nodeId), {
      durable: false, autoDelete: true, ttlMs: NODE_QUEUE_MESSAGE_TTL_MS,
      bindings: [{ exchange: EXCHANGES.callmgr.name, routingKey: nodeOriginateRoutingKey(nodeId) }],
    });
    const handler = (raw: Record<string, unknown>, ctx: DeliveryContext): Promise<void> => this.handle(raw, ctx);
    this.consumers.push(await bus.consume(shared, envelopeLoose, handler, { prefetch }));
    this.consumers.push(await bus.consume(own, envelopeLoose, handler, { prefetch }));
    this.opts.logger.info({ queues: [shared, own], maxInFlight: prefetch }, 'originate intake started');
  }

  /** Stops taking requests; originates already running carry on (the engine drains them). */
  async stop(): Promise<void> {
    const consumers = this.consumers.splice(0);
    await Promise.all(consumers.map((c) => c.cancel().catch((err: unknown) => this.opts.logger.warn({ err, queue: c.queue }, 'originate consumer cancel failed'))));
  }

  /** Resolves when every originate started by this intake has been decided (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  private async handle(raw: Record<string, unknown>, ctx: DeliveryContext): Promise<void> {
    const parsed = parseMessage(originateRequest, raw);
    if (!parsed.ok) return this.refuse(raw, parsed.error.message, { issues: parsed.error.issues });
    const req = parsed.value;
    const account = await resolveAccount(req, this.opts.accounts);
    if (!account.ok) return this.refuse(raw, `invalid originate_req: ${account.reason}`, {});
    const { accountId } = account;
    await this.limiter.acquire();
    let decision: { handedOver: boolean; resolved?: EndpointResolution } = { handedOver: false };
    try {
      if (ctx.headers[FORWARDED_BY_HEADER] === undefined) decision = await this.forwardIfElsewhere(raw, req, accountId);
    } catch (err) {
      this.opts.logger.warn({ err }, 'originate: forwarding check failed, running here');
    }
    if (decision.handedOver) {
      this.limiter.release();
      return;
    }
    const handshake = this.opts.handshake !== undefined && needsHandshake(req) ? { handshake: this.opts.handshake } : {};
    this.launch(req, { accountId, ...(decision.resolved !== undefined ? { resolved: decision.resolved } : {}), ...handshake });
  }

  private async refuse(raw: Record<string, unknown>, message: string, details: Record<string, unknown>): Promise<never> {
    this.opts.logger.warn({ reason: message, msgId: raw['Msg-ID'] }, 'originate_req refused');
    await this.reporter.report(raw, message, 'originate_invalid');
    throw new IntakeError('originate_invalid', message, details);
  }

  /** The endpoint resolution made here is handed to the engine, so a request run here is resolved once. */
  private async forwardIfElsewhere(raw: Record<string, unknown>, req: OriginateRequest, accountId: string): Promise<{ handedOver: boolean; resolved?: EndpointResolution }> {
    const { bus, calls, nodeId, logger, resolver } = this.opts;
    const { node: target, resolved } = await forwardDecision(req, accountId, { calls, nodeId, logger, ...(resolver !== undefined ? { resolver } : {}) });
    if (target === undefined) return { handedOver: false, ...(resolved !== undefined ? { resolved } : {}) };
    try {
      await bus.publish(EXCHANGES.callmgr.name, nodeOriginateRoutingKey(target), raw, { mandatory: true, headers: { [FORWARDED_BY_HEADER]: nodeId } });
      logger.info({ msgId: req['Msg-ID'], to: target }, 'originate_req forwarded to the owning node');
      return { handedOver: true };
    } catch (err) {
      logger.warn({ err, to: target }, 'originate_req could not be forwarded, running here');
      return { handedOver: false };
    }
  }

  /** Runs the originate in the background: the message is acked now, the slot is held until it is decided. */
  private launch(req: OriginateRequest, meta: OriginateMeta): void {
    const run = this.opts.engine
      .originate(req, meta)
      .then((outcome) => {
        if (!outcome.ok) this.opts.logger.info({ msgId: req['Msg-ID'], cause: outcome.cause, reason: outcome.reason }, 'originate failed');
      })
      .catch((err: unknown) => this.opts.logger.error({ err, msgId: req['Msg-ID'] }, 'originate crashed'))
      .finally(() => {
        this.limiter.release();
        this.running.delete(run);
      });
    this.running.add(run);
  }
}
