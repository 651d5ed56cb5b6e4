import { createRequest, createResponse } from '../../message/sip-builders';
import type { AnySipMessage, SipRequest, SipResponse } from '../../message/sip-message';
import type { SipSource } from '../../transport/transport.types';
import type { LoopbackNetwork, LoopbackTransport } from './loopback-transport';

let counter = 0;

/** A hand-driven SIP endpoint for tests: records what it receives and sends hand-built messages. */
export class RawPeer {
  readonly received: Array<{ message: AnySipMessage; source: SipSource }> = [];
  readonly transport: LoopbackTransport;

  constructor(network: LoopbackNetwork, port?: number) {
    this.transport = network.createTransport({ port });
    this.transport.onMessage((inbound) => this.received.push(inbound));
  }

  get address(): string {
    return this.transport.address;
  }

  requests(method?: string): SipRequest[] {
    return this.received.flatMap((r) => (r.message.kind === 'request' && (method === undefined || r.message.method === method) ? [r.message] : []));
  }

  responses(status?: number): SipResponse[] {
    return this.received.flatMap((r) => (r.message.kind === 'response' && (status === undefined || r.message.status === status) ? [r.message] : []));
  }

  sourceOf(message: AnySipMessage): SipSource {
    const hit = this.received.find((r) => r.message === message);
    if (hit === undefined) throw new Error('message not received by this peer');
    return hit.source;
  }

  /** A request from this peer to `to` (host:port), with a fresh branch unless given. */
  buildRequest(method: string, to: string, opts: { branch?: string; callId?: string; cseq?: number; toTag?: string; fromTag?: string; body?: string; contact?: boolean; headers?: Array<[string, string]> } = {}): SipRequest {
    counter++;
    return createRequest({
      method,
      uri: `sip:service@${to}`,
      via: `SIP/2.0/UDP ${this.address};branch=${opts.branch ?? `z9hG4bKpeer${counter}x${Date.now()}`};rport`,
      from: `<sip:peer@${this.address}>;tag=${opts.fromTag ?? 'peertag'}`,
      to: `<sip:service@${to}>${opts.toTag !== undefined ? `;tag=${opts.toTag}` : ''}`,
      callId: opts.callId ?? `call-${counter}`,
      cseq: opts.cseq ?? 1,
      contact: opts.contact === false ? undefined : `<sip:peer@${this.address}>`,
      headers: opts.headers,
      body: opts.body,
      contentType: opts.body !== undefined ? 'application/sdp' : undefined,
    });
  }

  async send(message: AnySipMessage, to: string): Promise<void> {
    const [host, port] = to.split(':');
    await this.transport.send(message, { protocol: 'udp', host, port: Number(port) });
  }

  /** Answers a received request through the loopback (no transaction: tests drive retransmissions). */
  async respond(request: SipRequest, status: number, opts: { toTag?: string; body?: string; headers?: Array<[string, string]> } = {}): Promise<SipResponse> {
    const headers: Array<[string, string]> = [...(opts.headers ?? [])];
    if (status >= 200 && status < 300 && request.method === 'INVITE') headers.push(['Contact', `<sip:peer@${this.address}>`]);
    const response = createResponse(request, status, undefined, { toTag: opts.toTag, body: opts.body, headers, contentType: opts.body !== undefined ? 'application/sdp' : undefined });
    await this.transport.sendResponse(response, this.sourceOf(request));
    return response;
  }
}
