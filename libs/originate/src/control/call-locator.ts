import type { CallStore } from '@legwork/call-state';
import type { Logger } from '@legwork/common';
import { type CallLocator, type CommandOutcome, outcome } from './command.types';

/**
 * Finds the owner of a call not live on this node in call-state, as intake does for originate requests: a live
 * other node gets the command (once; a forwarded command is never bounced again), anything else is answered here.
 */
export class StoreCallLocator implements CallLocator {
  constructor(
    private readonly calls: CallStore | undefined,
    private readonly nodeId: string | undefined,
    private readonly forwarded: boolean,
    private readonly logger: Logger,
  ) {}

  async elsewhere(callId: string): Promise<CommandOutcome> {
    const notHere = outcome.noSuchCall(`call ${callId} is not live on any media node`);
    if (this.calls === undefined) return notHere;
    const record = await this.calls.calls.get(callId).catch((err: unknown) => {
      this.logger.warn({ err, callId }, 'call command: owner lookup failed');
      return null;
    });
    if (record === null) return notHere;
    if (record.state === 'ended') return outcome.invalidState('ended', `call ${callId} has already ended${record.hangupCause !== undefined ? ` (${record.hangupCause})` : ''}`);
    if (record.nodeId === this.nodeId) return outcome.noSuchCall(`call ${callId} is recorded on this node but no longer live here`);
    if (this.forwarded) return outcome.noSuchCall(`call ${callId} is recorded on media node ${record.nodeId}, which was already asked`);
    const live = await this.calls.nodes.isLive(record.nodeId).catch(() => false);
    if (!live) return outcome.noSuchCall(`call ${callId} is recorded on media node ${record.nodeId}, which is not live`);
    return { kind: 'forward', nodeId: record.nodeId };
  }
}
