import type { Logger } from '@legwork/common';
import type { SipParseLimits } from '../message/sip-parser';
import type { FlowRegistry } from './flow.registry';
import type { InboundProcessor } from './inbound-processor';
import type { StreamConnections } from './stream-connections';

/** What every connection-oriented transport shares with the layer. */
export interface StreamContext {
  registry: FlowRegistry;
  inbound: InboundProcessor;
  logger: Logger;
  limits: Partial<SipParseLimits>;
  connectTimeoutMs: number;
  /** Admission (per-source share, ceiling) and the deadlines of each connection. */
  connections: StreamConnections;
}

export interface TlsMaterial {
  key: string | Buffer;
  cert: string | Buffer;
  ca?: string | Buffer;
  rejectUnauthorized?: boolean;
}
