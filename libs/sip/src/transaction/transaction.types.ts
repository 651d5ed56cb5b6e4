import type { Logger } from '@legwork/common';
import type { SipRequest, SipResponse } from '../message/sip-message';
import type { SipSource, SipTransportLayer } from '../transport/transport.types';
import type { SipTransactionError } from './transaction.errors';
import type { SipTimers } from './timers';

export interface TransactionContext {
  transport: SipTransportLayer;
  timers: SipTimers;
  logger: Logger;
}

/** The core above a client transaction: every response it lets through, or why it gave up. */
export interface ClientTransactionUser {
  onResponse(response: SipResponse): void;
  onFailure(error: SipTransactionError): void;
}

/** The core above a server transaction. */
export interface ServerTransactionUser {
  /** ACK matched to an INVITE server transaction in the Accepted state (RFC 6026 passes it up). */
  onAck?(ack: SipRequest): void;
  /** Timer H fired: no ACK for our 3xx-6xx; or the transport failed. */
  onFailure?(error: SipTransactionError): void;
}

export interface ServerTransaction {
  readonly key: string;
  readonly request: SipRequest;
  readonly source: SipSource;
  readonly state: string;
  lastResponse: SipResponse | undefined;
  user: ServerTransactionUser;
  respond(response: SipResponse): Promise<void>;
  /** A retransmission of the request matched this transaction. */
  receiveRequest(request: SipRequest): void;
  terminate(): void;
}

export interface ClientTransaction {
  readonly key: string;
  readonly request: SipRequest;
  readonly state: string;
  receiveResponse(response: SipResponse): void;
  terminate(): void;
}
