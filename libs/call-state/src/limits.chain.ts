import type { BucketCap, ChainVerdict, ChannelCap, LimitRepository } from './call-store';

type Steps = Pick<LimitRepository, 'acquire' | 'release' | 'bucket'>;

function distinct<T extends { accountId: string }>(chain: T[]): T[] {
  const seen = new Set<string>();
  return chain.filter((cap) => {
    if (seen.has(cap.accountId)) return false;
    seen.add(cap.accountId);
    return true;
  });
}

/** Ordered single-slot steps shared by both drivers; see LimitRepository.acquireAlong. */
export async function acquireAlong(limits: Steps, chain: ChannelCap[], callId: string, nodeId: string): Promise<ChainVerdict> {
  const taken: string[] = [];
  for (const cap of distinct(chain)) {
    let granted = false;
    try {
      granted = await limits.acquire(cap.accountId, callId, nodeId, cap.limit);
    } catch (err) {
      await releaseAll(limits, taken.reverse(), callId);
      throw err;
    }
    if (!granted) {
      await releaseAll(limits, taken.reverse(), callId);
      return { granted: false, accountId: cap.accountId };
    }
    taken.push(cap.accountId);
  }
  return { granted: true };
}

async function releaseAll(limits: Steps, accountIds: string[], callId: string): Promise<boolean[]> {
  const released: boolean[] = [];
  for (const accountId of accountIds) released.push(await limits.release(accountId, callId));
  return released;
}

export async function releaseAlong(limits: Steps, accountIds: string[], callId: string): Promise<boolean> {
  const [own = false] = await releaseAll(limits, [...new Set(accountIds)], callId);
  return own;
}

export async function bucketAlong(limits: Steps, chain: BucketCap[]): Promise<ChainVerdict> {
  for (const cap of distinct(chain)) {
    if (!(await limits.bucket(cap.accountId, cap.burst, cap.refillPerSecond))) return { granted: false, accountId: cap.accountId };
  }
  return { granted: true };
}
