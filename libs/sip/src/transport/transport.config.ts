import type { Logger } from '@legwork/common';
import { z } from 'zod';
import { SipTransportError } from './transport.error';

const pem = z.union([z.string().min(1), z.instanceof(Buffer)]);

const endpoint = z.object({
  host: z.string().min(1),
  port: z.number().int().min(0).max(65535),
  /** Host to put in our Via sent-by when the bind address is not reachable by peers (0.0.0.0, NAT). */
  advertisedHost: z.string().min(1).optional(),
});

const tlsParams = {
  key: pem,
  cert: pem,
  ca: pem.optional(),
  /** Verify peers' certificates when we connect out; on by default. */
  rejectUnauthorized: z.boolean().optional(),
};

const path = z.string().startsWith('/').optional();

/** Stream connection limits and deadlines unless configured (apps document and reuse these). */
export const STREAM_CONNECTION_DEFAULTS = {
  maxConnections: 10_000,
  maxConnectionsPerSource: 64,
  firstMessageTimeoutMs: 10_000,
  messageTimeoutMs: 10_000,
  idleTimeoutMs: 900_000,
  unregisteredIdleTimeoutMs: 60_000,
} as const;

export const transportOptionsSchema = z.object({
  udp: endpoint.optional(),
  tcp: endpoint.optional(),
  tls: endpoint.extend(tlsParams).optional(),
  ws: endpoint.extend({ path }).optional(),
  wss: endpoint.extend({ path, ...tlsParams }).optional(),
  limits: z
    .object({ maxMessageSize: z.number().int().positive(), maxHeaders: z.number().int().positive(), maxHeaderLineLength: z.number().int().positive() })
    .partial()
    .optional(),
  /** Idle limit of flows that carry a registration (the server marks them) and of connections we opened. */
  idleTimeoutMs: z.number().int().positive().default(STREAM_CONNECTION_DEFAULTS.idleTimeoutMs),
  /** Idle limit of inbound connections that carry no registration; only complete messages and our own sends count as activity. */
  unregisteredIdleTimeoutMs: z.number().int().positive().default(STREAM_CONNECTION_DEFAULTS.unregisteredIdleTimeoutMs),
  /** A new inbound connection must complete its TLS/WebSocket handshake and deliver one whole SIP message within this. */
  firstMessageTimeoutMs: z.number().int().positive().default(STREAM_CONNECTION_DEFAULTS.firstMessageTimeoutMs),
  /** A message whose first bytes arrived must be complete within this: a trickling peer is cut off. */
  messageTimeoutMs: z.number().int().positive().default(STREAM_CONNECTION_DEFAULTS.messageTimeoutMs),
  connectTimeoutMs: z.number().int().positive().default(10_000),
  /** Stream connections (all protocols, in and out, handshakes included) beyond which new ones are refused. */
  maxConnections: z.number().int().positive().default(STREAM_CONNECTION_DEFAULTS.maxConnections),
  /** Inbound stream connections one source may hold (an IPv4 address, an IPv6 /64), all protocols together. */
  maxConnectionsPerSource: z.number().int().positive().default(STREAM_CONNECTION_DEFAULTS.maxConnectionsPerSource),
});

export type TransportLayerConfig = z.infer<typeof transportOptionsSchema>;
export type TransportLayerOptions = z.input<typeof transportOptionsSchema> & { logger?: Logger };

export function parseTransportOptions(options: TransportLayerOptions): TransportLayerConfig {
  const { logger: _logger, ...rest } = options;
  const parsed = transportOptionsSchema.safeParse(rest);
  if (!parsed.success) throw new SipTransportError('bad_config', `invalid transport options: ${parsed.error.message}`, { issues: parsed.error.issues });
  const config = parsed.data;
  if (!config.udp && !config.tcp && !config.tls && !config.ws && !config.wss) {
    throw new SipTransportError('bad_config', 'at least one transport must be configured');
  }
  return config;
}
