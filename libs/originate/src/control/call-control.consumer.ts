import type { Bus, Consumer, DeliveryContext } from '@legwork/bus';
import type { CallStore } from '@legwork/call-state';
import type { Logger } from '@legwork/common';
import {
  EXCHANGES, buildMessage, callCommand, callCommandError, callCommandResult, envelope, parseMessage, routeFor,
  type CallCommand, type CallCommandResultCode,
} from '@legwork/contracts';
import { z } from 'zod';
import { controlQueueOf } from '../engine/originate.engine';
import { FORWARDED_BY_HEADER } from '../intake/originate.intake';
import { IntakeError } from '../intake/intake.errors';
import { StoreCallLocator } from './call-locator';
import { type CommandRegistry, defaultCommandRegistry } from './command.registry';
import type { CallController, CommandOutcome } from './command.types';

export type { CallController } from './command.types';

export interface CallControlOptions {
  bus: Bus;
  engine: CallController;
  logger: Logger;
  /** Where a call not live here is looked up, to route its command to the owning node; without it such a call is no_such_call. */
  calls?: CallStore;
  nodeId?: string;
  appName: string;
  appVersion: string;
  /** Command name → handler; default: hangup, hold, unhold, reconnect and blind transfer run, the rest of the plane answers not_supported. */
  registry?: CommandRegistry;
}

export type CommandResult = { callId: string; command: CallCommand['Application-Name']; handled: boolean; result?: CallCommandResultCode };

type Answer = Extract<CommandOutcome, { kind: 'result' }>;

/**
 * Commands for live calls, from the node's own queue on `callctl`: validated, handed to the command's handler, and
 * answered with a call_command_result to the command's Server-ID (Msg-ID kept). A call another node owns gets the
 * command forwarded there, once. A command with nobody to answer that this node cannot run is dead-lettered.
 */
export class CallControlConsumer {
  private consumer: Consumer | undefined;
  private readonly listeners: Array<(result: CommandResult) => void> = [];
  private readonly registry: CommandRegistry;
  /** Commands for one call run in the order they came (hold before unhold); different calls do not wait on each other. */
  private readonly lanes = new Map<string, Promise<void>>();

  constructor(private readonly opts: CallControlOptions) {
    this.registry = opts.registry ?? defaultCommandRegistry();
  }

  get queue(): string {
    return this.opts.engine.controlQueue;
  }

  /** Called after each command handled (tests, metrics). */
  onCommand(listener: (result: CommandResult) => void): void {
    this.listeners.push(listener);
  }

  async start(): Promise<void> {
    const { bus } = this.opts;
    // the control queue only means something while this node runs: it goes with the node
    const queue = await bus.declareQueue(this.queue, { durable: false, autoDelete: true, bindings: [{ exchange: EXCHANGES.callctl.name, routingKey: this.queue }] });
    this.consumer = await bus.consume(queue, z.record(z.string(), z.unknown()), (raw, ctx) => this.handle(raw, ctx));
    this.opts.logger.info({ queue }, 'call control started');
  }

  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.cancel();
  }

  private handle(raw: Record<string, unknown>, ctx: DeliveryContext): Promise<void> {
    const key = typeof raw['Call-ID'] === 'string' ? raw['Call-ID'] : '';
    const run = (this.lanes.get(key) ?? Promise.resolve()).then(() => this.run(raw, ctx));
    const tail = run.catch(() => undefined);
    this.lanes.set(key, tail);
    void tail.then(() => {
      if (this.lanes.get(key) === tail) this.lanes.delete(key);
    });
    return run;
  }

  private async run(raw: Record<string, unknown>, ctx: DeliveryContext): Promise<void> {
    const parsed = parseMessage(callCommand, raw);
    if (!parsed.ok) {
      await this.replyInvalid(raw, parsed.error.message);
      throw new IntakeError('command_invalid', parsed.error.message, { issues: parsed.error.issues });
    }
    const cmd = parsed.value;
    const { engine, calls, nodeId, logger } = this.opts;
    const locate = new StoreCallLocator(calls, nodeId, ctx.headers[FORWARDED_BY_HEADER] !== undefined, logger);
    const handled = await this.registry[cmd['Application-Name']](cmd, { engine, locate });
    const answer = handled.kind === 'forward' ? await this.forward(raw, cmd, handled.nodeId) : handled;
    if (answer === undefined) return;
    this.log(cmd, answer);
    await this.reply(cmd, answer);
    for (const listener of this.listeners) listener({ callId: cmd['Call-ID'], command: cmd['Application-Name'], handled: answer.result === 'ok', result: answer.result });
    // fire and forget (no Server-ID): a command this node cannot run leaves a trace in the dead-letter queue
    if (answer.result === 'not_supported' && !hasServerId(cmd)) throw new IntakeError('command_not_supported', answer.message ?? `call command ${cmd['Application-Name']} is not supported`, { callId: cmd['Call-ID'] });
  }

  /** The owner answers the requester itself; a forward that cannot be published is answered here. */
  private async forward(raw: Record<string, unknown>, cmd: CallCommand, owner: string): Promise<Answer | undefined> {
    const { bus, nodeId, logger } = this.opts;
    try {
      await bus.publish(EXCHANGES.callctl.name, controlQueueOf(owner), raw, { mandatory: true, headers: { [FORWARDED_BY_HEADER]: nodeId ?? 'unknown' } });
      logger.info({ callId: cmd['Call-ID'], command: cmd['Application-Name'], to: owner }, 'call command forwarded to the owning node');
      return undefined;
    } catch (err) {
      logger.warn({ err, callId: cmd['Call-ID'], to: owner }, 'call command could not be forwarded');
      return { kind: 'result', result: 'no_such_call', message: `call ${cmd['Call-ID']} is on media node ${owner}, which cannot be reached` };
    }
  }

  private log(cmd: CallCommand, answer: Answer): void {
    const fields = { callId: cmd['Call-ID'], command: cmd['Application-Name'], result: answer.result, reason: answer.message };
    if (answer.result === 'not_supported') this.opts.logger.warn(fields, 'call command not supported yet');
    else if (answer.result === 'no_such_call') this.opts.logger.info(fields, 'call command for a call not live here');
    else this.opts.logger.info(fields, 'call command handled');
  }

  /** A requester that named a Server-ID hears why its command was refused instead of waiting out its timeout. */
  private async replyInvalid(raw: Record<string, unknown>, message: string): Promise<void> {
    const serverId = raw['Server-ID'];
    if (typeof serverId !== 'string' || serverId === '') return;
    const { bus, appName, appVersion, nodeId, logger } = this.opts;
    const text = (key: string): Record<string, string> => (typeof raw[key] === 'string' && raw[key] !== '' ? { [key]: raw[key] } : {});
    try {
      const msg = buildMessage(callCommandError, { 'Error-Message': message, 'Error-Code': 'command_invalid', Request: raw, ...text('Call-ID'), ...text('Msg-ID') }, envelope(appName, appVersion, nodeId));
      const { exchange, routingKey } = routeFor(callCommandError, msg, serverId);
      await bus.publish(exchange, routingKey, msg, { mandatory: false });
    } catch (err) {
      logger.warn({ err, serverId }, 'call command error reply not published');
    }
  }

  private async reply(cmd: CallCommand, answer: Answer): Promise<void> {
    if (!hasServerId(cmd)) return;
    const { bus, appName, appVersion, nodeId, logger } = this.opts;
    try {
      const body = {
        'Msg-ID': cmd['Msg-ID'], 'Call-ID': cmd['Call-ID'], 'Application-Name': cmd['Application-Name'], Result: answer.result,
        ...(answer.message !== undefined ? { 'Result-Message': answer.message } : {}),
        ...(answer.callState !== undefined ? { 'Call-State': answer.callState } : {}),
        ...(answer.data !== undefined ? { 'Result-Data': answer.data } : {}),
      };
      const msg = buildMessage(callCommandResult, body, envelope(appName, appVersion, nodeId));
      const { exchange, routingKey } = routeFor(callCommandResult, msg, cmd['Server-ID']);
      await bus.publish(exchange, routingKey, msg, { mandatory: false });
    } catch (err) {
      logger.warn({ err, callId: cmd['Call-ID'], serverId: cmd['Server-ID'] }, 'call_command_result not published');
    }
  }
}

function hasServerId(cmd: CallCommand): cmd is CallCommand & { 'Server-ID': string } {
  return typeof cmd['Server-ID'] === 'string' && cmd['Server-ID'] !== '';
}
