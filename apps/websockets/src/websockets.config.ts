import { z } from 'zod';
import { baseConfigShape, websocketsPortShape } from '@legwork/platform';

const positiveInt = (dflt: number, min = 1) =>
  z.coerce.number({ error: `must be an integer of at least ${min}` }).int({ error: `must be an integer of at least ${min}` }).min(min, { error: `must be an integer of at least ${min}` }).default(dflt);

/** Environment of the websockets app: the shared variables, its port and the event-stream limits. */
export const websocketsConfigShape = {
  ...baseConfigShape,
  ...websocketsPortShape,
  WEBSOCKETS_MAX_CONNECTIONS_PER_IP: positiveInt(100),
  WEBSOCKETS_HEARTBEAT_SECONDS: positiveInt(30),
  /** Bytes a client may leave unread before it is closed as a slow consumer (4008). */
  WEBSOCKETS_MAX_BUFFERED_BYTES: positiveInt(1024 * 1024, 1024),
  WEBSOCKETS_MAX_PENDING_FRAMES: positiveInt(1000),
  WEBSOCKETS_MAX_SUBSCRIPTIONS: positiveInt(100),
  /**
   * How often each socket's credentials are read again; a socket whose token was revoked, or whose user or
   * account was disabled or deleted, is closed with 4001 within this time. 1 to 3600 seconds.
   */
  WEBSOCKETS_REVERIFY_SECONDS: positiveInt(30).refine((v) => v <= 3600, { error: 'must be an integer between 1 and 3600' }),
};
export const websocketsConfigSchema = z.object(websocketsConfigShape);
export type WebsocketsConfig = z.output<typeof websocketsConfigSchema>;

/** The event-stream limits named by the config. */
export function eventStreamOptionsFromConfig(config: WebsocketsConfig) {
  return {
    maxConnectionsPerIp: config.WEBSOCKETS_MAX_CONNECTIONS_PER_IP,
    heartbeatIntervalMs: config.WEBSOCKETS_HEARTBEAT_SECONDS * 1000,
    maxBufferedBytes: config.WEBSOCKETS_MAX_BUFFERED_BYTES,
    maxPendingFrames: config.WEBSOCKETS_MAX_PENDING_FRAMES,
    maxSubscriptions: config.WEBSOCKETS_MAX_SUBSCRIPTIONS,
    reverifyIntervalMs: config.WEBSOCKETS_REVERIFY_SECONDS * 1000,
  };
}
