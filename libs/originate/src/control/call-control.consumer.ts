import type { Bus, Consumer } from '@legwork/bus';
import type { Logger } from '@legwork/common';
import { EXCHANGES, callCommand, parseMessage, type CallCommand } from '@legwork/contracts';
import { z } from 'zod';
import { IntakeError } from '../intake/intake.errors';

/** What call control needs from the engine. */
export interface CallController {
  readonly controlQueue: string;
  hangup(callId: string, cause?: string): Promise<boolean>;
}

export interface CallControlOptions {
  bus: Bus;
  engine: CallController;
  logger: Logger;
}

export type CommandResult = { callId: string; command: CallCommand['Application-Name']; handled: boolean };

/** Commands for calls live on this node, from the node's own queue on `callctl`. */
export class CallControlConsumer {
  private consumer: Consumer | undefined;
  private readonly listeners: Array<(result: CommandResult) => void> = [];

  constructor(private readonly opts: CallControlOptions) {}

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
    this.consumer = await bus.consume(queue, z.record(z.string(), z.unknown()), (raw) => this.handle(raw));
    this.opts.logger.info({ queue }, 'call control started');
  }

  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.cancel();
  }

  private async handle(raw: Record<string, unknown>): Promise<void> {
    const parsed = parseMessage(callCommand, raw);
    if (!parsed.ok) throw new IntakeError('command_invalid', parsed.error.message, { issues: parsed.error.issues });
    const cmd = parsed.value;
    const callId = cmd['Call-ID'];
    if (cmd['Application-Name'] !== 'hangup') {
      this.opts.logger.warn({ callId, command: cmd['Application-Name'] }, 'call command not supported yet');
      throw new IntakeError('command_not_supported', `call command ${cmd['Application-Name']} is not supported yet`, { callId });
    }
    const handled = await this.opts.engine.hangup(callId, cmd['Hangup-Cause'] ?? 'NORMAL_CLEARING');
    if (!handled) this.opts.logger.info({ callId }, 'hangup for a call not live on this node ignored');
    for (const listener of this.listeners) listener({ callId, command: cmd['Application-Name'], handled });
  }
}
