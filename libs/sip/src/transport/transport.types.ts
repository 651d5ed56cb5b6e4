import type { AnySipMessage, SipRequest, SipResponse } from '../message/sip-message';

export type SipProtocol = 'udp' | 'tcp' | 'tls' | 'ws' | 'wss';

/** Where an inbound message came from; flowId is set for stream transports only (the token of its connection). */
export interface SipSource {
  protocol: SipProtocol;
  remoteAddress: string;
  remotePort: number;
  localAddress: string;
  localPort: number;
  flowId?: string;
}

/** Where to send; with flowId set the message goes over that exact connection or fails with SipTransportError('flow_gone'). */
export interface SipTarget {
  protocol: SipProtocol;
  host: string;
  port: number;
  flowId?: string;
}

export interface InboundSipMessage {
  message: AnySipMessage;
  source: SipSource;
}

/** What to put in our Via (transport token = protocol upper-cased). */
export interface SentBy {
  host: string;
  port: number;
  protocol: SipProtocol;
}

export interface SipTransportLayer {
  /** Requests already carry Via received/rport stamped (RFC 3581 / RFC 3261 §18.2.1). */
  onMessage(handler: (inbound: InboundSipMessage) => void): void;
  onFlowClosed(handler: (flowId: string) => void): void;
  /** Serializes once; rejects with SipTransportError (flow_gone, connect_failed, send_failed, too_large, closed). */
  send(message: AnySipMessage, target: SipTarget): Promise<void>;
  /** RFC 3261 §18.2.2: stream → same flow if open, else connect to Via sent-by; UDP → received + rport (or sent-by port). */
  sendResponse(response: SipResponse, source: SipSource): Promise<void>;
  /** Outbound proxy, else top Route (loose routing), else Request-URI; transport param / sips; default ports 5060/5061. */
  resolve(request: SipRequest, outboundProxy?: string): Promise<SipTarget>;
  sentBy(protocol: SipProtocol): SentBy;
  isReliable(protocol: SipProtocol): boolean;
  listening(): Array<{ protocol: SipProtocol; address: string; port: number }>;
  close(): Promise<void>;
}
