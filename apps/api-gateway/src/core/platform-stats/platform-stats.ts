import type { StatsPoint, StatsSnapshot } from '@legwork/contracts';

export type { StatsPoint, StatsSnapshot };

interface Bucket {
  at: number;
  created: number;
  ended: number;
  endedAnswered: number;
  concurrent: number;
  backlog: number | null;
}

/** Bounds memory whatever the event stream does: channels beyond it are still counted per bucket, not tracked as up. */
const MAX_TRACKED = 100_000;

/** The platform's call counters in fixed buckets over a sliding window, fed from call events and backlog samples. */
export class PlatformStats {
  private readonly buckets: Bucket[] = [];
  private readonly up = new Map<string, { answered: boolean }>();
  private readonly since: number;

  constructor(
    private readonly opts: { bucketMs: number; windowMs: number },
    now: number = Date.now(),
  ) {
    this.since = now;
  }

  created(callId: string, now: number = Date.now()): void {
    const bucket = this.bucket(now);
    bucket.created++;
    if (!this.up.has(callId) && this.up.size < MAX_TRACKED) this.up.set(callId, { answered: false });
    bucket.concurrent = Math.max(bucket.concurrent, this.up.size);
  }

  answered(callId: string): void {
    const leg = this.up.get(callId);
    if (leg !== undefined) leg.answered = true;
  }

  destroyed(callId: string, now: number = Date.now()): void {
    const bucket = this.bucket(now);
    const leg = this.up.get(callId);
    // a destroy for a channel seen created only: one that began before we counted says nothing of its answer
    if (leg === undefined) return;
    this.up.delete(callId);
    bucket.ended++;
    if (leg.answered) bucket.endedAnswered++;
  }

  backlog(depth: number, now: number = Date.now()): void {
    this.bucket(now).backlog = depth;
  }

  snapshot(now: number = Date.now()): StatsSnapshot {
    this.bucket(now);
    const seconds = this.opts.bucketMs / 1000;
    return {
      bucket_seconds: seconds,
      window_seconds: this.opts.windowMs / 1000,
      counting_since: this.since,
      points: this.buckets.map((b) => ({
        at: b.at,
        channels_per_second: b.created / seconds,
        concurrent_channels: b.concurrent,
        answer_seizure_ratio: b.ended === 0 ? null : b.endedAnswered / b.ended,
        webhook_backlog: b.backlog,
      })),
    };
  }

  /** The bucket `now` falls in; buckets skipped since the last one are filled (nothing happened, state carried over). */
  private bucket(now: number): Bucket {
    const at = now - (now % this.opts.bucketMs);
    let last = this.buckets.at(-1);
    if (last !== undefined && last.at >= at) return last;
    const first = last === undefined ? at : Math.max(last.at + this.opts.bucketMs, at - this.opts.windowMs + this.opts.bucketMs);
    for (let t = first; t <= at; t += this.opts.bucketMs) {
      last = { at: t, created: 0, ended: 0, endedAnswered: 0, concurrent: this.up.size, backlog: last?.backlog ?? null };
      this.buckets.push(last);
    }
    const keep = Math.ceil(this.opts.windowMs / this.opts.bucketMs);
    if (this.buckets.length > keep) this.buckets.splice(0, this.buckets.length - keep);
    return this.buckets.at(-1) as Bucket;
  }
}
