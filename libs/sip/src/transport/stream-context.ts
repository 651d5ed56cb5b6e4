import type { Logger } from '@legwork/common';
import type { SipParseLimits } from '../message/sip-parser';
import type { FlowRegistry } from './flow.registry';
import type { InboundProcessor } from './inbound-processor';

/** What every connection-oriented transport shares with the layer. */
export interface StreamContext {
  registry: FlowRegistry;
  inbound: InboundProcessor;
  logger: Logger;
  limits: Partial<SipParseLimits>;
  idleTimeoutMs: number;
  connectTimeoutMs: number;
  maxConnections: number;
}

export interface TlsMaterial {
  key: string | Buffer;
  cert: string | Buffer;
  ca?: string | Buffer;
  rejectUnauthorized?: boolean;
}

/** True when one more connection would break the configured ceiling (counted once, refused, logged). */
export function atCapacity(context: StreamContext): boolean {
  if (context.registry.size < context.maxConnections) return false;
  context.inbound.stats.refusedConnections++;
  context.logger.warn({ maxConnections: context.maxConnections }, 'SIP connection refused: limit reached');
  return true;
}
