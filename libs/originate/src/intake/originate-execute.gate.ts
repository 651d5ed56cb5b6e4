import type { Bus, Consumer } from '@legwork/bus';
import type { Logger } from '@legwork/common';
import { EXCHANGES, originateExecute, parseMessage } from '@legwork/contracts';
import { z } from 'zod';
import { EXECUTE_TIMEOUT_MS, type ExecuteHandshake, type ExecuteReceived } from '../engine/execute-handshake';
import { IntakeError } from './intake.errors';

/** This node's queue for originate_execute on `targeted`: the Server-ID its originate_ready messages name. */
export const executeQueueOf = (nodeId: string): string => `legwork.originate.execute.${nodeId}`;

export interface OriginateExecuteGateOptions {
  bus: Bus;
  nodeId: string;
  logger: Logger;
  /** Default 5 s, ecallmgr's REPLY_TIMEOUT. */
  timeoutMs?: number;
}

/**
 * Where originate_execute arrives for the parks waiting on this node (ecallmgr gives each originate a queue of its
 * own; one per node does here, matched by Call-ID). An execute nobody waits for (late, or for another call) is dropped.
 */
export class OriginateExecuteGate implements ExecuteHandshake {
  readonly serverId: string;
  readonly timeoutMs: number;
  private readonly waiting = new Map<string, (execute: ExecuteReceived | undefined) => void>();
  private consumer: Consumer | undefined;

  constructor(private readonly opts: OriginateExecuteGateOptions) {
    this.serverId = executeQueueOf(opts.nodeId);
    this.timeoutMs = opts.timeoutMs ?? EXECUTE_TIMEOUT_MS;
  }

  async start(): Promise<void> {
    const { bus } = this.opts;
    // like the control queue, it only means something while this node runs
    const queue = await bus.declareQueue(this.serverId, { durable: false, autoDelete: true, bindings: [{ exchange: EXCHANGES.targeted.name, routingKey: this.serverId }] });
    this.consumer = await bus.consume(queue, z.record(z.string(), z.unknown()), (raw) => this.handle(raw));
  }

  /** Stops taking executes; every park still waiting gets its timeout now. */
  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.cancel();
    for (const settle of [...this.waiting.values()]) settle(undefined);
  }

  expect(callId: string): Promise<ExecuteReceived | undefined> {
    return new Promise((resolve) => {
      const settle = (execute: ExecuteReceived | undefined): void => {
        clearTimeout(timer);
        if (this.waiting.get(callId) === settle) this.waiting.delete(callId);
        resolve(execute);
      };
      const timer = setTimeout(() => settle(undefined), this.timeoutMs);
      this.waiting.get(callId)?.(undefined);
      this.waiting.set(callId, settle);
    });
  }

  private async handle(raw: Record<string, unknown>): Promise<void> {
    const parsed = parseMessage(originateExecute, raw);
    if (!parsed.ok) throw new IntakeError('execute_invalid', parsed.error.message, { issues: parsed.error.issues });
    const execute = parsed.value;
    const settle = this.waiting.get(execute['Call-ID']);
    if (settle === undefined) {
      this.opts.logger.info({ callId: execute['Call-ID'], msgId: execute['Msg-ID'] }, 'originate_execute for a call that waits for none: dropped');
      return;
    }
    // kz_api:queue_id: Server-Queue-ID, else Server-ID, re-targets every later reply
    const serverId = execute['Server-Queue-ID'] ?? execute['Server-ID'];
    settle(serverId !== undefined && serverId !== '' ? { serverId } : {});
  }
}
