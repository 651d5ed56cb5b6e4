import type { CallStore } from '@legwork/call-state';
import type { Logger } from '@legwork/common';
import type { CallEventNotifier } from '../events/call-event.notifier';

export const SWEEP_CAUSE = 'NORMAL_TEMPORARY_FAILURE';

/** With the heartbeat's defaults (2 s beat, 6 s TTL) a dead node's calls end within 8 s of its death. */
export const SWEEP_INTERVAL_DEFAULT_MS = 2000;

export interface NodeSweeperOptions {
  calls: CallStore;
  notifier: CallEventNotifier;
  /** This node: the sweeper's identity in claims, never swept by itself. */
  nodeId: string;
  logger: Logger;
  /** Default SWEEP_INTERVAL_DEFAULT_MS. */
  intervalMs?: number;
  /** How long a claim keeps other sweepers off a node; default 60 000. */
  claimTtlMs?: number;
}

export interface SweepReport {
  /** Nodes this sweeper claimed and cleaned. */
  nodes: string[];
  /** Calls this sweeper ended (and published CHANNEL_DESTROY for). */
  ended: string[];
  /** Channel holders dropped from the limits. */
  reaped: number;
}

/** Ends the calls of media nodes whose heartbeat expired, once cluster-wide, and frees their channels. */
export class NodeSweeper {
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: NodeSweeperOptions) {}

  start(): void {
    if (this.timer !== undefined) return;
    const interval = this.opts.intervalMs ?? SWEEP_INTERVAL_DEFAULT_MS;
    this.timer = setInterval(() => {
      this.sweeping = this.sweepOnce().catch((err: unknown) => this.opts.logger.warn({ err }, 'node sweep failed'));
    }, interval);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.sweeping;
  }

  async sweepOnce(): Promise<SweepReport> {
    const report: SweepReport = { nodes: [], ended: [], reaped: 0 };
    const { calls, nodeId } = this.opts;
    for (const dead of await calls.nodes.expiredNodes()) {
      if (dead === nodeId || !(await calls.nodes.claimSweep(dead, nodeId, this.opts.claimTtlMs ?? 60_000))) continue;
      report.ended.push(...(await this.endCallsOf(dead)));
      report.reaped += await calls.limits.reap(dead);
      await calls.nodes.forget(dead);
      report.nodes.push(dead);
      this.opts.logger.warn({ node: dead, calls: report.ended.length, reaped: report.reaped }, 'swept calls of a dead media node');
    }
    return report;
  }

  private async endCallsOf(dead: string): Promise<string[]> {
    const ended: string[] = [];
    for (const call of await this.opts.calls.calls.listByNode(dead)) {
      const result = await this.opts.calls.calls.end(call.callId, SWEEP_CAUSE);
      // only the caller that actually ended the leg reports it, so racing sweepers never double-publish
      if (!result.ended) continue;
      ended.push(call.callId);
      await this.opts.notifier.publish('CHANNEL_DESTROY', result.record, { 'Hangup-Cause': SWEEP_CAUSE });
    }
    return ended;
  }
}
