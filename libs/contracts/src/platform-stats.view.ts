// GET /v2/accounts/{id}/platform_stats as the gateway answers it and the console reads it: one shape for both.

/** One point of the platform's picture: what happened in one bucket, and the state at its end. */
export interface StatsPoint {
  /** The bucket's start, ms since the epoch. */
  at: number;
  /** New channels (call legs) per second in the bucket. */
  channels_per_second: number;
  /** The most channels up at once during the bucket (a short call between two samples still shows). */
  concurrent_channels: number;
  /** Answered among the channels that ended in the bucket (0..1); null when none ended. */
  answer_seizure_ratio: number | null;
  /** Webhook jobs waiting in the delivery queues at the last sample of the bucket; null when never sampled. */
  webhook_backlog: number | null;
}

/** The last minutes of the platform, in buckets. */
export interface StatsSnapshot {
  bucket_seconds: number;
  window_seconds: number;
  /** Since when the numbers count: channels already up before it are not in concurrent_channels. */
  counting_since: number;
  points: StatsPoint[];
}
