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
  idleTimeoutMs: z.number().int().positive().default(900_000),
  connectTimeoutMs: z.number().int().positive().default(10_000),
  /** Stream connections (all protocols, in and out) beyond which new ones are refused. */
  maxConnections: z.number().int().positive().default(10_000),
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
