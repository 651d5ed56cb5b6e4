import type { ChannelCap, LimitRepository } from '@legwork/call-state';
import type { Account, Directory } from '@legwork/directory';
import { channelChainOf } from './channel-chain';
import { Refusal } from './refusal';

/** A request under an account no ancestor caps: one list for all (never changed, only replaced). */
const NO_ANCESTORS: string[] = [];

const sameIds = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((id, i) => id === b[i]);

/** The channels one request takes: one per leg under its account and every ancestor that caps it, read once per request. */
export class SessionChannels {
  /** Ancestors whose limits also hold this request's channels, known once the first channel is taken. */
  ancestorIds: string[] = NO_ANCESTORS;
  private chain: Promise<ChannelCap[]> | undefined;

  constructor(
    private readonly directory: Directory,
    private readonly limits: LimitRepository,
    private readonly accountId: string,
    private readonly nodeId: string,
  ) {}

  /** Starts reading the limits now, from the account being read, so acquire() finds them (or waits less). */
  prefetch(account: Promise<Account | null>): void {
    this.chain ??= channelChainOf(this.directory, this.accountId, account);
  }

  /** All taken before anything rings; on refusal the ones taken are given back. */
  async acquire(callIds: string[]): Promise<void> {
    const chain = await this.channelChain();
    // the legs keep this list for their life: a B-leg's acquire keeps the A-leg's when it says the same, and none is one shared list
    const ancestors = chain.length <= 1 ? NO_ANCESTORS : chain.slice(1).map((c) => c.accountId);
    if (!sameIds(ancestors, this.ancestorIds)) this.ancestorIds = ancestors;
    const taken: string[] = [];
    for (const callId of callIds) {
      const verdict = await this.limits.acquireAlong(chain, callId, this.nodeId);
      if (!verdict.granted) {
        await Promise.all(taken.map((id) => this.limits.releaseAlong(chain.map((c) => c.accountId), id)));
        const own = verdict.accountId === this.accountId;
        const limit = chain.find((c) => c.accountId === verdict.accountId)?.limit ?? 0;
        throw new Refusal('channel_limit_reached', `${own ? `account ${this.accountId}` : 'a parent account'} is at its limit of ${limit} concurrent channels`);
      }
      taken.push(callId);
    }
  }

  /**
   * The account's channel limit and each ancestor's that has one, nearest first (A-legs and B-legs share it).
   * The account's own holder is always kept, so it is counted.
   */
  private channelChain(): Promise<ChannelCap[]> {
    this.chain ??= channelChainOf(this.directory, this.accountId);
    return this.chain;
  }
}
