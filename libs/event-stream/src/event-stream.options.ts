import { z } from 'zod';
import { EventStreamError } from './event-stream.error';

/** Limits of one event-stream endpoint; defaults suit production, tests shrink them. */
export const eventStreamOptionsSchema = z.object({
  /** Upgrade paths served; anything else gets 404. */
  paths: z.array(z.string().startsWith('/')).min(1).default(['/', '/websocket']),
  maxConnectionsPerIp: z.number().int().min(1).default(100),
  /** A socket that has not answered the previous ping by the next one is terminated. */
  heartbeatIntervalMs: z.number().int().min(20).default(30_000),
  /** Bytes waiting in the socket beyond which the client counts as slow. */
  maxBufferedBytes: z.number().int().min(1024).default(1024 * 1024),
  /** Frames handed to the socket but not yet written, beyond which the client counts as slow. */
  maxPendingFrames: z.number().int().min(1).default(1000),
  maxSubscriptions: z.number().int().min(1).default(100),
  /** Broker-side cap of the instance's queue, and of the live events one socket holds while a resume replays. */
  maxQueueLength: z.number().int().min(1).default(10_000),
  maxPayloadBytes: z.number().int().min(256).default(64 * 1024),
  /**
   * How often a socket's credentials are read again (its token revoked, its user or account disabled or deleted:
   * closed with 4001). At most an hour, well inside the day a revoked token stays marked.
   */
  reverifyIntervalMs: z.number().int().min(50).max(3_600_000).default(30_000),
});

export type EventStreamOptionsInput = z.input<typeof eventStreamOptionsSchema>;
export type EventStreamOptions = z.output<typeof eventStreamOptionsSchema>;

export function resolveEventStreamOptions(input: EventStreamOptionsInput = {}): EventStreamOptions {
  const parsed = eventStreamOptionsSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new EventStreamError('invalid_message', `invalid event-stream options: ${issues.join('; ')}`, { issues });
  }
  return parsed.data;
}
