import type { Logger } from '@legwork/common';
import type { AnySipMessage } from '../message/sip-message';
import type { SipParseError } from '../message/sip-parse-error';
import { parseSipMessage, type SipParseLimits } from '../message/sip-parser';
import { buildBadRequestReply } from './bad-request';
import type { InboundSipMessage, SipSource } from './transport.types';
import { stampVia } from './via-stamp';

/** Counters of what the transports received; exposed for metrics and tests. */
export interface TransportStats {
  received: number;
  /** Unparsable input answered with a stateless 400/513. */
  rejected: number;
  /** Unparsable input that could not be answered (responses, ACKs, garbage). */
  dropped: number;
  keepalives: number;
  /** Stream connections closed because the byte stream lost framing or broke a limit. */
  framingErrors: number;
  /** Stream connections refused at accept: the layer's ceiling or a source's share (refusedPerSource counts those). */
  refusedConnections: number;
  refusedPerSource: number;
  /** Stream connections closed by a deadline: no complete first message, a message left unfinished, idle. */
  closedNoFirstMessage: number;
  closedIncompleteMessage: number;
  closedIdle: number;
}

export type ReplyFn = (data: Buffer) => void;

const CRLF_ONLY = /^[\r\n]*$/;

/** An RFC 5626 keepalive (CRLF ping or pong) rather than a message, in a datagram or WebSocket message. */
export function isKeepalive(data: Buffer): boolean {
  return data.length <= 4 && CRLF_ONLY.test(data.toString('latin1'));
}

/** Parses, stamps and dispatches inbound messages for every transport. */
export class InboundProcessor {
  readonly stats: TransportStats = {
    received: 0,
    rejected: 0,
    dropped: 0,
    keepalives: 0,
    framingErrors: 0,
    refusedConnections: 0,
    refusedPerSource: 0,
    closedNoFirstMessage: 0,
    closedIncompleteMessage: 0,
    closedIdle: 0,
  };
  private readonly handlers: Array<(inbound: InboundSipMessage) => void> = [];

  constructor(
    private readonly limits: Partial<SipParseLimits>,
    private readonly logger: Logger,
  ) {}

  onMessage(handler: (inbound: InboundSipMessage) => void): void {
    this.handlers.push(handler);
  }

  /** One datagram or one WebSocket message: exactly one SIP message (or a keepalive). */
  handlePacket(data: Buffer, source: SipSource, reply: ReplyFn): void {
    if (isKeepalive(data)) {
      this.stats.keepalives++;
      // RFC 5626 §4.4.1 ping on a connection: answer with a single CRLF pong
      if (data.length === 4 && source.protocol !== 'udp') reply(Buffer.from('\r\n'));
      return;
    }
    try {
      const result = parseSipMessage(data, this.limits);
      if (result.ok) this.deliver(result.value, source);
      else this.reject(result.error, source, reply);
    } catch (err) {
      // the parser promises typed results; this guard keeps one bad packet from taking the process down
      this.stats.dropped++;
      this.logger.error({ err }, 'unexpected failure while handling inbound SIP input');
    }
  }

  deliver(message: AnySipMessage, source: SipSource): void {
    this.stats.received++;
    // responses are delivered as they are: the transaction layer checks the Via count and sent-by
    if (message.kind === 'request') stampVia(message, source);
    const inbound: InboundSipMessage = { message, source };
    for (const handler of this.handlers) {
      try {
        handler(inbound);
      } catch (err) {
        this.logger.error({ err, callId: message.callId }, 'SIP message handler threw');
      }
    }
  }

  reject(error: SipParseError, source: SipSource, reply: ReplyFn): void {
    const answer = buildBadRequestReply(error);
    if (answer === undefined) {
      this.stats.dropped++;
      this.logger.debug({ reason: error.reason, remote: `${source.remoteAddress}:${source.remotePort}` }, 'dropped unparsable SIP input');
      return;
    }
    this.stats.rejected++;
    reply(answer);
  }
}
